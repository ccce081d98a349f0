//! `document_link_lure`: the mail itself says next to nothing, and an attached document
//! (a PDF) carries a link to somewhere other than the sender's own domain. The lure has
//! been moved into the attachment, where mail filters do not read and where the reader
//! sees one big "open" or "claim" button; a genuine invoice or statement that links to
//! the sender's own site does not fire, nor does a document sent with a real letter.

use super::{Context, link_evidence};
use crate::message::LinkOrigin;
use crate::report::Evidence;

/// Letters the mail's own text may have and still "say nothing": room for "see the
/// attached file" and a signature, not for a letter a person wrote.
const MAX_LETTERS: usize = 300;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    let sender = m
        .from
        .as_ref()
        .and_then(|f| f.domain.as_ref())
        .map(|d| d.registrable.as_str());
    let foreign: Vec<Evidence> = cx
        .web_links()
        .filter(|(_, l)| l.origin == LinkOrigin::Attachment)
        .filter(|(_, l)| {
            l.host
                .as_ref()
                .is_some_and(|h| Some(h.registrable.as_str()) != sender)
        })
        .map(|(i, l)| link_evidence(i, l))
        .take(3)
        .collect();
    if foreign.is_empty() {
        return Vec::new();
    }
    let letters: usize = m
        .body
        .split_whitespace()
        .filter(|w| !w.contains("://") && !w.contains('@'))
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).count())
        .sum::<usize>()
        .max(m.html_letters);
    if letters > MAX_LETTERS {
        return Vec::new();
    }
    let part = if m.body_from_html {
        "body.html"
    } else {
        "body"
    };
    let mut out = vec![
        Evidence::whole(part, m.body.trim().chars().take(200).collect::<String>())
            .with_detail(format!("{letters} letters of text in the mail itself")),
    ];
    out.extend(foreign);
    out
}
