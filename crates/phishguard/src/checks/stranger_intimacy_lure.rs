//! `stranger_intimacy_lure`: romance, dating and adult-content lures from strangers — a
//! lonely woman nearby who wants to meet, a friendship request out of the blue, sexual
//! come-ons (phrases of the `intimacy` group in `data/phrases.toml`, two needed) — that
//! also offer a way out of the mail: a web link, a free-mail sender or a reply diverted to
//! one. Wording alone stays silent: people write to those they know about love too. And
//! words that only name the topic (sex, porn, dating) are what newsletters and discussions
//! say as well: at least one phrase must be the approach itself (someone wants to meet,
//! chat, be friends, is lonely, nearby, waiting).

use super::{Context, link_evidence, party_evidence};
use crate::report::Evidence;

/// Phrases of the group that name the topic rather than make an approach.
const TOPIC_ONLY: &[&str] = &[
    "sex",
    "sexy",
    "porn",
    "xxx",
    "fuck",
    "cock",
    "suck",
    "pussy",
    "penis",
    "boobs",
    "naked",
    "nude",
    "nudes",
    "horny",
    "naughty",
    "erotic",
    "lover",
    "kisses",
    "milf",
    "slut",
    "sluts",
    "bitches",
    "lewd",
    "dating",
    "singles",
    "flirt",
    "tinder",
    "sexo",
    "porno",
    "sexe",
    "seks",
    "sesso",
    "nackt",
    "nackte",
    "geil",
    "geile",
    "ficken",
    "schwanz",
    "sperma",
    "dildo",
    "erotik",
    "nua",
    "nuas",
    "desnuda",
    "desnudas",
    "nue",
    "nues",
    "nuda",
    "flirten",
    "sexy",
    "エッチ",
    "アダルト",
    "無修正",
    "不倫",
    "セフレ",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let approach = cx
        .distinct_phrases("stranger_intimacy_lure")
        .iter()
        .any(|p| !TOPIC_ONLY.contains(p));
    if !approach {
        return Vec::new();
    }
    let mut ev = cx.phrase_evidence("stranger_intimacy_lure");
    if ev.is_empty() {
        return ev;
    }
    if let Some(p) = cx.freemail_party() {
        ev.push(party_evidence(p).with_detail("free-mail sender"));
    } else if let Some((i, l)) = cx.web_links().next() {
        ev.push(link_evidence(i, l));
    } else if let Some(at) = cx
        .msg
        .body
        .find("http://")
        .or_else(|| cx.msg.body.find("https://"))
    {
        // an address written out in the text, not made a link
        let end = cx
            .msg
            .body
            .get(at..)
            .and_then(|rest| rest.find(char::is_whitespace))
            .map_or(cx.msg.body.len(), |e| at + e);
        ev.push(Evidence::span("body.text", &cx.msg.body, at, end));
    } else {
        return Vec::new();
    }
    ev
}
