//! `large_sum_offer`: the mail names a sum in the millions ("US$ 4,500,000.00",
//! "2.5 million dollars", "8,5 milhões de dólares", "300万ドル") next to advance-fee
//! wording (an inheritance, a donation, a fund to transfer). Strangers do not offer
//! millions; news mentions them without the wording.

use super::Context;
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

const MILLIONS: &str = r"million|millions|milhões|milhão|millones|millón|millionen|milioni|miljoen";
const CURRENCY: &str = r"dollars?|usd|euros?|eur|pounds|gbp|dólares|dolares|reais|libras";

static BIG_SUM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let pattern = [
        // US$ 4,500,000.00 / € 1.700.000
        r"(?:us\s?\$|usd|eur|gbp|[$€£])\s?\d{1,3}(?:[.,' ]\d{3}){2,}".to_string(),
        // 4,500,000.00 USD
        format!(r"\d{{1,3}}(?:[.,]\d{{3}}){{2,}}(?:[.,]\d{{2}})?\s?(?:us\s)?(?:{CURRENCY}|[$€£])\b"),
        // $2.5 million / USD 3 millones
        format!(r"(?:us\s?\$|usd|eur|gbp|[$€£])\s?\d+(?:[.,]\d+)?\s?(?:{MILLIONS}|mln|m)\b"),
        // 2.5 million US dollars / 8,5 milhões de dólares
        format!(
            r"\d+(?:[.,]\d+)?\s?(?:{MILLIONS})\s(?:(?:of|de|di|von|van)\s)?(?:(?:united states|us|u\.s\.?|american)\s)?(?:{CURRENCY}|[$€£])"
        ),
        // 300万ドル / 2億円
        r"\d+(?:[.,]\d+)?\s?(?:万|億)\s?(?:米ドル|ドル|ユーロ|ポンド)|\d+\s?億円".to_string(),
    ]
    .join("|");
    Regex::new(&format!("(?i){pattern}")).ok()
});

/// Is an advance-fee phrase itself a sum ("million dollars")? Those do not count as the
/// wording beside the sum.
fn names_a_sum(phrase: &str) -> bool {
    phrase.contains('万')
        || phrase.contains('億')
        || MILLIONS.split('|').any(|w| phrase.contains(w))
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    // two advance-fee phrases besides the sum: a story about a scam names one or none
    let worded = cx
        .distinct_phrases("advance_fee_wording")
        .iter()
        .filter(|p| !names_a_sum(p))
        .count()
        >= 2;
    let Some(re) = BIG_SUM.as_ref() else {
        return Vec::new();
    };
    if !worded {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (location, text) in [
        ("header:Subject", &cx.msg.subject),
        ("body.text", &cx.msg.body),
    ] {
        for m in re.find_iter(text).take(2) {
            out.push(Evidence::span(location, text, m.start(), m.end()));
        }
    }
    out.truncate(3);
    out
}
