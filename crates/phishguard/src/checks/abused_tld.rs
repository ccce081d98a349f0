//! `abused_tld`: the sender or a link uses a top-level domain where throw-away
//! registrations dominate (`.top`, `.xyz`, `.icu` …; list in `data/abused_tlds.txt`).
//! Weak alone; it adds to other evidence.

use super::{Context, link_evidence, party_evidence};
use crate::lists::tld;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let Some(from) = &cx.msg.from
        && let Some(d) = &from.domain
        && cx.abused_tlds.has(tld(d))
    {
        out.push(party_evidence(from).with_detail(format!(".{}", tld(d))));
    }
    let mut links = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(h) = &l.host else { continue };
        if !h.is_ip && cx.abused_tlds.has(tld(h)) && !cx.brands.is_owned(h) {
            links.push(link_evidence(i, l).with_detail(format!(".{}", tld(h))));
        }
    }
    if cx.links_matter(links.len()) {
        out.extend(links.into_iter().take(6));
    }
    out
}
