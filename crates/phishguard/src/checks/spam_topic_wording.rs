//! `spam_topic_wording`: wording of the group that feeds this check in `data/phrases.toml`.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    cx.phrase_evidence("spam_topic_wording")
}
