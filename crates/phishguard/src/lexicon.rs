//! Wording rules: phrase groups from `data/phrases.toml`, matched in one pass with
//! Aho-Corasick over the normalised subject and body. The same pass finds the brand
//! aliases (see [`Lexicon::with_aliases`]).

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
    /// The phrases, then the aliases, reporting every occurrence (overlapping): each set's
    /// leftmost-longest matches are read from those. (One pass over a text instead of a
    /// leftmost-longest pass per set.)
    automaton: AhoCorasick,
    pattern_check: Vec<String>,
    min_hits: std::collections::HashMap<String, usize>,
    /// Patterns after the phrases: brand aliases.
    aliases: usize,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, String> {
        Lexicon::with_aliases(text, &[])
    }

    /// [`Lexicon::parse`], also finding `aliases` ([`crate::brands::BrandSet::alias_patterns`])
    /// in [`Lexicon::scan`]. Left out if one is empty (an empty pattern matches everywhere).
    pub fn with_aliases(text: &str, aliases: &[String]) -> Result<Lexicon, String> {
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
        let aliases = if aliases.iter().any(String::is_empty) {
            &[]
        } else {
            aliases
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().chain(aliases))
            .map_err(|e| format!("phrases: {e}"))?;
        Ok(Lexicon {
            automaton,
            pattern_check,
            min_hits,
            aliases: aliases.len(),
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
        self.scan(text).0
    }

    /// The phrase matches in `text` ([`Lexicon::find`]) and the leftmost-longest matches
    /// `(alias, start, end)` of the aliases (None if there are none to find), from one pass.
    pub fn scan(&self, text: &NormText) -> (Vec<PhraseHit>, Option<Vec<Occurrence>>) {
        let phrases = self.pattern_check.len();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        let mut aliases: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&text.text) {
            let p = m.pattern().as_usize();
            match p.checked_sub(phrases) {
                None => found.push((p, m.start(), m.end())),
                Some(a) => aliases.push((a, m.start(), m.end())),
            }
        }
        let t = text.text.as_bytes();
        let mut hits = Vec::new();
        for (p, s, e) in leftmost_longest(found) {
            if !crate::text::stands_as_word(t, s, e) {
                continue;
            }
            if let Some(check) = self.pattern_check.get(p) {
                hits.push(PhraseHit {
                    check: check.clone(),
                    start: s,
                    end: e,
                });
            }
        }
        let aliases = (self.aliases > 0).then(|| leftmost_longest(aliases));
        (hits, aliases)
    }
}

/// A match of a pattern: (pattern, start, end).
pub type Occurrence = (usize, usize, usize);

/// The matches a leftmost-longest search reports, from all the occurrences `(pattern,
/// start, end)` of the patterns: from where the search stands, the occurrence that starts
/// first, the longest of those (the first pattern of equal ones), then on from its end.
fn leftmost_longest(mut all: Vec<Occurrence>) -> Vec<Occurrence> {
    all.sort_unstable_by_key(|&(p, s, e)| (s, std::cmp::Reverse(e), p));
    let mut at = 0;
    all.retain(|&(_, s, e)| {
        let keep = s >= at;
        if keep {
            at = e;
        }
        keep
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence of every pattern.
    fn overlapping(ac: &AhoCorasick, t: &str) -> Vec<(usize, usize, usize)> {
        ac.find_overlapping_iter(t)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    #[test]
    fn leftmost_longest_from_all_occurrences() {
        let patterns = [
            "a",
            "ab",
            "abc",
            "b",
            "bc",
            "bcd",
            "cd",
            "d",
            "abcd",
            "x",
            "ab",
            "bc",
            "dab",
            "cda",
            "ア",
            "アカ",
            "カウント",
            "アカウント",
        ];
        let standard = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .unwrap();
        let longest = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
            .unwrap();
        let pieces = ["a", "b", "c", "d", "x", " ", "ア", "カ", "ウント"];
        let mut rng = crate::test_rng::XorShift::new(0x853c_49e6_748f_ea9bu64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let t: String = (0..next(16)).map(|_| pieces[next(pieces.len())]).collect();
            let want: Vec<(usize, usize, usize)> = longest
                .find_iter(&t)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect();
            assert_eq!(leftmost_longest(overlapping(&standard, &t)), want, "{t}");
        }
    }

    #[test]
    fn one_pass_finds_phrases_and_aliases_as_their_own_searches() {
        let brands = crate::brands::BrandSet::builtin().unwrap();
        let lexicon = Lexicon::with_aliases(crate::data::PHRASES, brands.alias_patterns()).unwrap();
        let alone = Lexicon::parse(crate::data::PHRASES).unwrap();
        for text in [
            "Your Amazon account has been suspended. Verify your account at amazon.co.jp",
            "【三井住友カード】ご利用確認のお願い。アカウントを停止しました。楽天カード",
            "IRS.GOVERNMENT refund: claim your tax refund, irs notice, PayPal, paypal.me",
            "amazonian rivers and a line of text; LINE, Apple ID, apple",
            "",
        ] {
            let norm = NormText::new(text, 4096);
            let (phrases, aliases) = lexicon.scan(&norm);
            let key = |h: &PhraseHit| (h.check.clone(), h.start, h.end);
            assert_eq!(
                phrases.iter().map(key).collect::<Vec<_>>(),
                alone.find(&norm).iter().map(key).collect::<Vec<_>>()
            );
            let resolved = brands.resolve_aliases(&norm, aliases.unwrap());
            let direct = brands.find_aliases(&norm);
            let key = |h: &crate::brands::AliasHit| (h.brand, h.start, h.end);
            assert_eq!(
                resolved.iter().map(key).collect::<Vec<_>>(),
                direct.iter().map(key).collect::<Vec<_>>(),
                "{text}"
            );
        }
        assert_eq!(alone.scan(&NormText::new("amazon", 99)).1, None);
    }
}
