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
        r"(?-u:\b)guaranteed (?:profits?|returns?|income|payouts?|daily|earnings|interest|results|yields?)",
        r"(?-u:\b)(?:daily|weekly) (?:payments|payouts|profits?|returns|earnings|income|interest)(?-u:\b)",
        r"(?-u:\b)passive income(?-u:\b)",
        r"(?-u:\b)automatic (?:cloud )?(?:bitcoin |crypto |btc )?(?:mining|earning|trading)(?-u:\b)",
        r"(?-u:\b)(?:ai|ai-powered|ai-driven|automated) (?:bitcoin |crypto )?(?:mining|earning|trading) (?:platform|bot|robot|system)",
        r"(?-u:\b)risk[- ]free (?:investment|profits?|returns?|venture|trading|income)",
        r"(?-u:\b)double your (?:bitcoin|money|investment|crypto|deposit|btc)",
        // pt / es
        r"(?-u:\b)(?:lucro|rendimento|retorno|renda) garantid[oa]s?",
        r"(?-u:\b)renda passiva(?-u:\b)",
        r"(?-u:\b)(?:ganancias|rentabilidad|rendimientos?|beneficios) garantizad[oa]s?",
        r"(?-u:\b)ingresos pasivos(?-u:\b)",
        // de / fr / nl / it
        r"(?-u:\b)garantierte (?:rendite|gewinne?|erträge|auszahlungen)",
        r"(?-u:\b)passives einkommen(?-u:\b)",
        r"(?-u:\b)(?:rendement|profits?|revenus?|gains?) garantis?(?-u:\b)",
        r"(?-u:\b)revenus? passifs?(?-u:\b)",
        r"(?-u:\b)gegarandeerd (?:rendement|inkomen|winst)",
        r"(?-u:\b)passief inkomen(?-u:\b)",
        r"(?-u:\b)(?:rendimento|profitto|guadagno) garantit[oi](?-u:\b)",
        r"(?-u:\b)reddito passivo(?-u:\b)",
        // ja
        r"元本保証|確実に儲か|必ず儲か|不労所得|日利\s?\d",
        // a staking yield in per cent
        r"(?-u:\b)(?:staking|stake your|apy)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,5}\d+(?:[.,]\d+)?\s?%",
        r"(?-u:\b)\d+(?:[.,]\d+)?\s?%\s(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,2}(?:apy|staking)(?-u:\b)",
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
