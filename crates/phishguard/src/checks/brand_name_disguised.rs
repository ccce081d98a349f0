//! `brand_name_disguised`: a brand's name spelt with characters that look like its letters,
//! so that filters looking for the name miss it while a reader sees it: a capital `I` for
//! an `l` (`PayPaI`, `Iedger`), an `l` for a capital `I` (`lRS`), digits for letters
//! (`Amaz0n`, `Netfl1x`), accents the name does not carry (`Ámazon`). Genuine mail writes
//! its own name plainly. Letters from other alphabets are `text_obfuscation`'s.

use super::Context;
use crate::report::Evidence;
use crate::text::{LookalikeIndex, lookalike_candidates};
use std::sync::LazyLock;

/// Names impersonated in phishing that have no brand file (no official domains to
/// check against), so are protected here only.
const UNFILED_NAMES: &[&str] = &["IRS", "HMRC"];

static UNFILED: LazyLock<LookalikeIndex<()>> = LazyLock::new(|| {
    let mut index = LookalikeIndex::default();
    for name in UNFILED_NAMES {
        index.insert(name, ());
    }
    index
});

/// At most this many pieces of evidence per part of the message.
const MAX_PER_PART: usize = 3;

/// The words among `words` (a text's [`lookalike_candidates`]) that spell a protected
/// name with look-alike characters, as (byte offset, word, the name in plain letters).
fn disguised_names<'t>(
    cx: &Context,
    words: &[(usize, &'t str)],
    key: &mut String,
) -> Vec<(usize, &'t str, String)> {
    let mut found = Vec::new();
    for &(at, word) in words {
        let name = match cx.brands.lookalike_name(word, key) {
            Some((_, plain)) => Some(plain.to_string()),
            None => UNFILED.find(word, key).map(|(plain, _)| plain.to_string()),
        };
        if let Some(plain) = name
            && !found.iter().any(|(_, w, _)| *w == word)
        {
            found.push((at, word, plain));
            if found.len() >= MAX_PER_PART {
                break;
            }
        }
    }
    found
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut key = String::new();
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
    {
        for (_, word, plain) in disguised_names(cx, &lookalike_candidates(name), &mut key) {
            out.push(
                super::party_evidence(from)
                    .with_detail(format!("display name: {word:?} imitates {plain:?}")),
            );
        }
    }
    for (location, text, words) in [
        (
            "header:Subject",
            &cx.msg.subject,
            cx.subject_lookalike_words,
        ),
        ("body.text", &cx.msg.body, cx.body_lookalike_words),
    ] {
        for (at, word, plain) in disguised_names(cx, words, &mut key) {
            out.push(
                Evidence::span(location, text, at, at + word.len())
                    .with_detail(format!("{word:?} imitates {plain:?}")),
            );
        }
    }
    out
}
