//! `link_lookalike_domain`: a link goes to a domain that imitates a brand's
//! (`amazon-security.example`, `amazon.co.jp.example.net`, `arnazon.co.jp`).

use super::{Context, link_evidence};
use crate::lookalike::lookalike;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    // newsletters repeat one host in many links: judge each host once
    let mut seen: Vec<&str> = Vec::new();
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        if seen.contains(&host.ascii.as_str()) {
            continue;
        }
        seen.push(&host.ascii);
        if let Some(look) = lookalike(cx.brands, host, true).filter(|l| cx.counts(l)) {
            let brand = cx.brands.get(look.brand).map_or("", |b| b.id.as_str());
            out.push(
                link_evidence(i, l)
                    .with_detail(format!("{}: {} (imitates {brand})", host.unicode, look.why)),
            );
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}
