//! `large_sum_offer`: the mail names a sum in the millions ("US$ 4,500,000.00",
//! "2.5 million dollars", "8,5 milhões de dólares", "300万ドル") next to advance-fee
//! wording (an inheritance, a donation, a fund to transfer). Strangers do not offer
//! millions; news mentions them without the wording.

use super::Context;
use super::wording_pattern::BoundaryRegex;
use crate::report::Evidence;
use std::sync::LazyLock;

const MILLIONS: &str = r"million|millions|milhões|milhão|millones|millón|millionen|milioni|miljoen";
const CURRENCY: &str = r"dollars?|usd|euros?|eur|pounds|gbp|dólares|dolares|reais|libras";

fn big_sum_pattern() -> String {
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
    format!("(?i){pattern}")
}

static BIG_SUM: LazyLock<Option<BoundaryRegex>> =
    LazyLock::new(|| BoundaryRegex::new(&big_sum_pattern()));

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
    if !worded {
        return Vec::new();
    }
    let Some(re) = BIG_SUM.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (location, text) in [
        ("header:Subject", &cx.msg.subject),
        ("body.text", &cx.msg.body),
    ] {
        for (start, end) in re.find_iter(text).take(2) {
            out.push(Evidence::span(location, text, start, end));
        }
    }
    out.truncate(3);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_found_as_by_the_regex() {
        let sums = [
            "US$ 4,500,000.00",
            "€ 1.700.000",
            "4,500,000.00 USD",
            "1.250.000 dólares",
            "$2.5 million",
            "USD 3 millones",
            "$5m",
            "eur 7 mln",
            "2.5 million US dollars",
            "8,5 milhões de dólares",
            "300万ドル",
            "2億円",
            "4.500.000 $",
            "4.500.000 dollar\u{17F}",
            "\u{663} million dollars",
            "$$5m$5m",
            "1.000.000.000",
        ];
        let frames = [("", ""), ("x ", " y"), ("é", "é"), ("a", "b"), ("ü", ".")];
        let re = BIG_SUM.as_ref().unwrap();
        let found = super::super::wording_pattern::assert_boundary_is_regex(
            re,
            &big_sum_pattern(),
            &sums,
            &frames,
        );
        assert!(found > 100);
    }
}
