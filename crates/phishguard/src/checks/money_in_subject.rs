//! `money_in_subject`: the subject dangles a sum of money ("Ihre 1.000 € Auszahlung",
//! "$500 reward", "R$ 2.000 disponível", "10,000円分"). Shops quote prices too, so it is
//! weak alone.

use super::Context;
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

static MONEY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:[$€£¥]|R\$|US\$)\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|円|万円|ドル)|\d[\d.,]*\s?(?:EUR|USD|reais|euros?|dollars?)\b",
    )
    .ok()
});

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(re) = MONEY.as_ref() else {
        return Vec::new();
    };
    re.find_iter(&cx.msg.subject)
        .filter(|m| m.as_str().chars().filter(char::is_ascii_digit).count() >= 2)
        .take(2)
        .map(|m| Evidence::span("header:Subject", &cx.msg.subject, m.start(), m.end()))
        .collect()
}
