//! `link_shortener`: a link through a URL shortener hides where it goes. A brand's own
//! short domain (amzn.to for Amazon) is official for that brand and not counted.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        if cx.shorteners.contains(host) && !cx.brands.is_owned(host) {
            out.push(link_evidence(i, l));
        }
    }
    if !cx.links_matter(out.len()) {
        return Vec::new();
    }
    out.truncate(8);
    out
}
