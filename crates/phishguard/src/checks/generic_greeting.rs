//! `generic_greeting`: wording of the group that feeds this check in `data/phrases.toml`
//! ("Dear customer", "親愛なる…"): the sender does not know whom it writes to.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.phrase_evidence("generic_greeting")
}
