//! `insurance_quote_wording`: the pitch of insurance and health-plan lead sellers — "stop
//! overpaying", a free quote, a promotional price table, a premium "readjusted" — that a
//! stranger sends to harvest contact details (phrases of the `insurance_quote` group in
//! `data/phrases.toml`, two different ones needed). An insurer writing to its own customer
//! about their policy rarely needs two of these; alone the check stays below the
//! suspicious threshold. Mail that talks about spam stays silent.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let ev = cx.phrase_evidence("insurance_quote_wording");
    if ev.is_empty() || super::health_miracle_wording::talks_about_spam(cx) {
        return Vec::new();
    }
    ev
}
