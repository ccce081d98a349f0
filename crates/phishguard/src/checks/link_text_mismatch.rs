//! `link_text_mismatch`: a link shows a URL or domain name but goes to another domain
//! (`<a href="https://evil.example">https://www.amazon.co.jp</a>`). Two domains of the same
//! brand are not a mismatch.

use super::{Context, link_evidence};
use crate::message::shown_host;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (i, l) in cx.web_links() {
        let (Some(text), Some(target)) = (&l.text, &l.host) else {
            continue;
        };
        let Some(shown) = shown_host(text) else {
            continue;
        };
        if shown.registrable == target.registrable {
            continue;
        }
        let same_owner = match (cx.brands.owner(&shown), cx.brands.owner(target)) {
            (Some((a, _)), Some((b, _))) => a == b,
            _ => false,
        };
        if same_owner || same_family(&shown, target, cx) {
            continue;
        }
        out.push(link_evidence(i, l).with_detail(format!(
            "shows {} but goes to {}",
            shown.unicode, target.unicode
        )));
        if out.len() >= 8 {
            break;
        }
    }
    out
}

/// `canadapost.ca` shown, `t.communications.canadapost-postescanada.ca` linked: one
/// organisation's domains, one name inside the other. Not for brands phishguard knows —
/// there a name inside another domain is the look-alike trick, and other checks judge it.
fn same_family(
    shown: &crate::domain::DomainInfo,
    target: &crate::domain::DomainInfo,
    cx: &Context,
) -> bool {
    if cx.brands.is_owned(shown) || cx.brands.is_owned(target) {
        return false;
    }
    let a = shown.registrable_label();
    let b = target.registrable_label();
    a.len() >= 5 && b.len() >= 5 && (a.contains(b) || b.contains(a))
}
