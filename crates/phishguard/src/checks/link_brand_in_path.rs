//! `link_brand_in_path`: a link to an unrelated host carries the claimed brand's name or
//! domain in its path or query (`https://example.net/amazon.co.jp/signin`), to look genuine.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, brand)) = cx.asserted_brand() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        // the brand's own profile on a social network names the brand in its path
        if cx.brands.is_owned(host) || cx.is_profile_link(l) {
            continue;
        }
        let rest = l.rest.to_ascii_lowercase();
        let named = brand
            .domain_tokens
            .iter()
            .chain(&brand.domains.sender)
            .any(|t| rest.contains(t.as_str()));
        if named && !cx.brands.is_official_link(ix, host) {
            out.push(link_evidence(i, l).with_detail(format!(
                "{} named in the path of {}",
                brand.id, host.unicode
            )));
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}
