//! `link_off_brand`: the message claims a brand, but links go to domains that are not the
//! brand's. Where a link really goes cannot be spoofed, so this weighs heavily.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, brand)) = cx.brand() else { return Vec::new() };
    let mut out = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        if cx.brands.is_official_link(ix, host) {
            continue;
        }
        out.push(link_evidence(i, l).with_detail(format!(
            "{} is not a {} domain",
            host.unicode, brand.id
        )));
        if out.len() >= 8 {
            break;
        }
    }
    out
}
