//! `text_obfuscation`: words written to slip past filters while reading normally to a
//! person — look-alike letters from another alphabet inside a Latin word (`Мetаmask` with
//! Cyrillic М and а), styled letters (`𝗠𝗲𝗿𝗰𝗲𝗱𝗲𝘀`), invisible characters inside a word
//! (`ア\u{200B}マゾン`), and lure words spelt with look-alike Latin characters (`WaIIet` with
//! capital Is, `C0NFIRM` with a zero, `válidate` with an accent English does not have).
//! Full-width letters are ordinary Japanese typing and soft hyphens ordinary hyphenation;
//! neither counts. Brand names so spelt are `brand_name_disguised`'s.

use super::Context;
use crate::report::Evidence;
use crate::text::{LookalikeIndex, NormText, lookalike_candidates};
use std::sync::LazyLock;

/// English words of phishing lures. None is spelt with an accent in a neighbouring
/// language (no `area`, `detail`, `credit`), so an accented one is a disguise, not French.
const LURE_WORDS: &[&str] = &[
    "access",
    "account",
    "attention",
    "automatically",
    "cialis",
    "confirm",
    "confirmation",
    "delivery",
    "expired",
    "immediately",
    "important",
    "invoice",
    "levitra",
    "limited",
    "locked",
    "login",
    "package",
    "passcode",
    "passphrase",
    "password",
    "payment",
    "pharmacy",
    "please",
    "reactivate",
    "recovery",
    "refund",
    "required",
    "restricted",
    "secure",
    "security",
    "signin",
    "statement",
    "suspended",
    "understanding",
    "unlock",
    "update",
    "urgent",
    "validate",
    "validation",
    "verify",
    "viagra",
    "wallet",
    "your",
];

static LURE_INDEX: LazyLock<LookalikeIndex<()>> = LazyLock::new(|| {
    let mut index = LookalikeIndex::default();
    for word in LURE_WORDS {
        index.insert(word, ());
    }
    index
});

/// Lure words of `text` spelt with look-alike characters, as byte ranges (distinct words);
/// `words`: the text's [`lookalike_candidates`].
fn lookalike_lure_words(text: &str, words: &[(usize, &str)]) -> Vec<(usize, usize)> {
    let mut key = String::new();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for &(at, word) in words {
        if LURE_INDEX.find(word, &mut key).is_some()
            && !found.iter().any(|&(s, e)| text.get(s..e) == Some(word))
        {
            found.push((at, at + word.len()));
            if found.len() >= 6 {
                break;
            }
        }
    }
    found
}

fn lure_words(
    location: &str,
    text: &str,
    words: &[(usize, &str)],
    min: usize,
    out: &mut Vec<Evidence>,
) {
    let spans = lookalike_lure_words(text, words);
    if spans.len() < min {
        return;
    }
    for (s, e) in spans {
        out.push(Evidence::span(location, text, s, e).with_detail("look-alike spelling"));
    }
}

/// Disguised words needed in the body (subject and sender name: one is enough).
const BODY_MIN: usize = 2;

fn words(location: &str, original: &str, norm: &NormText, min: usize, out: &mut Vec<Evidence>) {
    let spans = norm.disguised_words();
    if spans.len() < min {
        return;
    }
    for (s, e) in spans.into_iter().take(6) {
        if let Some((os, oe)) = norm.original_range(s, e) {
            let ev = Evidence::span(location, original, os, oe)
                .with_detail(format!("reads as {:?}", norm.text.get(s..e).unwrap_or("")));
            if !out.contains(&ev) {
                out.push(ev);
            }
        }
    }
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
    {
        let norm = NormText::new(name, 1024);
        if !norm.disguised_words().is_empty() {
            out.push(
                super::party_evidence(from)
                    .with_detail(format!("display name reads as {:?}", norm.text)),
            );
        }
    }
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
        && !crate::text::spaced_out_words(name).is_empty()
        && out.is_empty()
    {
        out.push(super::party_evidence(from).with_detail("a word spelt out letter by letter"));
    }
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
        && out.is_empty()
        && let Some(&(s, e)) = lookalike_lure_words(name, &lookalike_candidates(name)).first()
    {
        out.push(super::party_evidence(from).with_detail(format!(
            "{:?}: look-alike spelling",
            name.get(s..e).unwrap_or("")
        )));
    }
    lure_words(
        "header:Subject",
        &cx.msg.subject,
        cx.subject_lookalike_words,
        1,
        &mut out,
    );
    lure_words(
        "body.text",
        &cx.msg.body,
        cx.body_lookalike_words,
        BODY_MIN,
        &mut out,
    );
    for (s, e) in crate::text::spaced_out_words(&cx.msg.subject) {
        out.push(
            Evidence::span("header:Subject", &cx.msg.subject, s, e)
                .with_detail("a word spelt out letter by letter"),
        );
    }
    words(
        "header:Subject",
        &cx.msg.subject,
        &cx.msg.subject_norm,
        1,
        &mut out,
    );
    words(
        "body.text",
        &cx.msg.body,
        &cx.msg.body_norm,
        BODY_MIN,
        &mut out,
    );
    out
}
