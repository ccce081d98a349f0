//! Wording rules: phrase groups from `data/phrases.toml`, matched in one pass with
//! Aho-Corasick over the normalised subject and body.

use crate::text::NormText;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct PhraseFile {
    group: Vec<Group>,
}

#[derive(Debug, Deserialize)]
struct Group {
    id: String,
    check: String,
    /// Distinct phrases needed before the check fires (default 1): for groups whose
    /// phrases also appear in ordinary mail, one alone proves little.
    #[serde(default = "one")]
    min_hits: usize,
    /// Phrases per language code (`ja`, `en`, `pt`, `de`, …).
    #[serde(flatten)]
    phrases: std::collections::BTreeMap<String, Vec<String>>,
}

fn one() -> usize {
    1
}

/// A phrase found in a text.
#[derive(Debug, Clone)]
pub struct PhraseHit {
    /// The check this phrase feeds.
    pub check: String,
    /// Byte range in the normalised text.
    pub start: usize,
    pub end: usize,
}

#[derive(Debug)]
pub struct Lexicon {
    automaton: AhoCorasick,
    pattern_check: Vec<String>,
    min_hits: std::collections::HashMap<String, usize>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        let f: PhraseFile = toml::from_str(text).map_err(|e| format!("phrases: {e}"))?;
        let mut patterns = Vec::new();
        let mut pattern_check = Vec::new();
        let mut min_hits = std::collections::HashMap::new();
        for g in f.group {
            min_hits.insert(g.check.clone(), g.min_hits.max(1));
            if g.id.is_empty() {
                return Err("phrases: a group has no id".into());
            }
            for p in g.phrases.values().flatten() {
                let n = NormText::new(p, 512).text;
                if n.is_empty() {
                    return Err(format!("phrases: empty phrase in group {}", g.id));
                }
                patterns.push(n);
                pattern_check.push(g.check.clone());
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| format!("phrases: {e}"))?;
        Ok(Lexicon {
            automaton,
            pattern_check,
            min_hits,
        })
    }

    /// Distinct phrases `check` needs before it fires.
    pub fn min_hits(&self, check: &str) -> usize {
        self.min_hits.get(check).copied().unwrap_or(1)
    }

    /// Check ids the phrase groups feed.
    pub fn checks(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.pattern_check.iter().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// All phrase matches in `text`; phrases that begin or end with a Latin letter must
    /// stand as words (`pin` is not found in `spinning`).
    pub fn find(&self, text: &NormText) -> Vec<PhraseHit> {
        let t = text.text.as_bytes();
        let mut hits = Vec::new();
        for m in self.automaton.find_iter(&text.text) {
            let (s, e) = (m.start(), m.end());
            if !crate::text::stands_as_word(t, s, e) {
                continue;
            }
            if let Some(check) = self.pattern_check.get(m.pattern().as_usize()) {
                hits.push(PhraseHit {
                    check: check.clone(),
                    start: s,
                    end: e,
                });
            }
        }
        hits
    }
}
