//! `username_carries_offer`: an account notice ("Login details", "Your account was
//! created") whose *user name* is an advertisement: a sum of money, a crypto exchange or a
//! "withdraw" line typed into a sign-up form so that a genuine site mails it to the victim.
//! Real user names are a word or an address, not "1,200 USD – withdraw now".

use super::Context;
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

/// How far after the label (normalised bytes) the user name is read.
const VALUE_REACH: usize = 100;

static LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?-u:\b)(?:username|user name|user login|login name|nome de usuário|nome do usuário|nome utente|nombre de usuario|identifiant|nom d['’]utilisateur|benutzername|gebruikersnaam)|ユーザー名|ユーザーid|نام ?کاربری)\s?:",
    )
    .ok()
});

static OFFER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\d[\d.,]*(?:\s\d{3})*\s?(?:usd|eur|euros?|btc|usdt|eth|bnb|dollars?)(?-u:\b)|[$€£]\s?\d|(?-u:\b)(?:withdraw|withdrawal|binance|bitcoin|usdt|btc|crypto|bonus|trade t[o0] earn|claim)(?-u:\b)",
    )
    .ok()
});

pub fn run(cx: &Context) -> Vec<Evidence> {
    let (Some(label), Some(offer)) = (LABEL.as_ref(), OFFER.as_ref()) else {
        return Vec::new();
    };
    let norm = &cx.msg.body_norm;
    for l in label.find_iter(&norm.text).take(5) {
        let mut end = (l.end() + VALUE_REACH).min(norm.text.len());
        while end > l.end() && !norm.text.is_char_boundary(end) {
            end -= 1;
        }
        let value = norm.text.get(l.end()..end).unwrap_or("");
        if let Some(m) = offer.find(value) {
            let (s, e) = (l.start(), l.end() + m.end());
            if let Some((os, oe)) = norm.original_range(s, e) {
                return vec![
                    Evidence::span("body.text", &cx.msg.body, os, oe)
                        .with_detail("an advert typed in as the user name"),
                ];
            }
        }
    }
    Vec::new()
}
