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
    "neukt",
    "kutje",
    "geile",
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
    } else if let Some(ev_addr) = written_freemail_address(cx) {
        ev.push(ev_addr);
    } else {
        return Vec::new();
    }
    ev
}

/// Header lines quoted in a forwarded or replied-to mail, in the languages of the phrases:
/// the addresses on them are the old mail's parties, not a contact offered to the reader.
const QUOTED_HEADERS: &[&str] = &[
    "from:",
    "to:",
    "cc:",
    "sent:",
    "de:",
    "para:",
    "enviado:",
    "von:",
    "an:",
    "gesendet:",
    "van:",
    "aan:",
    "verzonden:",
    "à:",
    "envoyé:",
    "da:",
    "a:",
    "inviato:",
    ">",
];

/// A personal free-mail address written out in the text ("write me at …@gmail.com"),
/// outside quoted header lines.
fn written_freemail_address(cx: &Context) -> Option<Evidence> {
    let body = &cx.msg.body;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let head = line.trim_start().to_lowercase();
        if QUOTED_HEADERS.iter().any(|q| head.starts_with(q)) {
            continue;
        }
        for (at, _) in line.match_indices('@') {
            let end = line
                .get(at + 1..)
                .and_then(|rest| {
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                })
                .map_or(line.len(), |e| at + 1 + e);
            let host = line.get(at + 1..end).unwrap_or("").trim_end_matches('.');
            let begin = line
                .get(..at)
                .and_then(|before| {
                    before.rfind(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
                    })
                })
                .map_or(0, |b| b + 1);
            if begin == at || host.is_empty() {
                continue;
            }
            let Some(d) = crate::domain::DomainInfo::parse(host) else {
                continue;
            };
            if cx.freemail.contains(&d) {
                let s = start + begin;
                let e = start + at + 1 + host.len();
                return Some(
                    Evidence::span("body.text", body, s, e)
                        .with_detail("a personal free-mail address written in the text"),
                );
            }
        }
    }
    None
}
