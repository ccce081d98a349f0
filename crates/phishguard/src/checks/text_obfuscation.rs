//! `text_obfuscation`: brand names or lure phrases written with invisible characters inside
//! the word or with look-alike letters from another alphabet (`Аmazon` with a Cyrillic А,
//! `ア\u{200B}マゾン`), which only makes sense to slip past filters. Full-width letters are
//! ordinary Japanese typing and do not count.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    let fields = [
        (
            "header:Subject",
            &cx.msg.subject,
            &cx.msg.subject_norm,
            cx.subject_phrases,
        ),
        (
            "body.text",
            &cx.msg.body,
            &cx.msg.body_norm,
            cx.body_phrases,
        ),
    ];
    for (location, original, norm, phrases) in fields {
        let alias_spans = cx
            .brands
            .find_aliases(norm)
            .into_iter()
            .map(|h| (h.start, h.end));
        let phrase_spans = phrases.iter().map(|h| (h.start, h.end));
        for (s, e) in alias_spans.chain(phrase_spans) {
            if !norm.is_disguised(s, e) {
                continue;
            }
            if let Some((os, oe)) = norm.original_range(s, e) {
                let ev = Evidence::span(location, original, os, oe)
                    .with_detail(format!("reads as {:?}", norm.text.get(s..e).unwrap_or("")));
                if !out.contains(&ev) {
                    out.push(ev);
                }
            }
            if out.len() >= 8 {
                return out;
            }
        }
    }
    if let Some(from) = &cx.msg.from
        && let Some(name) = &from.name
    {
        let norm = crate::text::NormText::new(name, 1024);
        for h in cx.brands.find_aliases(&norm) {
            if norm.is_disguised(h.start, h.end) {
                out.push(super::party_evidence(from).with_detail(format!(
                    "display name reads as {:?}",
                    norm.text.get(h.start..h.end).unwrap_or("")
                )));
                break;
            }
        }
    }
    out
}
