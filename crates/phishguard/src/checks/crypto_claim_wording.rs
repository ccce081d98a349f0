//! `crypto_claim_wording`: free or returned crypto on offer — tokens allocated or released
//! to holders, an airdrop to claim, withdrawals "now authorised" at a collapsed exchange, a
//! bankruptcy claim to file, lost funds to recover. Wording of the group that feeds this
//! check in `data/phrases.toml` (two phrases needed; a subject phrase counts twice).

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.phrase_evidence("crypto_claim_wording")
}
