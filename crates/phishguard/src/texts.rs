//! Reader-facing texts per language, from `data/texts.{ja,en}.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub verdict: BTreeMap<String, String>,
    pub reasons: BTreeMap<String, String>,
    pub advice: BTreeMap<String, String>,
}

impl Texts {
    pub fn parse(text: &str, lang: &str, check_ids: &[&str]) -> Result<Texts, String> {
        let t: Texts = toml::from_str(text).map_err(|e| format!("texts.{lang}: {e}"))?;
        for id in check_ids {
            if !t.reasons.contains_key(*id) {
                return Err(format!("texts.{lang}: no reason text for check {id:?}"));
            }
        }
        for v in ["phishing", "suspicious", "legitimate"] {
            if !t.verdict.contains_key(v) {
                return Err(format!("texts.{lang}: no verdict text for {v:?}"));
            }
        }
        Ok(t)
    }

    /// The verdict line; a text message has its own (`phishing_sms`) where the texts have it.
    pub fn verdict_line(&self, verdict: &str, sms: bool) -> String {
        sms.then(|| self.verdict.get(&format!("{verdict}_sms")))
            .flatten()
            .or_else(|| self.verdict.get(verdict))
            .cloned()
            .unwrap_or_default()
    }

    pub fn advice(&self, id: &str) -> &str {
        self.advice.get(id).map_or("", String::as_str)
    }
}

/// Fill `{name}` placeholders.
pub fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in vars {
        // (most texts have no placeholder: no pattern to build, no copy to make)
        if !s.contains('{') {
            break;
        }
        let pattern = format!("{{{k}}}");
        if s.contains(&pattern) {
            s = s.replace(&pattern, v);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fill` as it was: every variable replaced in turn.
    fn reference_fill(template: &str, vars: &[(&str, &str)]) -> String {
        let mut s = template.to_string();
        for (k, v) in vars {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    #[test]
    fn fill_is_the_replacement_in_turn() {
        let pieces = [
            "{brand}",
            "{url}",
            "{",
            "}",
            "brand",
            "url",
            "x",
            " ",
            "{{brand}}",
        ];
        let values = ["", "Amazon", "{url}", "{brand}", "a{b}c", "{"];
        let mut rng = crate::test_rng::XorShift::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..20_000 {
            let t: String = (0..next(8)).map(|_| pieces[next(pieces.len())]).collect();
            let (b, u) = (values[next(values.len())], values[next(values.len())]);
            for vars in [
                &[("brand", b)][..],
                &[("brand", b), ("url", u)][..],
                &[("url", u), ("brand", b)][..],
                &[][..],
            ] {
                assert_eq!(fill(&t, vars), reference_fill(&t, vars), "{t:?} {vars:?}");
            }
        }
    }
}
