//! Shared by the checks that look for a wording *pattern* (a regular expression over the
//! normalised subject and body) rather than a fixed phrase list: the matches, with a guard
//! against sentences that warn about the thing ("we will never ask you to …").

use super::Context;
use crate::report::Evidence;
use crate::text::NormText;
use regex::Regex;

/// Words that, shortly before a match, turn a request into a warning about one.
const NEGATIONS: &[&str] = &[
    "never ",
    "nunca ",
    "niemals ",
    "nie ",
    "jamais ",
    "nooit ",
    "mai ",
    "not ask",
    "won't ask",
    "will not ask",
    "絶対に",
    "決して",
];

/// How far before a match (in normalised bytes) a negation still counts.
const NEGATION_REACH: usize = 60;

/// A match of a pattern: where it was found and its normalised byte range.
pub struct Match<'a> {
    pub location: &'static str,
    pub original: &'a str,
    pub norm: &'a NormText,
    pub start: usize,
    pub end: usize,
}

impl Match<'_> {
    /// The matched normalised text.
    pub fn text(&self) -> &str {
        self.norm.text.get(self.start..self.end).unwrap_or("")
    }

    /// Evidence pointing at the original text of the match.
    pub fn evidence(&self) -> Option<Evidence> {
        let (s, e) = self.norm.original_range(self.start, self.end)?;
        Some(Evidence::span(self.location, self.original, s, e))
    }
}

/// Is the match at `start` in `text` preceded closely by a negation?
pub fn negated(text: &str, start: usize) -> bool {
    preceded_by(text, start, NEGATIONS, NEGATION_REACH)
}

/// Does one of `words` occur in the `reach` bytes of `text` before `start`?
pub fn preceded_by(text: &str, start: usize, words: &[&str], reach: usize) -> bool {
    let mut from = start.saturating_sub(reach);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..start).unwrap_or("");
    words.iter().any(|n| before.contains(n))
}

/// The matches of `re` in the normalised subject and body (subject first), at most `max`,
/// leaving out those `negated` says warn rather than ask when `guard` is set.
pub fn matches<'a>(cx: &'a Context, re: &Regex, guard: bool, max: usize) -> Vec<Match<'a>> {
    let mut out = Vec::new();
    let sources = [
        (
            "header:Subject",
            cx.msg.subject.as_str(),
            &cx.msg.subject_norm,
        ),
        ("body.text", cx.msg.body.as_str(), &cx.msg.body_norm),
    ];
    for (location, original, norm) in sources {
        for m in re.find_iter(&norm.text) {
            if out.len() >= max {
                return out;
            }
            if guard && negated(&norm.text, m.start()) {
                continue;
            }
            out.push(Match {
                location,
                original,
                norm,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out
}

/// Evidence for a list of matches, one per distinct matched text, at most `max`.
pub fn evidence(found: &[Match], max: usize) -> Vec<Evidence> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for m in found {
        if out.len() >= max {
            break;
        }
        if seen.contains(&m.text()) {
            continue;
        }
        seen.push(m.text());
        out.extend(m.evidence());
    }
    out
}

/// A pattern with Unicode word boundaries (`\b`), searched as `Regex::find_iter` would but
/// faster on non-ASCII text. There the lazy DFA gives up on a Unicode `\b` and the slow
/// engine runs over the whole text; here the same pattern without its `\b`s (it matches
/// wherever the pattern does, and the lazy DFA runs it) finds where a match may start, and
/// the pattern is tried anchored at those places only. The pattern must not match empty.
pub struct BoundaryRegex {
    exact: regex_automata::meta::Regex,
    gate: Regex,
}

impl BoundaryRegex {
    pub fn new(pattern: &str) -> Option<BoundaryRegex> {
        Some(BoundaryRegex {
            exact: regex_automata::meta::Regex::new(pattern).ok()?,
            gate: Regex::new(&pattern.replace(r"\b", "")).ok()?,
        })
    }

    /// The first match starting at `at` or later.
    fn find_at(&self, text: &str, mut at: usize) -> Option<(usize, usize)> {
        loop {
            // no match of the pattern starts before the gate's first one
            let start = self.gate.find_at(text, at)?.start();
            let input = regex_automata::Input::new(text)
                .range(start..)
                .anchored(regex_automata::Anchored::Yes);
            if let Some(m) = self.exact.find(input) {
                return (m.end() > m.start()).then_some((m.start(), m.end()));
            }
            at = start + text.get(start..)?.chars().next()?.len_utf8();
        }
    }

    /// The matches in `text` (byte ranges), as `Regex::find_iter` finds them.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let mut at = 0;
        std::iter::from_fn(move || {
            let found = self.find_at(text, at)?;
            at = found.1;
            Some(found)
        })
    }
}
