//! `freemail_health_offer`: a pharmacy, miracle-cure or insurance pitch (what
//! `health_miracle_wording` or `insurance_quote_wording` find) sent from, or answered to, a
//! personal free-mail address. Pharmacies and insurers write from their own domains; a
//! medicine or a policy sold from a web-mail account is a stranger's offer.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(party) = cx.freemail_party() else {
        return Vec::new();
    };
    let mut pitch = super::health_miracle_wording::run(cx);
    if pitch.is_empty() {
        pitch = super::insurance_quote_wording::run(cx);
    }
    if pitch.is_empty() {
        return Vec::new();
    }
    let d = party
        .domain
        .as_ref()
        .map(|d| d.registrable.clone())
        .unwrap_or_default();
    let mut out = vec![party_evidence(party).with_detail(format!("free-mail address at {d}"))];
    out.extend(pitch.into_iter().take(2));
    out
}
