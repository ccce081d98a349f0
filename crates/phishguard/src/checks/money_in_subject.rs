//! `money_in_subject`: the subject dangles a sum of money ("Ihre 1.000 € Auszahlung",
//! "$500 reward", "R$ 2.000 disponível", "10,000円分"). Shops quote prices too, so it is
//! weak alone.

use super::Context;
use super::wording_pattern::BoundaryRegex;
use crate::report::Evidence;
use std::sync::LazyLock;

const MONEY_PATTERN: &str = r"(?:[$€£¥]|R\$|US\$)\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|円|万円|ドル)|\d[\d.,]*\s?(?:EUR|USD|reais|euros?|dollars?)\b";

static MONEY: LazyLock<Option<BoundaryRegex>> = LazyLock::new(|| BoundaryRegex::new(MONEY_PATTERN));

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(re) = MONEY.as_ref() else {
        return Vec::new();
    };
    let subject = &cx.msg.subject;
    re.find_iter(subject)
        .filter(|&(s, e)| {
            subject
                .get(s..e)
                .is_some_and(|m| m.chars().filter(char::is_ascii_digit).count() >= 2)
        })
        .take(2)
        .map(|(s, e)| Evidence::span("header:Subject", subject, s, e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_found_as_by_the_regex() {
        let sums = [
            "$500",
            "R$ 2.000",
            "10,000円",
            "1.000 €",
            "50 EUR",
            "20 dollars",
            "3 euro",
            "7 reais",
            "5 USDé",
            "$",
            "12",
            "1 dollar\u{17F}",
        ];
        let frames = [("", ""), ("x ", " y"), ("é", "é"), ("a", "b"), ("", "ü")];
        let re = MONEY.as_ref().unwrap();
        let found = super::super::wording_pattern::assert_boundary_is_regex(
            re,
            MONEY_PATTERN,
            &sums,
            &frames,
        );
        assert!(found > 60);
    }
}
