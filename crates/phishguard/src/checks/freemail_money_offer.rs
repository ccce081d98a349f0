//! `freemail_money_offer`: a stranger's money offer from a personal free-mail address —
//! advance-fee wording (an inheritance, a donation, a "business proposal") with the From or
//! Reply-To on a free-mail domain; or a subject dressed as a reply or forward ("Re:",
//! "Fwd:") that answers no earlier mail (no In-Reply-To or References) from such an address,
//! with a phrase of that wording. The missing thread headers count only
//! with the rest: pasted mail has no headers at all.

use super::{Context, party_evidence};
use crate::report::Evidence;

/// Subject prefixes of replies and forwards, in the languages the phrases cover.
const REPLY_PREFIXES: &[&str] = &[
    "re:", "re :", "fw:", "fwd:", "aw:", "wg:", "res:", "enc:", "rv:", "tr:", "sv:", "vs:",
    "antw:", "doorst:", "返信:", "転送:",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(party) = cx.freemail_party() else {
        return Vec::new();
    };
    let sender = || {
        let d = party
            .domain
            .as_ref()
            .map(|d| d.registrable.clone())
            .unwrap_or_default();
        party_evidence(party).with_detail(format!("free-mail address at {d}"))
    };
    // two different phrases (a subject word alone, counted twice, is not enough here)
    let distinct = cx.distinct_phrases("advance_fee_wording").len();
    let wording = cx.phrase_evidence("advance_fee_wording");
    if distinct >= 2 && !wording.is_empty() {
        let mut out = vec![sender()];
        out.extend(wording.into_iter().take(3));
        return out;
    }
    let subject = cx.msg.subject_norm.text.trim_start();
    let prefixed = REPLY_PREFIXES.iter().any(|p| subject.starts_with(p));
    if !prefixed || cx.msg.threaded || !matches!(cx.msg.kind, crate::message::Kind::Mail) {
        return Vec::new();
    }
    let phrase = cx
        .subject_phrases
        .iter()
        .chain(cx.body_phrases)
        .any(|h| h.check == "advance_fee_wording");
    if !phrase {
        return Vec::new();
    }
    vec![
        sender(),
        Evidence::whole("header:Subject", cx.msg.subject.clone())
            .with_detail("a reply or forward with no In-Reply-To or References"),
    ]
}
