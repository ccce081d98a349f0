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
pub fn matches<'a>(cx: &'a Context, re: &impl Pattern, guard: bool, max: usize) -> Vec<Match<'a>> {
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
        for (start, end) in re.spans(&norm.text) {
            if out.len() >= max {
                return out;
            }
            if guard && negated(&norm.text, start) {
                continue;
            }
            out.push(Match {
                location,
                original,
                norm,
                start,
                end,
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

/// A wording pattern: its matches in a text, in order, as `Regex::find_iter` finds them.
pub trait Pattern {
    fn spans<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = (usize, usize)> + 't>;
}

impl Pattern for Regex {
    fn spans<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        Box::new(self.find_iter(text).map(|m| (m.start(), m.end())))
    }
}

/// An alternation searched as consecutive groups of its alternatives, one regex each,
/// with the matches the whole alternation finds (leftmost first; at the same start the
/// earlier group wins). One lazy DFA for all the languages' wording needs many more
/// states than the groups' together, and most groups (other languages) have literal
/// prefixes the regex engine skips ahead with. A group may have a gate: a test every
/// text holding a match of the group passes (a literal all its matches contain), so
/// that the group is not searched in a text that fails it. The alternatives must not
/// match empty.
pub struct SplitRegex {
    groups: Vec<(Regex, Option<Gate>)>,
}

/// A test every text holding a match of a group passes.
pub type Gate = fn(&str) -> bool;

impl SplitRegex {
    /// `groups`: the alternatives, in order, in groups, each with its gate if any.
    pub fn new(groups: &[(&[String], Option<Gate>)]) -> Option<SplitRegex> {
        let groups = groups
            .iter()
            .map(|(alts, gate)| Some((Regex::new(&alts.join("|")).ok()?, *gate)))
            .collect::<Option<Vec<_>>>()?;
        Some(SplitRegex { groups })
    }
}

impl Pattern for SplitRegex {
    fn spans<'t>(&'t self, text: &'t str) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        let find = |re: &Regex, at: usize| re.find_at(text, at).map(|m| (m.start(), m.end()));
        // each group's first match from where the search stands (none: none later either)
        let mut next: Vec<Option<(usize, usize)>> = self
            .groups
            .iter()
            .map(|(re, gate)| {
                if gate.is_some_and(|g| !g(text)) {
                    None
                } else {
                    find(re, 0)
                }
            })
            .collect();
        Box::new(std::iter::from_fn(move || {
            let mut best: Option<(usize, usize)> = None;
            for &(s, e) in next.iter().flatten() {
                if best.is_none_or(|(bs, _)| s < bs) {
                    best = Some((s, e));
                }
            }
            let (_, end) = best?;
            // a group's match that starts at or after `end` is still its first from there
            for (n, (re, _)) in next.iter_mut().zip(&self.groups) {
                if n.is_some_and(|(s, _)| s < end) {
                    *n = find(re, end);
                }
            }
            best
        }))
    }
}

/// Checks that `split` finds in `texts` (and in every two of them joined) what the
/// whole alternation of `alternatives` finds.
#[cfg(test)]
pub fn assert_split_is_whole(split: &SplitRegex, alternatives: &[String], texts: &[&str]) {
    let whole = Regex::new(&alternatives.join("|")).unwrap();
    let mut joined: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
    for a in texts {
        for b in texts {
            joined.push(format!("{a} {b}"));
            joined.push(format!("{a}{b}"));
        }
    }
    let mut found = 0;
    for t in &joined {
        let want: Vec<(usize, usize)> = whole.find_iter(t).map(|m| (m.start(), m.end())).collect();
        found += want.len();
        assert_eq!(split.spans(t).collect::<Vec<_>>(), want, "{t}");
    }
    assert!(found > joined.len(), "{found}");
}

/// Checks that `re` finds what `Regex::find_iter` of `pattern` finds in each of `items`
/// framed by `frames` (`{before}{item}{after} …`, three times per text); returns how many
/// matches there were, so that a test can insist its texts matched at all.
#[cfg(test)]
pub fn assert_boundary_is_regex(
    re: &BoundaryRegex,
    pattern: &str,
    items: &[&str],
    frames: &[(&str, &str)],
) -> usize {
    let plain = Regex::new(pattern).unwrap();
    let mut found = 0;
    for item in items {
        for (before, after) in frames {
            let text = format!("{before}{item}{after} und {item}{before}, {after}{item}{item}");
            let want: Vec<(usize, usize)> = plain
                .find_iter(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            found += want.len();
            assert_eq!(re.find_iter(&text).collect::<Vec<_>>(), want, "{text}");
        }
    }
    found
}
