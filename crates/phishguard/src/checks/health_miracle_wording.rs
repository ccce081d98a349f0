//! `health_miracle_wording`: the pitch of pharmacy and miracle-cure spam — prescription drugs
//! sold without a prescription, potency pills, weight-loss claims counted in pounds and
//! days, "tricks" and cures that doctors supposedly hide (phrases of the `health_miracle`
//! group in `data/phrases.toml`, two different ones needed). A health newsletter names one
//! of these topics; a pitch piles them up. Mail that talks *about* spam (a list discussing
//! filters, a user forwarding junk to a help desk) names the same products, so a text that
//! speaks of spam stays silent.

use super::Context;
use crate::report::Evidence;

/// Words of a message that discusses spam rather than sends it.
const SPAM_TALK: &[&str] = &[
    "spam",
    "spams",
    "spammer",
    "spammers",
    "spamming",
    "spamassassin",
    "junk mail",
    "junk e-mail",
    "junk email",
    "迷惑メール",
    "スパム",
];

/// Does the subject or body talk about spam itself?
pub(crate) fn talks_about_spam(cx: &Context) -> bool {
    [&cx.msg.subject_norm.text, &cx.msg.body_norm.text]
        .iter()
        .any(|t| SPAM_TALK.iter().any(|w| contains_word(t, w)))
}

/// `word` in `text`, standing as a word (not inside a longer Latin word).
fn contains_word(text: &str, word: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|rest| rest.find(word)) {
        let s = from + i;
        let e = s + word.len();
        if crate::text::stands_as_word(bytes, s, e) {
            return true;
        }
        from = e;
    }
    false
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let ev = cx.phrase_evidence("health_miracle_wording");
    if ev.is_empty() || talks_about_spam(cx) {
        return Vec::new();
    }
    ev
}
