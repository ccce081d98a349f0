//! `yield_promise`: the mail promises money that grows by itself — guaranteed profits or
//! returns, daily payouts, passive income, "automatic" mining or trading that has been
//! earning for you, or a staking yield in per cent. Real investments do not guarantee
//! returns, and a stranger's offer of them is the bait of an investment scam.

use super::Context;
use super::wording_pattern::{SplitRegex, evidence, matches, preceded_by};
use crate::report::Evidence;
use std::sync::LazyLock;

/// Two groups (see [`SplitRegex`]): the wording, and a staking yield in per cent, which
/// is only looked for in a text with a `%` and `apy` or `stak`.
fn promise_groups() -> [Vec<String>; 2] {
    let words: Vec<String> = vec![
        // en
        r"(?-u:\b)guaranteed (?:profits?|returns?|income|payouts?|daily|earnings|interest|results|yields?)".to_string(),
        r"(?-u:\b)(?:daily|weekly) (?:payments|payouts|profits?|returns|earnings|income|interest)(?-u:\b)".to_string(),
        r"(?-u:\b)passive income(?-u:\b)".to_string(),
        r"(?-u:\b)automatic (?:cloud )?(?:bitcoin |crypto |btc )?(?:mining|earning|trading)(?-u:\b)".to_string(),
        r"(?-u:\b)(?:ai|ai-powered|ai-driven|automated) (?:bitcoin |crypto )?(?:mining|earning|trading) (?:platform|bot|robot|system)".to_string(),
        r"(?-u:\b)risk[- ]free (?:investment|profits?|returns?|venture|trading|income)".to_string(),
        r"(?-u:\b)double your (?:bitcoin|money|investment|crypto|deposit|btc)".to_string(),
        // pt / es
        r"(?-u:\b)(?:lucro|rendimento|retorno|renda) garantid[oa]s?".to_string(),
        r"(?-u:\b)renda passiva(?-u:\b)".to_string(),
        r"(?-u:\b)(?:ganancias|rentabilidad|rendimientos?|beneficios) garantizad[oa]s?".to_string(),
        r"(?-u:\b)ingresos pasivos(?-u:\b)".to_string(),
        // de / fr / nl / it
        r"(?-u:\b)garantierte (?:rendite|gewinne?|erträge|auszahlungen)".to_string(),
        r"(?-u:\b)passives einkommen(?-u:\b)".to_string(),
        r"(?-u:\b)(?:rendement|profits?|revenus?|gains?) garantis?(?-u:\b)".to_string(),
        r"(?-u:\b)revenus? passifs?(?-u:\b)".to_string(),
        r"(?-u:\b)gegarandeerd (?:rendement|inkomen|winst)".to_string(),
        r"(?-u:\b)passief inkomen(?-u:\b)".to_string(),
        r"(?-u:\b)(?:rendimento|profitto|guadagno) garantit[oi](?-u:\b)".to_string(),
        r"(?-u:\b)reddito passivo(?-u:\b)".to_string(),
        // ja
        r"元本保証|確実に儲か|必ず儲か|不労所得|日利\s?\d".to_string(),
    ];
    let staking: Vec<String> = vec![
        r"(?-u:\b)(?:staking|stake your|apy)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,5}\d+(?:[.,]\d+)?\s?%".to_string(),
        r"(?-u:\b)\d+(?:[.,]\d+)?\s?%\s(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,2}(?:apy|staking)(?-u:\b)".to_string(),
    ];
    [words, staking]
}

static PROMISE: LazyLock<Option<SplitRegex>> = LazyLock::new(|| {
    let [words, staking] = promise_groups();
    SplitRegex::new(&[
        (&words, None),
        (
            &staking,
            Some(|t: &str| t.contains('%') && (t.contains("apy") || t.contains("stak"))),
        ),
    ])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_groups_find_what_the_whole_alternation_finds() {
        let split = PROMISE.as_ref().unwrap();
        crate::checks::wording_pattern::assert_split_is_whole(
            split,
            &promise_groups().concat(),
            &[
                "guaranteed profits and passive income with our automatic bitcoin mining",
                "stake your eth now: 12.5% apy, staking rewards daily payouts",
                "earn 20% apy with staking",
                "renda passiva garantida, ganancias garantizadas, passives einkommen",
                "元本保証で日利 3%",
                "50% off everything this weekend",
                "risk-free investment, double your money, 7 % staking apy",
            ],
        );
    }
}
