//! `text_obfuscation`: words written to slip past filters while reading normally to a
//! person — look-alike letters from another alphabet inside a Latin word (`Мetаmask` with
//! Cyrillic М and а), styled letters (`𝗠𝗲𝗿𝗰𝗲𝗱𝗲𝘀`), invisible characters inside a word
//! (`ア\u{200B}マゾン`). Full-width letters are ordinary Japanese typing and soft hyphens
//! ordinary hyphenation; neither counts.

use super::Context;
use crate::report::Evidence;
use crate::text::NormText;

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
