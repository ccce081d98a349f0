//! Brand knowledge, loaded from the data files under `brands/` and validated at start.
//!
//! Brands are data, not code: adding a brand is adding one TOML file. The schema is
//! documented in `brands/README.md`.

use crate::domain::DomainInfo;
use crate::text::{NormText, skeleton_lower};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Languages every brand file must cover.
pub const LANGUAGES: [&str; 2] = ["ja", "en"];

/// One brand file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// Stable id (`amazon`), lower-case ASCII.
    pub id: String,
    /// How the brand is named to the reader, per language.
    pub name: BTreeMap<String, String>,
    /// Names the brand is called by in mail, per language (`ja`, `en`, …).
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Names that are ordinary words in lower case and the brand only in capitals
    /// (`LINE`): matched only when written in capitals.
    #[serde(default)]
    pub caps_aliases: Vec<String>,
    /// ASCII tokens which, found inside an unrelated domain name, make it a look-alike
    /// (`amazon` in `info-amazon-membership.net`).
    #[serde(default)]
    pub domain_tokens: Vec<String>,
    pub domains: BrandDomains,
    #[serde(default)]
    pub report: Report,
    #[serde(default)]
    pub help: Help,
    /// Where each fact came from.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandDomains {
    /// Domains the brand's genuine mail is sent from (a listed domain covers its sub-domains).
    pub sender: Vec<String>,
    /// Domains the brand's genuine links point to (sender domains are added implicitly).
    #[serde(default)]
    pub link: Vec<String>,
    /// Domains the brand owns but which carry third parties' mail or pages (cloud hosting,
    /// bulk-mail services): neither official for the brand nor a look-alike of it.
    #[serde(default)]
    pub infrastructure: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Addresses to forward suspicious mail to.
    #[serde(default)]
    pub addresses: Vec<String>,
    /// A web page for reporting.
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Help {
    /// The brand's page about phishing and safety.
    #[serde(default)]
    pub safety_page: Option<String>,
    /// Where the account's own notices can be checked, per language.
    #[serde(default)]
    pub account_check: BTreeMap<String, String>,
    /// Brand-specific steps for a reader who already clicked, per language.
    #[serde(default)]
    pub if_clicked: BTreeMap<String, Vec<String>>,
}

/// How a domain relates to a brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// Sends the brand's genuine mail.
    Sender,
    /// Hosts the brand's genuine links.
    Link,
    /// Owned, but carries third parties' content.
    Infrastructure,
}

/// An error in a brand file: which file, which field, what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {field}: {message}")]
pub struct BrandError {
    pub file: String,
    pub field: String,
    pub message: String,
}

/// An alias match in a normalised text.
#[derive(Debug, Clone, Copy)]
pub struct AliasHit {
    pub brand: usize,
    /// Byte range in the normalised text.
    pub start: usize,
    pub end: usize,
}

/// All loaded brands, with the lookup structures built once.
#[derive(Debug)]
pub struct BrandSet {
    brands: Vec<Brand>,
    /// registrable-or-listed domain → (brand index, ownership)
    domains: HashMap<String, (usize, Ownership)>,
    /// Listed domains that are public suffixes themselves (`gov.br`): a government lists
    /// its suffix, and every registrable domain under it is the government's.
    suffix_domains: Vec<String>,
    aliases: AhoCorasick,
    /// The patterns of `aliases` (normalised aliases), in order.
    alias_patterns: Vec<String>,
    alias_brand: Vec<usize>,
    /// Which patterns must be written in capitals.
    alias_caps: Vec<bool>,
    /// For each pattern, the shorter patterns it begins with, longest first: a longer
    /// alias that fails the word test (`IRS.gov` inside `IRS.GOVERNMENT`) must not hide a
    /// shorter one that passes (`IRS`); leftmost-longest search reports only the longer.
    alias_prefixes: Vec<Vec<usize>>,
    /// Byte length of each pattern.
    alias_lens: Vec<usize>,
    /// (skeleton of an ASCII alias or domain token, brand)
    skeletons: Vec<(String, usize)>,
    /// For each skeleton above, the plain token it came from (for messages).
    skeleton_plain: Vec<String>,
    /// Bit sets over `skeletons`, `skeleton_words` u64s each: rows 0-3 are indexed by a
    /// byte (the plain token's first byte, its last, the skeleton's first, its last); the
    /// last row holds tokens that are empty either way (they may begin or end anything).
    skeleton_ends: Vec<u64>,
    skeleton_words: usize,
    /// Names of official sender/link domains left of their suffix (`amazon` for
    /// amazon.co.jp), with brand and domain, for "one letter off" look-alikes.
    official_labels: Vec<(String, usize, String)>,
    /// Brand names by look-alike key, to find them spelt with look-alike characters.
    lookalikes: crate::text::LookalikeIndex<usize>,
}

impl Brand {
    /// The brand's name in `lang`, falling back to English.
    pub fn display_name(&self, lang: &str) -> &str {
        self.name
            .get(lang)
            .or_else(|| self.name.get("en"))
            .map_or(self.id.as_str(), String::as_str)
    }

    fn validate(&self, file: &str) -> Result<(), BrandError> {
        let err = |field: &str, message: String| BrandError {
            file: file.to_string(),
            field: field.to_string(),
            message,
        };
        if self.id.is_empty()
            || !self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(err("id", format!("{:?} must be lower-case ASCII", self.id)));
        }
        for lang in LANGUAGES {
            if self.name.get(lang).is_none_or(|n| n.trim().is_empty()) {
                return Err(err(&format!("name.{lang}"), "missing".into()));
            }
            if self.aliases.get(lang).is_none_or(|a| a.is_empty()) {
                return Err(err(&format!("aliases.{lang}"), "missing or empty".into()));
            }
            if self
                .help
                .account_check
                .get(lang)
                .is_none_or(|a| a.trim().is_empty())
            {
                return Err(err(&format!("help.account_check.{lang}"), "missing".into()));
            }
        }
        for (lang, list) in &self.aliases {
            // a key that is not a language code is a misplaced field (e.g. a top-level
            // key written after the [aliases] table)
            if !(lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase())) {
                return Err(err(
                    &format!("aliases.{lang}"),
                    "not a two-letter language code (a top-level key placed after [aliases]?)"
                        .into(),
                ));
            }
            for a in list {
                if NormText::new(a, 256).text.chars().count() < 2 {
                    return Err(err(
                        &format!("aliases.{lang}"),
                        format!("{a:?} is too short"),
                    ));
                }
            }
        }
        for a in &self.caps_aliases {
            if a.len() < 2 || a.chars().any(char::is_lowercase) {
                return Err(err(
                    "caps_aliases",
                    format!("{a:?} must be written in capitals"),
                ));
            }
        }
        for t in &self.domain_tokens {
            if t.len() < 3
                || !t
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Err(err(
                    "domain_tokens",
                    format!("{t:?} must be 3+ lower-case ASCII letters or digits"),
                ));
            }
        }
        if self.domains.sender.is_empty() {
            return Err(err(
                "domains.sender",
                "at least one domain is needed".into(),
            ));
        }
        for (field, list) in [
            ("domains.sender", &self.domains.sender),
            ("domains.link", &self.domains.link),
            ("domains.infrastructure", &self.domains.infrastructure),
        ] {
            for d in list {
                let ok = DomainInfo::parse(d).is_some_and(|i| !i.is_ip && i.ascii == *d);
                if !ok {
                    return Err(err(
                        field,
                        format!("{d:?} is not a lower-case ASCII domain name"),
                    ));
                }
            }
        }
        for a in &self.report.addresses {
            let ok = crate::domain::address_domain(a)
                .and_then(DomainInfo::parse)
                .is_some();
            if !ok {
                return Err(err(
                    "report.addresses",
                    format!("{a:?} is not a mail address"),
                ));
            }
        }
        for (field, url) in [
            ("report.url", &self.report.url),
            ("help.safety_page", &self.help.safety_page),
        ] {
            if let Some(u) = url
                && (!u.starts_with("https://") || url::Url::parse(u).is_err())
            {
                return Err(err(field, format!("{u:?} is not an https URL")));
            }
        }
        Ok(())
    }
}

impl BrandSet {
    /// The brands compiled into phishguard (the repository's `brands/` folder).
    pub fn builtin() -> Result<BrandSet, BrandError> {
        let files = crate::data::BUILTIN_BRANDS
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()));
        BrandSet::from_sources(files)
    }

    /// Load every `*.toml` file in `dir`.
    pub fn load_dir(dir: &Path) -> Result<BrandSet, BrandError> {
        let io_err = |e: std::io::Error| BrandError {
            file: dir.display().to_string(),
            field: "-".into(),
            message: e.to_string(),
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io_err)? {
            let path = entry.map_err(io_err)?.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).map_err(|e| BrandError {
                    file: path.display().to_string(),
                    field: "-".into(),
                    message: e.to_string(),
                })?;
                files.push((path.display().to_string(), text));
            }
        }
        files.sort();
        BrandSet::from_sources(files)
    }

    /// Parse and validate brand files given as (file name, TOML text).
    pub fn from_sources(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> Result<BrandSet, BrandError> {
        let mut brands = Vec::new();
        let mut files_of = Vec::new();
        for (file, text) in files {
            let brand: Brand = toml::from_str(&text).map_err(|e| BrandError {
                file: file.clone(),
                field: e
                    .span()
                    .and_then(|s| text.get(..s.start))
                    .map(|p| format!("line {}", p.lines().count().max(1)))
                    .unwrap_or_else(|| "-".into()),
                message: e.message().to_string(),
            })?;
            brand.validate(&file)?;
            brands.push(brand);
            files_of.push(file);
        }
        if brands.is_empty() {
            return Err(BrandError {
                file: "brands/".into(),
                field: "-".into(),
                message: "no brand files".into(),
            });
        }
        let mut domains: HashMap<String, (usize, Ownership)> = HashMap::new();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, b) in brands.iter().enumerate() {
            if let Some(j) = ids.insert(&b.id, i) {
                return Err(BrandError {
                    file: files_of.get(i).cloned().unwrap_or_default(),
                    field: "id".into(),
                    message: format!(
                        "{:?} is also the id in {}",
                        b.id,
                        files_of.get(j).cloned().unwrap_or_default()
                    ),
                });
            }
            let lists = [
                (Ownership::Sender, &b.domains.sender),
                (Ownership::Link, &b.domains.link),
                (Ownership::Infrastructure, &b.domains.infrastructure),
            ];
            for (own, list) in lists {
                for d in list {
                    match domains.get(d) {
                        Some((j, _)) if *j != i => {
                            return Err(BrandError {
                                file: files_of.get(i).cloned().unwrap_or_default(),
                                field: "domains".into(),
                                message: format!(
                                    "{d:?} is also claimed by {}",
                                    files_of.get(*j).cloned().unwrap_or_default()
                                ),
                            });
                        }
                        // the strongest ownership wins (sender > link > infrastructure)
                        Some((_, prev)) if rank(*prev) <= rank(own) => {}
                        _ => {
                            domains.insert(d.clone(), (i, own));
                        }
                    }
                }
            }
        }
        let mut patterns = Vec::new();
        let mut alias_brand = Vec::new();
        let mut alias_caps = Vec::new();
        let mut skeletons = Vec::new();
        for (i, b) in brands.iter().enumerate() {
            for list in b.aliases.values() {
                for a in list {
                    let n = NormText::new(a, 256).text;
                    if a.is_ascii() && !a.contains(' ') {
                        skeletons.push((skeleton_lower(a), i));
                    }
                    patterns.push(n);
                    alias_brand.push(i);
                    alias_caps.push(false);
                }
            }
            for a in &b.caps_aliases {
                patterns.push(NormText::new(a, 256).text);
                alias_brand.push(i);
                alias_caps.push(true);
            }
            for t in &b.domain_tokens {
                skeletons.push((skeleton_lower(t), i));
            }
        }
        skeletons.sort();
        skeletons.dedup();
        let skeleton_plain: Vec<String> = skeletons
            .iter()
            .map(|(sk, b)| {
                brands
                    .get(*b)
                    .and_then(|br| {
                        br.domain_tokens
                            .iter()
                            .chain(br.aliases.values().flatten())
                            .find(|t| t.is_ascii() && skeleton_lower(t) == *sk)
                    })
                    .map_or_else(|| sk.clone(), |t| t.to_ascii_lowercase())
            })
            .collect();
        let (skeleton_ends, skeleton_words) = skeleton_end_index(&skeletons, &skeleton_plain);
        let mut official_labels = Vec::new();
        for (i, b) in brands.iter().enumerate() {
            for d in b.domains.sender.iter().chain(&b.domains.link) {
                if let Some(info) = DomainInfo::parse(d) {
                    let label = info.registrable_label().to_string();
                    if label.len() >= 5 {
                        official_labels.push((label, i, d.clone()));
                    }
                }
            }
        }
        let mut lookalikes = crate::text::LookalikeIndex::default();
        for (i, b) in brands.iter().enumerate() {
            // capitals-only aliases are ordinary words in lower case (`LINE`): left out
            for name in b.aliases.values().flatten().chain(&b.domain_tokens) {
                lookalikes.insert(name, i);
            }
        }
        let alias_lens = patterns.iter().map(String::len).collect();
        let alias_prefixes = patterns
            .iter()
            .map(|long: &String| {
                let mut shorter: Vec<usize> = patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.len() < long.len() && long.starts_with(p.as_str()))
                    .map(|(j, _)| j)
                    .collect();
                shorter.sort_by_key(|&j| std::cmp::Reverse(patterns.get(j).map_or(0, String::len)));
                shorter
            })
            .collect();
        let aliases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| BrandError {
                file: "brands/".into(),
                field: "aliases".into(),
                message: e.to_string(),
            })?;
        let suffix_domains = domains
            .keys()
            .filter(|d| {
                psl::suffix(d.as_bytes())
                    .is_some_and(|s| s.is_known() && s.as_bytes() == d.as_bytes())
            })
            .cloned()
            .collect();
        Ok(BrandSet {
            brands,
            domains,
            suffix_domains,
            aliases,
            alias_patterns: patterns,
            alias_brand,
            alias_caps,
            alias_prefixes,
            alias_lens,
            skeletons,
            skeleton_plain,
            skeleton_ends,
            skeleton_words,
            official_labels,
            lookalikes,
        })
    }

    pub fn brands(&self) -> &[Brand] {
        &self.brands
    }

    pub fn get(&self, index: usize) -> Option<&Brand> {
        self.brands.get(index)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.brands.iter().position(|b| b.id == id)
    }

    /// Which brand owns `host` (or a parent of it, on label boundaries), and how.
    pub fn owner(&self, host: &DomainInfo) -> Option<(usize, Ownership)> {
        if host.is_ip {
            return None;
        }
        // Walk up the labels: a.b.amazon.co.jp, b.amazon.co.jp, amazon.co.jp — but never
        // above the registrable domain, so a listed domain can't be matched by suffix alone.
        let mut h = host.ascii.as_str();
        loop {
            if let Some(o) = self.domains.get(h) {
                return Some(*o);
            }
            if h.len() <= host.registrable.len() {
                break;
            }
            match h.split_once('.') {
                Some((_, rest)) => h = rest,
                None => return None,
            }
        }
        // above the registrable domain only a listed public suffix (`gov.br`) counts
        let owning = self.suffix_domains.iter().find(|s| {
            host.ascii
                .strip_suffix(s.as_str())
                .is_some_and(|p| p.ends_with('.'))
        })?;
        self.domains.get(owning).copied()
    }

    /// Is `host` one the brand sends its genuine mail from?
    pub fn is_official_sender(&self, brand: usize, host: &DomainInfo) -> bool {
        matches!(self.owner(host), Some((b, Ownership::Sender)) if b == brand)
    }

    /// Is `host` one the brand's genuine links go to?
    pub fn is_official_link(&self, brand: usize, host: &DomainInfo) -> bool {
        matches!(self.owner(host), Some((b, Ownership::Sender | Ownership::Link)) if b == brand)
    }

    /// Does any brand own `host` in any way?
    pub fn is_owned(&self, host: &DomainInfo) -> bool {
        self.owner(host).is_some()
    }

    /// Brand aliases found in a normalised text. Latin aliases must stand as words
    /// (`amazon` in `amazonian` is not a mention).
    pub fn find_aliases(&self, text: &NormText) -> Vec<AliasHit> {
        self.resolve_aliases(
            text,
            self.aliases
                .find_iter(&text.text)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
        )
    }

    /// The normalised alias patterns (what [`BrandSet::find_aliases`] searches for, in
    /// order: a pattern's index is its id in `resolve_aliases`).
    pub fn alias_patterns(&self) -> &[String] {
        &self.alias_patterns
    }

    /// [`BrandSet::find_aliases`] from the leftmost-longest matches `(pattern, start, end)`
    /// of the alias patterns in `text`, found elsewhere.
    pub fn resolve_aliases(
        &self,
        text: &NormText,
        matches: impl IntoIterator<Item = (usize, usize, usize)>,
    ) -> Vec<AliasHit> {
        let t = text.text.as_bytes();
        let mut hits = Vec::new();
        for (longest, s, m_end) in matches {
            let shorter = self
                .alias_prefixes
                .get(longest)
                .map_or(&[][..], Vec::as_slice);
            // the match, else the longest alias it begins with that stands as a word
            let found = std::iter::once(longest)
                .chain(shorter.iter().copied())
                .find(|&p| {
                    let e = s + self.pattern_len(p, m_end - s);
                    let caps = self.alias_caps.get(p).copied().unwrap_or(false);
                    crate::text::stands_as_word(t, s, e) && (!caps || text.is_all_caps(s, e))
                });
            if let Some(p) = found
                && let Some(&brand) = self.alias_brand.get(p)
            {
                hits.push(AliasHit {
                    brand,
                    start: s,
                    end: s + self.pattern_len(p, m_end - s),
                });
            }
        }
        hits
    }

    /// Byte length of alias pattern `p` (`fallback` if unknown).
    fn pattern_len(&self, p: usize, fallback: usize) -> usize {
        self.alias_lens.get(p).copied().unwrap_or(fallback)
    }

    /// A brand whose name is spelt by `token` with look-alike letters (`AppIe`, `arnazon`,
    /// `amaz0n`). Exact spellings count too.
    pub fn skeleton_match(&self, token: &str) -> Option<usize> {
        if token.len() < 3 {
            return None;
        }
        let sk = skeleton_lower(token);
        self.skeletons
            .iter()
            .find(|(s, _)| *s == sk)
            .map(|(_, b)| *b)
    }

    /// Domain tokens and ASCII aliases of all brands, as (skeleton, brand, plain token).
    pub fn skeletons(&self) -> impl Iterator<Item = (&str, usize, &str)> {
        self.skeletons
            .iter()
            .zip(&self.skeleton_plain)
            .map(|((s, b), p)| (s.as_str(), *b, p.as_str()))
    }

    /// The brand whose name `word` spells with look-alike characters (`PayPaI`, `Iedger`,
    /// `Amaz0n`, `Ámazon`), with the name as plain lower-case ASCII; `key` is scratch space.
    pub fn lookalike_name(&self, word: &str, key: &mut String) -> Option<(usize, &str)> {
        self.lookalikes
            .find(word, key)
            .map(|(plain, brand)| (*brand, plain))
    }

    /// [`BrandSet::skeletons`] that may begin or end `plain` or `sk` (a token's first byte
    /// is `plain`'s or its last byte is, or the same for the token's skeleton and `sk`), in
    /// the same order: a lookup by byte instead of a test of every token.
    pub fn skeletons_at_ends(
        &self,
        plain: &str,
        sk: &str,
    ) -> impl Iterator<Item = (&str, usize, &str)> {
        let w = self.skeleton_words;
        let row = |r: usize| self.skeleton_ends.get(r * w..(r + 1) * w).unwrap_or(&[]);
        let mut set = row(4 * 256).to_vec();
        let keys = [
            plain.as_bytes().first(),
            plain.as_bytes().last(),
            sk.as_bytes().first(),
            sk.as_bytes().last(),
        ];
        for (r, key) in keys.into_iter().enumerate() {
            if let Some(&b) = key {
                for (s, x) in set.iter_mut().zip(row(r * 256 + usize::from(b))) {
                    *s |= x;
                }
            }
        }
        set.into_iter()
            .enumerate()
            .flat_map(|(wi, mut bits)| {
                std::iter::from_fn(move || {
                    (bits != 0).then(|| {
                        let i = wi * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        i
                    })
                })
            })
            .filter_map(|i| {
                let (sk, b) = self.skeletons.get(i)?;
                Some((sk.as_str(), *b, self.skeleton_plain.get(i)?.as_str()))
            })
    }

    /// Official domains' names left of the suffix, as (label, brand, domain).
    pub fn official_labels(&self) -> &[(String, usize, String)] {
        &self.official_labels
    }
}

/// The bit sets of [`BrandSet::skeletons_at_ends`] and their width in u64s.
fn skeleton_end_index(skeletons: &[(String, usize)], plain: &[String]) -> (Vec<u64>, usize) {
    let w = skeletons.len().div_ceil(64).max(1);
    let mut ends = vec![0u64; (4 * 256 + 1) * w];
    let mut set = |row: usize, i: usize| {
        if let Some(x) = ends.get_mut(row * w + i / 64) {
            *x |= 1 << (i % 64);
        }
    };
    for (i, ((sk, _), p)) in skeletons.iter().zip(plain).enumerate() {
        for (k, text) in [p, sk].into_iter().enumerate() {
            match (text.as_bytes().first(), text.as_bytes().last()) {
                (Some(&first), Some(&last)) => {
                    set(2 * k * 256 + usize::from(first), i);
                    set((2 * k + 1) * 256 + usize::from(last), i);
                }
                _ => set(4 * 256, i),
            }
        }
    }
    (ends, w)
}

fn rank(o: Ownership) -> u8 {
    match o {
        Ownership::Sender => 0,
        Ownership::Link => 1,
        Ownership::Infrastructure => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal(id: &str, domain: &str) -> String {
        format!(
            r#"id = "{id}"
name = {{ ja = "X", en = "X" }}
aliases = {{ ja = ["エックス"], en = ["{id}"] }}
domains = {{ sender = ["{domain}"] }}
help = {{ account_check = {{ ja = "アプリ", en = "the app" }} }}
"#
        )
    }

    #[test]
    fn builtin_brands_load() {
        let set = BrandSet::builtin().unwrap();
        let amazon = set.index_of("amazon").unwrap();
        let d = DomainInfo::parse("order-update.amazon.co.jp").unwrap();
        assert!(set.is_official_sender(amazon, &d));
        let d = DomainInfo::parse("amazon-support.jp").unwrap();
        assert!(set.owner(&d).is_none());
    }

    #[test]
    fn rejects_a_domain_claimed_twice() {
        let r = BrandSet::from_sources([
            ("a.toml".to_string(), minimal("aaa", "example.com")),
            ("b.toml".to_string(), minimal("bbb", "example.com")),
        ]);
        let e = r.unwrap_err();
        assert_eq!(e.file, "b.toml");
        assert!(e.message.contains("example.com"));
    }

    #[test]
    fn names_file_and_field_on_errors() {
        let bad = minimal("aaa", "example.com").replace("en = \"X\"", "");
        let e = BrandSet::from_sources([("a.toml".to_string(), bad)]).unwrap_err();
        assert_eq!(e.field, "name.en");
        let bad = minimal("aaa", "not a domain");
        let e = BrandSet::from_sources([("a.toml".to_string(), bad)]).unwrap_err();
        assert_eq!(e.field, "domains.sender");
        let e = BrandSet::from_sources([("a.toml".to_string(), "id = 3".to_string())]).unwrap_err();
        assert_eq!(e.file, "a.toml");
    }

    #[test]
    fn skeletons_at_ends_are_the_tokens_that_may_begin_or_end() {
        fn may_begin_or_end(part: &str, token: &str) -> bool {
            let (p, t) = (part.as_bytes(), token.as_bytes());
            match (t.first(), t.last()) {
                (Some(first), Some(last)) => p.first() == Some(first) || p.last() == Some(last),
                _ => true,
            }
        }
        let set = BrandSet::builtin().unwrap();
        let mut words: Vec<String> = ["", "a", "x", "amazon", "arnazon", "zzz", "\u{0430}mazon"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (sk, _, plain) in set.skeletons() {
            words.push(sk.to_string());
            words.push(format!("{plain}x"));
            words.push(format!("x{plain}"));
        }
        for plain in &words {
            for sk in ["", "a", "amazon", "q1"]
                .iter()
                .map(|s| s.to_string())
                .chain([skeleton_lower(plain)])
            {
                let fast: Vec<_> = set.skeletons_at_ends(plain, &sk).collect();
                let slow: Vec<_> = set
                    .skeletons()
                    .filter(|(tsk, _, tp)| {
                        may_begin_or_end(plain, tp) || may_begin_or_end(&sk, tsk)
                    })
                    .collect();
                assert_eq!(fast, slow, "{plain:?} / {sk:?}");
            }
        }
    }

    #[test]
    fn aliases_match_as_words_and_in_japanese() {
        let set = BrandSet::builtin().unwrap();
        let hits = set.find_aliases(&NormText::new("Your ＡＭＡＺＯＮ order", 100));
        assert_eq!(hits.len(), 1);
        assert!(
            set.find_aliases(&NormText::new("amazonian rivers", 100))
                .is_empty()
        );
        assert!(
            !set.find_aliases(&NormText::new("アマゾンプライム会員", 100))
                .is_empty()
        );
        assert!(set.skeleton_match("arnazon").is_some());
        assert!(set.skeleton_match("amazing").is_none());
        // LINE is matched in capitals only
        assert!(
            !set.find_aliases(&NormText::new("【LINE】アカウント", 100))
                .is_empty()
        );
        assert!(
            set.find_aliases(&NormText::new("a line of text", 100))
                .is_empty()
        );
    }
}
