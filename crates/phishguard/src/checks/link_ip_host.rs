//! `link_ip_host`: a link to a bare IP address (also written in hex or decimal forms,
//! which the URL parser normalises).

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let hits: Vec<Evidence> = cx
        .web_links()
        .filter(|(_, l)| l.host.as_ref().is_some_and(|h| h.is_ip))
        .map(|(i, l)| link_evidence(i, l))
        .collect();
    if !cx.links_matter(hits.len()) {
        return Vec::new();
    }
    hits.into_iter().take(8).collect()
}
