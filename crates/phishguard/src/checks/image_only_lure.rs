//! `image_only_lure`: an HTML mail that is pictures and links with almost no text — the
//! lure is drawn in an image (or a QR code) so that text filters read nothing. Plain-text
//! alternatives count as text.

use super::Context;
use crate::report::Evidence;

/// Visible letters below which a mail "says nothing" in text: room for a one-line caption
/// ("click the picture to open your message") but not for a paragraph a person wrote.
const MAX_TEXT: usize = 120;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    if m.images == 0 || cx.web_links().next().is_none() {
        return Vec::new();
    }
    // Text hidden for a layout switch is still text the mail carries. A plain-text
    // alternative that holds only the link says nothing either (its words count, its
    // addresses do not), as long as the HTML a client shows says nothing too.
    let letters = if m.body_from_html {
        m.body.chars().filter(|c| c.is_alphanumeric()).count()
    } else {
        let plain = m
            .body
            .split_whitespace()
            .filter(|w| !is_address(w))
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).count())
            .sum::<usize>();
        plain.max(m.html_letters)
    } + m.hidden_chars;
    if letters > MAX_TEXT {
        return Vec::new();
    }
    let part = if m.body_from_html {
        "body.html"
    } else {
        "body"
    };
    vec![
        Evidence::whole(part, m.body.trim().to_string())
            .with_detail(format!("{} image(s), {letters} letters of text", m.images)),
    ]
}

/// A web or mail address written out in a plain-text part (`https://…`, `www.…`, `<…>`).
fn is_address(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"'));
    let lower = w.get(..8).unwrap_or(w).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}
