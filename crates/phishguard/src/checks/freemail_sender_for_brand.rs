//! `freemail_sender_for_brand`: a message in a brand's name from a free-mail or consumer
//! ISP address (`xxx@so-net.ne.jp`, `xxx@gmail.com`): companies never send from those.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, _)) = cx.asserted_brand() else {
        return Vec::new();
    };
    let Some((from, domain)) = cx.from_with_domain() else {
        return Vec::new();
    };
    if !cx.freemail.contains(domain) || cx.from_is_brand(ix) {
        return Vec::new();
    }
    vec![
        party_evidence(from)
            .with_detail(format!("{} gives addresses to anyone", domain.registrable)),
    ]
}
