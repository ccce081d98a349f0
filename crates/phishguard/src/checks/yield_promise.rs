//! `yield_promise`: the mail promises money that grows by itself — guaranteed profits or
//! returns, daily payouts, passive income, "automatic" mining or trading that has been
//! earning for you, or a staking yield in per cent. Real investments do not guarantee
//! returns, and a stranger's offer of them is the bait of an investment scam.

use super::Context;
use super::wording_pattern::{evidence, matches, preceded_by};
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

static PROMISE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let pattern = [
        // en
        r"\bguaranteed (?:profits?|returns?|income|payouts?|daily|earnings|interest|results|yields?)",
        r"\b(?:daily|weekly) (?:payments|payouts|profits?|returns|earnings|income|interest)\b",
        r"\bpassive income\b",
        r"\bautomatic (?:cloud )?(?:bitcoin |crypto |btc )?(?:mining|earning|trading)\b",
        r"\b(?:ai|ai-powered|ai-driven|automated) (?:bitcoin |crypto )?(?:mining|earning|trading) (?:platform|bot|robot|system)",
        r"\brisk[- ]free (?:investment|profits?|returns?|venture|trading|income)",
        r"\bdouble your (?:bitcoin|money|investment|crypto|deposit|btc)",
        // pt / es
        r"\b(?:lucro|rendimento|retorno|renda) garantid[oa]s?",
        r"\brenda passiva\b",
        r"\b(?:ganancias|rentabilidad|rendimientos?|beneficios) garantizad[oa]s?",
        r"\bingresos pasivos\b",
        // de / fr / nl / it
        r"\bgarantierte (?:rendite|gewinne?|erträge|auszahlungen)",
        r"\bpassives einkommen\b",
        r"\b(?:rendement|profits?|revenus?|gains?) garantis?\b",
        r"\brevenus? passifs?\b",
        r"\bgegarandeerd (?:rendement|inkomen|winst)",
        r"\bpassief inkomen\b",
        r"\b(?:rendimento|profitto|guadagno) garantit[oi]\b",
        r"\breddito passivo\b",
        // ja
        r"元本保証|確実に儲か|必ず儲か|不労所得|日利\s?\d",
        // a staking yield in per cent
        r"\b(?:staking|stake your|apy)\W+(?:[\w-]+\W+){0,5}\d+(?:[.,]\d+)?\s?%",
        r"\b\d+(?:[.,]\d+)?\s?%\s(?:[\w-]+\W+){0,2}(?:apy|staking)\b",
    ]
    .join("|");
    Regex::new(&pattern).ok()
});

/// Words that make a promise a disclaimer ("returns are not guaranteed", "there is no
/// risk-free investment").
const DENIALS: &[&str] = &[
    "no ",
    "not ",
    "nor ",
    "without ",
    "beware of ",
    "sem ",
    "sin ",
    "kein",
    "pas de ",
    "aucun",
    "geen ",
    "nessun",
    "non ",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(re) = PROMISE.as_ref() else {
        return Vec::new();
    };
    let found: Vec<_> = matches(cx, re, true, 6)
        .into_iter()
        .filter(|m| !preceded_by(&m.norm.text, m.start, DENIALS, 24))
        .collect();
    evidence(&found, 3)
}
