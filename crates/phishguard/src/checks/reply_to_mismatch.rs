//! `reply_to_mismatch`: replies go to an unrelated address. Mailing lists and help desks
//! set Reply-To too, so it only counts when the message claims a brand or the Reply-To is
//! a free-mail address while the From is not.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((_, from_d)) = cx.from_with_domain() else {
        return Vec::new();
    };
    let from_owner = cx.brands.owner(from_d).map(|(b, _)| b);
    let mut out = Vec::new();
    for r in &cx.msg.reply_to {
        let Some(d) = &r.domain else { continue };
        if d.registrable == from_d.registrable {
            continue;
        }
        if from_owner.is_some() && cx.brands.owner(d).map(|(b, _)| b) == from_owner {
            continue;
        }
        let freemail_switch = cx.freemail.contains(d) && !cx.freemail.contains(from_d);
        let brand_claimed = cx
            .brand()
            .is_some_and(|(ix, _)| cx.brands.owner(d).is_none_or(|(b, _)| b != ix));
        if freemail_switch || brand_claimed {
            out.push(party_evidence(r).with_detail(format!(
                "From domain {}, Reply-To domain {}",
                from_d.registrable, d.registrable
            )));
        }
    }
    out
}
