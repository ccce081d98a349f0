//! `sender_lookalike_domain`: the sender's domain imitates a brand's
//! (`amazon-support.jp`, `arnazon.co.jp`, `amazom.co.jp`).

use super::{Context, party_evidence};
use crate::lookalike::lookalike;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    let parties = cx
        .msg
        .from
        .iter()
        .chain(&cx.msg.reply_to)
        .chain(&cx.msg.sender);
    for p in parties {
        let Some(d) = &p.domain else { continue };
        if let Some(l) = lookalike(cx.brands, d, false).filter(|l| cx.counts(l)) {
            let brand = cx.brands.get(l.brand).map_or("", |b| b.id.as_str());
            out.push(
                party_evidence(p)
                    .with_detail(format!("{}: {} (imitates {brand})", d.unicode, l.why)),
            );
        }
    }
    out
}
