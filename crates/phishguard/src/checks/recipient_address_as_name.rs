//! `recipient_address_as_name`: the mail greets the reader by their mail address ("Dear
//! taro@example.jp", "Hello taro@example.jp,"): it was merged from an address list by
//! someone who knows nothing else of the reader. A bounce quotes the address for a
//! reason, so delivery reports are left alone.

use super::Context;
use crate::report::Evidence;

/// Words that open a greeting, in the languages phishing comes in (normalised lower case).
const GREETINGS: &[&str] = &[
    "dear",
    "hello",
    "hi",
    "hey",
    "greetings",
    "attention",
    "attn",
    "prezado",
    "prezada",
    "caro",
    "cara",
    "olá",
    "ola",
    "estimado",
    "estimada",
    "hola",
    "hallo",
    "liebe",
    "lieber",
    "bonjour",
    "cher",
    "chère",
    "beste",
    "geachte",
    "gentile",
    "ciao",
];

/// How far into the body a greeting is looked for (bytes of text).
const GREETING_WINDOW: usize = 600;

pub fn run(cx: &Context) -> Vec<Evidence> {
    if cx.msg.is_delivery_report {
        return Vec::new();
    }
    let body = &cx.msg.body;
    let head_end = body.floor_char_boundary(GREETING_WINDOW);
    let Some(head) = body.get(..head_end) else {
        return Vec::new();
    };
    let lower = head.to_lowercase();
    // lower-casing may change lengths outside ASCII; offsets are only used when it did not
    let same_offsets = lower.len() == head.len();
    for to in &cx.msg.to {
        let Some(addr) = &to.address else { continue };
        let needle = addr.to_lowercase();
        if !needle.contains('@') || needle.len() < 6 {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = lower
            .get(from..)
            .and_then(|s| s.find(&needle))
            .map(|p| p + from)
        {
            if greeted(lower.get(..pos).unwrap_or("")) {
                let ev = if same_offsets {
                    Evidence::span("body.text", body, pos, pos + needle.len())
                } else {
                    Evidence::whole("body.text", addr.as_str())
                };
                return vec![ev.with_detail(format!("greets the reader as {addr}"))];
            }
            from = pos + needle.len();
        }
    }
    Vec::new()
}

/// Does the text just before an address end with a greeting word (and punctuation)?
fn greeted(before: &str) -> bool {
    let trimmed =
        before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '-'));
    let word: String = trimmed
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    GREETINGS.contains(&word.as_str())
}
