//! `free_hosting`: the sender or a link sits on a platform where anyone can publish for
//! free (Firebase, Cloud Run, public buckets, site builders, tunnels). Genuine companies
//! send from and link to their own domains.

use super::{Context, link_evidence, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let Some(from) = &cx.msg.from
        && let Some(d) = &from.domain
        && let Some(p) = cx.hosting.matching(d)
    {
        out.push(party_evidence(from).with_detail(format!("sent from the hosting platform {p}")));
    }
    let mut links = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(h) = &l.host else { continue };
        if let Some(p) = cx.hosting.matching(h) {
            links.push(link_evidence(i, l).with_detail(format!("hosted on {p}")));
        }
    }
    if cx.links_matter(links.len()) {
        out.extend(links.into_iter().take(6));
    }
    out
}
