//! `celebrity_endorsement_lure`: a famous person's name sells money, crypto or a miracle
//! energy product — "Eco Savings by Elon Musk", "Elon Musk's secret to cutting your power
//! bill", "堀江貴文の投資LINEグループに無料招待". Fake endorsements by people whose names are
//! publicly known to be abused this way (list and sources: `data/impersonated_figures.toml`).
//!
//! A name alone proves nothing: news is full of these people. So:
//! - in the sender name (a famous person does not write to strangers, unless from their own
//!   domain), it takes money or energy wording in the sender name or subject, or the pitch
//!   (a giveaway, a secret, guaranteed returns) or two money words in the body;
//! - in the subject, it takes the pitch plus a second lure word, one of them in the subject;
//! - in the body only, the pitch and three lure words in all, one in the subject (or an
//!   SMS, which has no subject).
//!
//! Mail that warns about these scams (scam, 詐欺, なりすまし in the sender name or subject) is
//! left alone.

use super::{Context, party_evidence};
use crate::message::Kind;
use crate::report::Evidence;
use crate::text::{NormText, stands_as_word};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Deserialize)]
struct File {
    figure: Vec<Figure>,
    wording: Wording,
}

#[derive(Deserialize)]
struct Figure {
    name: String,
    names: Vec<String>,
    #[serde(default)]
    surnames: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
}

#[derive(Deserialize)]
struct Wording {
    topic: BTreeMap<String, Vec<String>>,
    hook: BTreeMap<String, Vec<String>>,
    warning: BTreeMap<String, Vec<String>>,
}

#[derive(Clone, Copy, PartialEq)]
enum Pat {
    /// Figure index; a full name (counts anywhere) or a surname (sender name and subject).
    Name(usize, bool),
    Topic,
    Hook,
    Warning,
}

struct Figures {
    figures: Vec<Figure>,
    automaton: AhoCorasick,
    kinds: Vec<Pat>,
}

/// The parsed data file; None if it fails to load (a test makes sure it loads).
static FIGURES: LazyLock<Option<Figures>> = LazyLock::new(|| load(crate::data::FIGURES).ok());

fn load(text: &str) -> Result<Figures, String> {
    let f: File = toml::from_str(text).map_err(|e| format!("figures: {e}"))?;
    let mut patterns = Vec::new();
    let mut kinds = Vec::new();
    let mut add = |p: &str, k: Pat| {
        let n = NormText::new(p, 256).text;
        if !n.is_empty() {
            patterns.push(n);
            kinds.push(k);
        }
    };
    for (i, fig) in f.figure.iter().enumerate() {
        fig.names.iter().for_each(|n| add(n, Pat::Name(i, true)));
        fig.surnames
            .iter()
            .for_each(|n| add(n, Pat::Name(i, false)));
    }
    for (list, k) in [
        (&f.wording.topic, Pat::Topic),
        (&f.wording.hook, Pat::Hook),
        (&f.wording.warning, Pat::Warning),
    ] {
        list.values().flatten().for_each(|p| add(p, k));
    }
    let automaton = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .map_err(|e| format!("figures: {e}"))?;
    Ok(Figures {
        figures: f.figure,
        automaton,
        kinds,
    })
}

/// What one text holds: names found, lure words (distinct), warning words.
#[derive(Default)]
struct Found {
    /// (figure, full name?, byte range in the normalised text)
    names: Vec<(usize, bool, usize, usize)>,
    topics: Vec<String>,
    hooks: Vec<String>,
    /// First lure word's byte range in the normalised text, for evidence.
    words: Vec<(usize, usize)>,
    warned: bool,
}

impl Found {
    fn lure_words(&self) -> usize {
        self.topics.len() + self.hooks.len()
    }
}

fn scan(f: &Figures, norm: &NormText) -> Found {
    let t = norm.text.as_bytes();
    let mut out = Found::default();
    for m in f.automaton.find_iter(&norm.text) {
        let (s, e) = (m.start(), m.end());
        if !stands_as_word(t, s, e) {
            continue;
        }
        let word = norm.text.get(s..e).unwrap_or("").to_string();
        match f.kinds.get(m.pattern().as_usize()) {
            Some(Pat::Name(i, full)) => out.names.push((*i, *full, s, e)),
            Some(Pat::Topic) if !out.topics.contains(&word) && !out.hooks.contains(&word) => {
                out.topics.push(word);
                out.words.push((s, e));
            }
            Some(Pat::Hook) if !out.hooks.contains(&word) && !out.topics.contains(&word) => {
                out.hooks.push(word);
                out.words.push((s, e));
            }
            Some(Pat::Warning) => out.warned = true,
            _ => {}
        }
    }
    out
}

/// Distinct lure words over several texts: (all, hooks).
fn distinct(parts: &[&Found]) -> (usize, usize) {
    let mut all: Vec<&str> = Vec::new();
    let mut hooks = 0;
    for p in parts {
        for w in &p.hooks {
            if !all.contains(&w.as_str()) {
                all.push(w);
                hooks += 1;
            }
        }
        for w in &p.topics {
            if !all.contains(&w.as_str()) {
                all.push(w);
            }
        }
    }
    (all.len(), hooks)
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(f) = FIGURES.as_ref() else {
        return Vec::new();
    };
    let msg = cx.msg;
    let sender_norm = msg
        .from
        .as_ref()
        .and_then(|p| p.name.as_deref())
        .map(|n| NormText::new(n, 512))
        .unwrap_or_default();
    let sender = scan(f, &sender_norm);
    let subject = scan(f, &msg.subject_norm);
    if sender.warned || subject.warned {
        return Vec::new();
    }
    // Without a name in the sender or subject, only a body naming someone under a subject
    // with lure words (or no subject at all) can fire: most mail skips the body scan.
    let headless = msg.kind == Kind::Sms || msg.subject.trim().is_empty();
    if sender.names.is_empty() && subject.names.is_empty() && subject.lure_words() == 0 && !headless
    {
        return Vec::new();
    }
    let body = scan(f, &msg.body_norm);
    let own_domain = |i: usize| {
        let reg = msg
            .from
            .as_ref()
            .and_then(|p| p.domain.as_ref())
            .map(|d| d.registrable.to_ascii_lowercase());
        f.figures
            .get(i)
            .zip(reg)
            .is_some_and(|(fig, r)| fig.domains.contains(&r))
    };
    let name_of = |i: usize| f.figures.get(i).map_or("", |fig| fig.name.as_str());
    let mut out = Vec::new();
    let mut who = None;

    // the sender name is a famous person's
    if let Some(&(i, ..)) = sender.names.iter().find(|(i, ..)| !own_domain(*i)) {
        let head = distinct(&[&sender, &subject]).0;
        if head >= 1 || !body.hooks.is_empty() || body.topics.len() >= 2 {
            if let Some(from) = &msg.from {
                out.push(
                    party_evidence(from)
                        .with_detail(format!("the sender name is {}'s", name_of(i))),
                );
            }
            who = Some(i);
        }
    }
    // the subject names one, with the pitch
    let subject_name = subject
        .names
        .iter()
        .find(|(i, ..)| who.is_none() && !own_domain(*i));
    if let Some(&(i, _, s, e)) = subject_name {
        let (all, hooks) = distinct(&[&subject, &body]);
        if hooks >= 1 && all >= 2 && subject.lure_words() >= 1 {
            if let Some((os, oe)) = msg.subject_norm.original_range(s, e) {
                out.push(
                    Evidence::span("header:Subject", &msg.subject, os, oe)
                        .with_detail(format!("names {}", name_of(i))),
                );
            }
            who = Some(i);
        }
    }
    // the body names one (full names only), with the pitch and more
    if who.is_none()
        && let Some(&(i, _, s, e)) = body
            .names
            .iter()
            .find(|(i, full, ..)| *full && !own_domain(*i))
    {
        let (all, hooks) = distinct(&[&subject, &body]);
        if hooks >= 1 && all >= 3 && (subject.lure_words() >= 1 || headless) {
            if let Some((os, oe)) = msg.body_norm.original_range(s, e) {
                out.push(
                    Evidence::span("body.text", &msg.body, os, oe)
                        .with_detail(format!("names {}", name_of(i))),
                );
            }
            who = Some(i);
        }
    }
    if who.is_none() {
        return Vec::new();
    }
    // the lure words, where they stand
    for (location, original, norm, found) in [
        ("header:Subject", &msg.subject, &msg.subject_norm, &subject),
        ("body.text", &msg.body, &msg.body_norm, &body),
    ] {
        for &(s, e) in found.words.iter().take(3) {
            if let Some((os, oe)) = norm.original_range(s, e) {
                out.push(Evidence::span(location, original, os, oe).with_detail("lure wording"));
            }
        }
    }
    out.truncate(8);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_loads() {
        let f = load(crate::data::FIGURES);
        assert!(
            f.as_ref().is_ok_and(|f| !f.figures.is_empty()),
            "{:?}",
            f.err()
        );
    }
}
