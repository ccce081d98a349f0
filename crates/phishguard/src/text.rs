//! Text normalisation for matching.
//!
//! Attackers write `Ａｍａｚｏｎ`, `Аmazon` (Cyrillic А), `会\u{200B}員` or `ア マ ゾ ン` to slip
//! past word filters. Every matcher in phishguard runs over a [`NormText`]: NFKC-folded,
//! lower-cased, invisible characters removed, look-alike letters folded to Latin, runs of
//! white space collapsed, and spaces between Japanese characters dropped. Each byte of the
//! normalised text remembers where it came from, so evidence can quote the original.

use unicode_normalization::UnicodeNormalization;

/// A normalised view of a piece of text with a map back to the original.
#[derive(Debug, Default, Clone)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`: where it came from and how it was written.
    meta: Vec<ByteMeta>,
    /// Number of invisible characters removed between two letters.
    pub hidden_chars: usize,
}

/// What one byte of the normalised text remembers about its original character.
#[derive(Debug, Clone, Copy)]
struct ByteMeta {
    /// The byte range of the original character.
    start: u32,
    end: u32,
    /// The character was disguised (a look-alike letter from another script, or an
    /// invisible character removed right before it).
    disguised: bool,
    /// The original character was a capital letter.
    upper: bool,
}

/// Is this character invisible in rendering (zero-width, joiners, soft hyphen, BOM,
/// variation selectors, fillers)? These are stripped before matching.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Styled letters and digits (mathematical bold/italic/script 𝗔𝗺𝗮𝘇𝗼𝗻, circled Ⓐ,
/// parenthesised ⒜): NFKC reads them as plain letters, a person reads them as plain
/// letters, a word filter does not. Used to dress up subjects and sender names.
pub fn is_styled_letter(c: char) -> bool {
    matches!(c, '\u{1D400}'..='\u{1D7FF}' | '\u{2460}'..='\u{24FF}' | '\u{1F130}'..='\u{1F189}')
}

/// Japanese (and other CJK) characters: between two of them a space is not a word break.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{3005}'..='\u{3007}')
}

/// Latin letters, digits and Japanese characters: an invisible character between two of
/// them splits a word.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_cjk(c)
}

/// Full-width forms of ASCII characters (U+FF01..U+FF5E).
fn is_fullwidth_ascii(c: char) -> bool {
    ('\u{FF01}'..='\u{FF5E}').contains(&c)
}

/// Fold a non-ASCII letter that looks like a Latin letter (Cyrillic `а`, Greek `ο`, …) to
/// that letter, using the UTS #39 confusable skeleton. Returns None if it is not one.
fn latin_lookalike(c: char) -> Option<char> {
    if c.is_ascii() || is_cjk(c) || !c.is_alphabetic() {
        return None;
    }
    let mut tmp = [0u8; 4];
    let mut sk = unicode_security::skeleton(c.encode_utf8(&mut tmp));
    let first = sk.next()?;
    if sk.next().is_some() || !first.is_ascii_alphanumeric() {
        return None;
    }
    Some(first.to_ascii_lowercase())
}

impl NormText {
    /// Normalise `orig`, looking at no more than `max_bytes` of it.
    pub fn new(orig: &str, max_bytes: usize) -> NormText {
        let orig = truncate_at_char(orig, max_bytes);
        let mut out = NormText {
            text: String::with_capacity(orig.len()),
            meta: Vec::with_capacity(orig.len()),
            hidden_chars: 0,
        };
        let mut pending_space = false;
        let mut pending_hidden = false;
        let mut last: Option<char> = None;
        // the previous character as written (before folding), for script decisions
        let mut last_orig: Option<char> = None;
        let mut buf = String::new();
        let bytes = orig.as_bytes();
        let mut pos = 0;
        while let Some(&byte) = bytes.get(pos) {
            if byte.is_ascii() {
                // The common case, byte by byte, without decoding characters or the general
                // path's buffer.
                if matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
                    // (the ASCII white space of `char::is_whitespace`)
                    pending_space = true;
                    pending_hidden = false;
                    last_orig = None;
                    pos += 1;
                    continue;
                }
                // An ASCII character (not white space) is never a mark, never invisible,
                // and folds to itself lower-cased.
                let c = char::from(byte);
                let range = (pos as u32, (pos + 1) as u32);
                let lower = c.to_ascii_lowercase();
                let mut disguised = false;
                if pending_hidden && is_word_char(lower) {
                    out.hidden_chars += 1;
                    disguised = true;
                }
                pending_hidden = false;
                if pending_space {
                    // (an ASCII character never joins on to Japanese)
                    if last.is_some() {
                        out.push_ascii(' ', range, false, false);
                    }
                    pending_space = false;
                }
                out.push_ascii(lower, range, disguised, c.is_ascii_uppercase());
                // The rest of a run of such characters has nothing pending: copy it at once.
                let run = bytes
                    .get(pos + 1..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|b| {
                        b.is_ascii()
                            && !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
                    })
                    .count();
                let end = pos + 1 + run;
                out.push_ascii_run(orig.get(pos + 1..end).unwrap_or(""), pos + 1);
                let last_byte = bytes.get(end - 1).copied().unwrap_or(byte);
                last = Some(char::from(last_byte.to_ascii_lowercase()));
                last_orig = Some(char::from(last_byte));
                pos = end;
                continue;
            }
            let Some(c) = orig.get(pos..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let range = (pos as u32, (pos + c.len_utf8()) as u32);
            pos += c.len_utf8();
            if c.is_whitespace() {
                pending_space = true;
                pending_hidden = false;
                last_orig = None;
                continue;
            }
            if !c.is_ascii()
                && unicode_normalization::char::is_combining_mark(c)
                && last_orig.is_some_and(|l| l.is_ascii_alphabetic())
            {
                // A mark from another script stacked on Latin letters (aܿlܿeܿrܿt) reads as
                // plain text and breaks word filters; Latin accents are just dropped.
                // (U+034F, the combining grapheme joiner, sits in that block but is no
                // accent: it is invisible, and between letters it hides the word)
                if !('\u{0300}'..='\u{036F}').contains(&c) || c == '\u{034F}' {
                    pending_hidden = true;
                }
                continue;
            }
            if is_invisible(c) {
                // A soft hyphen inside a word is ordinary hyphenation (German, Dutch …).
                if c != '\u{00AD}' && !pending_space && last.is_some_and(is_word_char) {
                    pending_hidden = true;
                }
                continue;
            }
            buf.clear();
            let mut disguised = false;
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else if is_styled_letter(c) {
                buf.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
                disguised = true;
            } else if is_fullwidth_ascii(c) {
                // full-width Latin (Ａｍａｚｏｎ) is ordinary Japanese typing, not a disguise
                buf.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
            } else if let Some(l) = latin_lookalike(c) {
                // Only a disguise when it sits inside a Latin word.
                disguised = last_orig.is_some_and(|l| l.is_ascii_alphabetic());
                buf.push(l);
            } else {
                for n in std::iter::once(c).nfkc() {
                    for l in n.to_lowercase() {
                        buf.push(l);
                    }
                }
            }
            let Some(first) = buf.chars().next() else {
                continue;
            };
            if first.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_hidden && is_word_char(first) {
                out.hidden_chars += 1;
                disguised = true;
            }
            pending_hidden = false;
            if pending_space {
                let join = last.is_some_and(is_cjk) && is_cjk(first);
                if !join && last.is_some() {
                    out.push_str(" ", range, false, false);
                }
                pending_space = false;
            }
            out.push_str(&buf, range, disguised, c.is_uppercase());
            last = buf.chars().last();
            last_orig = Some(c);
        }
        out
    }

    fn push_str(&mut self, s: &str, range: (u32, u32), disguised: bool, upper: bool) {
        self.text.push_str(s);
        let m = ByteMeta {
            start: range.0,
            end: range.1,
            disguised,
            upper,
        };
        self.meta.extend(std::iter::repeat_n(m, s.len()));
    }

    fn push_ascii(&mut self, c: char, range: (u32, u32), disguised: bool, upper: bool) {
        self.text.push(c);
        self.meta.push(ByteMeta {
            start: range.0,
            end: range.1,
            disguised,
            upper,
        });
    }

    /// A run of ASCII characters (no white space) that starts at `at` in the original,
    /// each folding to itself lower-cased, none disguised.
    fn push_ascii_run(&mut self, run: &str, at: usize) {
        let from = self.text.len();
        self.text.push_str(run);
        if let Some(added) = self.text.get_mut(from..) {
            added.make_ascii_lowercase();
        }
        self.meta
            // (a bounded range: the zip knows its length, so the vector reserves once)
            .extend(run.bytes().zip(at..at + run.len()).map(|(b, p)| ByteMeta {
                start: p as u32,
                end: (p + 1) as u32,
                disguised: false,
                upper: b.is_ascii_uppercase(),
            }));
    }

    /// Whether every letter in `start..end` was written as a capital.
    pub fn is_all_caps(&self, start: usize, end: usize) -> bool {
        let (Some(t), Some(m)) = (self.text.get(start..end), self.meta.get(start..end)) else {
            return false;
        };
        t.bytes()
            .zip(m)
            .all(|(b, m)| !b.is_ascii_alphabetic() || m.upper)
    }

    /// The original byte range that the normalised byte range `start..end` came from.
    pub fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let first = self.meta.get(start)?;
        let last = self.meta.get(end - 1)?;
        Some((first.start as usize, last.end as usize))
    }

    /// The words (runs between spaces, in normalised byte offsets) that hold a disguised
    /// character: a look-alike letter from another script inside a Latin word, a styled
    /// letter, or a hidden character inside a word.
    pub fn disguised_words(&self) -> Vec<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut out: Vec<(usize, usize)> = Vec::new();
        for (i, m) in self.meta.iter().enumerate() {
            if !m.disguised || out.last().is_some_and(|(_, e)| i < *e) {
                continue;
            }
            let mut s = i;
            while s > 0 && bytes.get(s - 1).is_some_and(|b| *b != b' ') {
                s -= 1;
            }
            let mut e = i;
            while bytes.get(e).is_some_and(|b| *b != b' ') {
                e += 1;
            }
            out.push((s, e));
        }
        out
    }

    /// Whether any character in `start..end` was disguised (look-alike letter or hidden
    /// character inside a word).
    pub fn is_disguised(&self, start: usize, end: usize) -> bool {
        self.meta
            .get(start..end)
            .is_some_and(|s| s.iter().any(|m| m.disguised))
    }
}

/// Runs of four or more single Latin letters separated by single spaces (`C o i n b a s e`),
/// as byte ranges of `s`: a word spelt out so that filters do not see it.
pub fn spaced_out_words(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts_word = i == 0 || b.get(i - 1).is_some_and(|p| !p.is_ascii_alphanumeric());
        if starts_word && b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            let mut j = i;
            let mut letters = 0;
            while b.get(j).is_some_and(u8::is_ascii_alphabetic)
                && !b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)
            {
                letters += 1;
                if b.get(j + 1) == Some(&b' ')
                    && b.get(j + 2).is_some_and(u8::is_ascii_alphabetic)
                    && !b.get(j + 3).is_some_and(u8::is_ascii_alphanumeric)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if letters >= 4 {
                out.push((i, j + 1));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `s` with spaced-out words joined up (`C o i n b a s e` → `Coinbase`).
pub fn join_spaced_out(s: &str) -> String {
    let spans = spaced_out_words(s);
    if spans.is_empty() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (a, e) in spans {
        out.push_str(s.get(at..a).unwrap_or(""));
        out.extend(s.get(a..e).unwrap_or("").chars().filter(|c| *c != ' '));
        at = e;
    }
    out.push_str(s.get(at..).unwrap_or(""));
    out
}

/// Does the match `s..e` in `t` stand as a word? A match that begins (ends) with a Latin
/// letter or digit must not continue a Latin word before (after) it: `pin` is not found in
/// `spinning`, `amazon` not in `amazonian`. Japanese has no spaces and needs no boundary.
pub fn stands_as_word(t: &[u8], s: usize, e: usize) -> bool {
    let alnum = |i: Option<usize>| {
        i.and_then(|i| t.get(i))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    let glued_before = alnum(Some(s)) && alnum(s.checked_sub(1));
    let glued_after = alnum(e.checked_sub(1)) && alnum(Some(e));
    !glued_before && !glued_after
}

/// Cut a string at `max` bytes, backing off to a character boundary.
pub fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// UTS #39 skeleton of a Latin token, lower-cased: `AppIe`, `arnazon`, `amaz0n` map to the
/// same skeleton as `apple` and `amazon`.
pub fn skeleton_lower(s: &str) -> String {
    if s.is_ascii() {
        let table = &*ASCII_SKELETONS;
        let mut out = String::with_capacity(s.len() + 4);
        for b in s.bytes() {
            match table.get(usize::from(b)) {
                Some(Some(sk)) => out.push_str(sk),
                _ => return skeleton_lower_general(s),
            }
        }
        return out;
    }
    skeleton_lower_general(s)
}

/// [`skeleton_lower`] of each ASCII character on its own, where that is ASCII again. For
/// such characters NFKC, the skeleton's decompositions and the lower-casing all work
/// character by character, so the skeleton of an ASCII word is the concatenation of its
/// characters' skeletons.
static ASCII_SKELETONS: std::sync::LazyLock<Vec<Option<String>>> = std::sync::LazyLock::new(|| {
    (0u8..128)
        .map(|b| {
            let sk = skeleton_lower_general(char::from(b).encode_utf8(&mut [0u8; 4]));
            sk.is_ascii().then_some(sk)
        })
        .collect()
});

fn skeleton_lower_general(s: &str) -> String {
    let nfkc: String = s.nfkc().filter(|c| !is_invisible(*c)).collect();
    unicode_security::skeleton(&nfkc)
        .flat_map(|c| c.to_lowercase())
        .collect::<String>()
        // The skeleton of `m` is `rn`; folding `l`/`i`/`1` keeps `AppIe` == `apple`.
        .replace(['1', 'i', '|'], "l")
}

/// A letter as a reader sees it: its base Latin letter (or digit, or ASCII sign) and
/// whether an accent sat on it (`á` → `a`, accented). None for letters of other scripts.
fn base_letter(c: char) -> Option<(char, bool)> {
    if c.is_ascii() {
        return Some((c, false));
    }
    let mut parts = std::iter::once(c).nfd();
    let base = parts.next()?;
    let accents_only = parts.all(unicode_normalization::char::is_combining_mark);
    (base.is_ascii_alphabetic() && accents_only).then_some((base, true))
}

/// The key under which a word and a word it may imitate meet: accents dropped, lower
/// case, and the characters that look alike in common fonts folded together (`I`, `i`, `l`,
/// `1` → `l`; `0` → `o`). Written into `out`; false when the word has letters of other
/// scripts (those are [`NormText`]'s business).
pub fn lookalike_key(word: &str, out: &mut String) -> bool {
    out.clear();
    for c in word.chars() {
        let Some((base, _)) = base_letter(c) else {
            return false;
        };
        out.push(match base.to_ascii_lowercase() {
            'i' | '1' => 'l',
            '0' => 'o',
            other => other,
        });
    }
    true
}

/// Does `word` spell `target` (lower-case ASCII) with look-alike characters a reader
/// does not notice: a capital `I` for an `l` among small letters (`PayPaI`, `Iedger`), an
/// `l` for a capital `I` (`lRS`, `CONFlRM`, `ltau`), `1` for `i`/`l`, `0` for `o`, or
/// accents on its letters (`Wállet`)? Accents a brand really carries are the caller's to
/// allow.
pub fn spells_with_lookalikes(word: &str, target: &str) -> bool {
    let Some(letters) = word
        .chars()
        .map(base_letter)
        .collect::<Option<Vec<(char, bool)>>>()
    else {
        return false;
    };
    if letters.len() != target.len() {
        return false;
    }
    // whether every other letter of the word is a capital (where an `l` reads as `I`)
    let capitals_around = |at: usize| {
        letters
            .iter()
            .enumerate()
            .filter(|(j, (c, _))| *j != at && c.is_ascii_alphabetic())
            .all(|(_, (c, _))| c.is_ascii_uppercase())
    };
    let mut disguised = false;
    for (at, (&(c, accented), t)) in letters.iter().zip(target.chars()).enumerate() {
        if c.to_ascii_lowercase() == t {
            disguised |= accented;
            continue;
        }
        let lookalike = match (c, t) {
            // among capitals `I` and `L` differ; among small letters `I` reads as `l`
            ('I', 'l') => !capitals_around(at),
            // `l` reads as a capital `I` among capitals or where a capital stands
            ('l', 'i') => at == 0 || capitals_around(at),
            ('1', 'i' | 'l') | ('0', 'o') => true,
            _ => false,
        };
        if !lookalike {
            return false;
        }
        disguised = true;
    }
    disguised
}

/// Words that may imitate known words with look-alike characters, indexed by
/// [`lookalike_key`]. Built once from the words to protect (brand names, lure words).
#[derive(Debug, Default, Clone)]
pub struct LookalikeIndex<T> {
    by_key: std::collections::HashMap<String, Vec<(String, T)>>,
    /// Spellings that are genuine though they carry accents (`Itaú`), lower case.
    genuine: std::collections::HashSet<String>,
    /// The keys' lengths (bit `n`: a key of `n` bytes, bit 63: 63 or more) and their
    /// first and last bytes (keys are ASCII): a word whose key cannot be among them is
    /// passed over before its key is built.
    key_lengths: u64,
    key_firsts: u128,
    key_lasts: u128,
}

/// [`LookalikeIndex::key_lengths`]'s bit for a key of `n` bytes.
fn key_length_bit(n: usize) -> u64 {
    1u64 << n.min(63)
}

/// A byte's bit in [`LookalikeIndex::key_firsts`] / `key_lasts` (0 for non-ASCII).
fn key_byte_bit(b: u8) -> u128 {
    if b.is_ascii() { 1u128 << b } else { 0 }
}

/// What [`lookalike_key`] writes for an ASCII character.
fn ascii_key_byte(b: u8) -> u8 {
    match b.to_ascii_lowercase() {
        b'i' | b'1' => b'l',
        b'0' => b'o',
        other => other,
    }
}

impl<T> LookalikeIndex<T> {
    /// Index `target` (as spelt genuinely, any case, accents allowed) under `value`.
    /// Targets shorter than three letters or with characters other than letters and
    /// digits are left out.
    pub fn insert(&mut self, target: &str, value: T) {
        let mut key = String::new();
        if target.chars().count() < 3
            || !target.chars().all(char::is_alphanumeric)
            || !lookalike_key(target, &mut key)
        {
            return;
        }
        let plain: String = target
            .chars()
            .filter_map(base_letter)
            .map(|(c, _)| c.to_ascii_lowercase())
            .collect();
        let lower = target.to_lowercase();
        if lower != plain {
            self.genuine.insert(lower);
        }
        let kb = key.as_bytes();
        self.key_lengths |= key_length_bit(kb.len());
        if let (Some(&f), Some(&l)) = (kb.first(), kb.last()) {
            self.key_firsts |= key_byte_bit(f);
            self.key_lasts |= key_byte_bit(l);
        }
        let entry = self.by_key.entry(key).or_default();
        if !entry.iter().any(|(p, _)| *p == plain) {
            entry.push((plain, value));
        }
    }

    /// The target `word` imitates, as (plain target, value); `key` is scratch space.
    pub fn find(&self, word: &str, key: &mut String) -> Option<(&str, &T)> {
        if !self.may_hold(word) || !may_be_lookalike(word) || !lookalike_key(word, key) {
            return None;
        }
        let candidates = self.by_key.get(key.as_str())?;
        if self.genuine.contains(&word.to_lowercase()) {
            return None;
        }
        candidates
            .iter()
            .find(|(plain, _)| spells_with_lookalikes(word, plain))
            .map(|(plain, v)| (plain.as_str(), v))
    }
}

impl<T> LookalikeIndex<T> {
    /// Could `word`'s key (were it built) be one of the index's? Its length in characters
    /// is the key's length (keys are ASCII, one byte per character of the word), and an
    /// ASCII word's first and last bytes give the key's. False only when the key
    /// lookup would find nothing.
    fn may_hold(&self, word: &str) -> bool {
        let b = word.as_bytes();
        if word.is_ascii() {
            let (Some(&f), Some(&l)) = (b.first(), b.last()) else {
                return self.key_lengths & key_length_bit(0) != 0;
            };
            self.key_lengths & key_length_bit(b.len()) != 0
                && self.key_firsts & key_byte_bit(ascii_key_byte(f)) != 0
                && self.key_lasts & key_byte_bit(ascii_key_byte(l)) != 0
        } else {
            self.key_lengths & key_length_bit(word.chars().count()) != 0
        }
    }
}

/// A cheap first look: could `word` hold a look-alike character at all? Plain words
/// (`hello`, `Account`, `PAYPAL`) are passed over without building a key.
fn may_be_lookalike(word: &str) -> bool {
    let b = word.as_bytes();
    let has_lower = b.iter().any(u8::is_ascii_lowercase);
    let has_upper = b.iter().any(u8::is_ascii_uppercase);
    let has_digit = b.iter().any(u8::is_ascii_digit);
    !word.is_ascii()
        || (has_digit && (has_lower || has_upper))
        || (has_lower && b.contains(&b'I'))
        || (b.first() == Some(&b'l'))
        || (has_upper && b.contains(&b'l'))
}

/// Flags of an ASCII byte in a word, for [`lookalike_candidates`] (0: not a letter or digit).
const W_LOWER: u8 = 1;
const W_UPPER: u8 = 2;
const W_DIGIT: u8 = 4;
const W_CAPITAL_I: u8 = 8;
const W_SMALL_L: u8 = 16;
const W_NON_ASCII: u8 = 32;

/// [`lookalike_candidates`]'s flags of an ASCII byte (as [`WORD_BYTE`] holds them).
#[cfg(test)]
fn word_byte(c: u8) -> u8 {
    match c {
        b'l' => W_LOWER | W_SMALL_L,
        b'a'..=b'z' => W_LOWER,
        b'I' => W_UPPER | W_CAPITAL_I,
        b'A'..=b'Z' => W_UPPER,
        b'0'..=b'9' => W_DIGIT,
        _ => 0,
    }
}

/// [`word_byte`] of every ASCII byte, looked up (a table: the per-byte match cost more).
#[rustfmt::skip]
static WORD_BYTE: [u8; 128] = {
    const L: u8 = W_LOWER;
    const U: u8 = W_UPPER;
    const D: u8 = W_DIGIT;
    const SL: u8 = W_SMALL_L;
    const CI: u8 = W_CAPITAL_I;
    [
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0,
        D, D, D, D, D, D, D, D,
        D, D, 0, 0, 0, 0, 0, 0,
        0, U, U, U, U, U, U, U,
        U, U | CI, U, U, U, U, U, U,
        U, U, U, U, U, U, U, U,
        U, U, U, 0, 0, 0, 0, 0,
        0, L, L, L, L, L, L, L,
        L, L, L, L, L | SL, L, L, L,
        L, L, L, L, L, L, L, L,
        L, L, L, 0, 0, 0, 0, 0,
    ]
};

/// The words of [`alphanumeric_words`] that [`may_be_lookalike`] lets through, in one
/// pass: the only words a [`LookalikeIndex`] can find anything for.
pub fn lookalike_candidates(s: &str) -> Vec<(usize, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut flags = 0u8;
    let mut push = |st: usize, end: usize, flags: u8| {
        let first = b.get(st).copied();
        let candidate = flags & W_NON_ASCII != 0
            || (flags & W_DIGIT != 0 && flags & (W_LOWER | W_UPPER) != 0)
            || (flags & W_LOWER != 0 && flags & W_CAPITAL_I != 0)
            || first == Some(b'l')
            || (flags & W_UPPER != 0 && flags & W_SMALL_L != 0);
        if candidate && let Some(w) = s.get(st..end) {
            out.push((st, w));
        }
    };
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let (f, len) = if let Some(&f) = WORD_BYTE.get(usize::from(c)) {
            (f, 1)
        } else {
            match s.get(i..).and_then(|r| r.chars().next()) {
                Some(ch) => (
                    if ch.is_alphanumeric() { W_NON_ASCII } else { 0 },
                    ch.len_utf8(),
                ),
                None => break,
            }
        };
        if f != 0 {
            if start.is_none() {
                start = Some(i);
                flags = 0;
            }
            flags |= f;
        } else if let Some(st) = start.take() {
            push(st, i, flags);
        }
        i += len;
    }
    if let Some(st) = start {
        push(st, b.len(), flags);
    }
    out
}

/// Runs of letters and digits in `s`, with their byte offsets: the words to look at for
/// look-alike spellings.
pub fn alphanumeric_words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    AlphanumericWords { s, at: 0 }
}

/// [`alphanumeric_words`]: ASCII bytes are judged without decoding a character.
struct AlphanumericWords<'a> {
    s: &'a str,
    at: usize,
}

impl AlphanumericWords<'_> {
    /// Whether the character at byte `i` is a letter or digit, and its length in bytes
    /// (None at the end).
    fn at(&self, i: usize) -> Option<(bool, usize)> {
        let b = *self.s.as_bytes().get(i)?;
        if b.is_ascii() {
            return Some((b.is_ascii_alphanumeric(), 1));
        }
        let c = self.s.get(i..)?.chars().next()?;
        Some((c.is_alphanumeric(), c.len_utf8()))
    }
}

impl<'a> Iterator for AlphanumericWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let mut i = self.at;
        let start = loop {
            let Some((alnum, len)) = self.at(i) else {
                self.at = i;
                return None;
            };
            if alnum {
                break i;
            }
            i += len;
        };
        let mut end = start;
        while let Some((true, len)) = self.at(end) {
            end += len;
        }
        self.at = end;
        Some((start, self.s.get(start..end)?))
    }
}

/// Character offset of byte offset `byte` in `s`.
pub fn char_offset(s: &str, byte: usize) -> usize {
    s.get(..byte).map(|p| p.chars().count()).unwrap_or(0)
}

/// Share of Japanese characters among the letters of `s` (first 4 KB).
pub fn is_japanese(s: &str) -> bool {
    let s = truncate_at_char(s, 4096);
    if s.is_ascii() {
        // no kana or kanji
        return false;
    }
    let mut letters = 0usize;
    let mut kana_kanji = 0usize;
    for c in s.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if is_cjk(c) {
                kana_kanji += 1;
            }
        }
    }
    kana_kanji >= 20 || (letters > 0 && kana_kanji * 10 >= letters && kana_kanji >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `NormText::new` as it was before its ASCII fast path, with the per-byte maps as
    /// three vectors.
    #[derive(Debug, PartialEq)]
    struct Reference {
        text: String,
        origin: Vec<(u32, u32)>,
        disguised: Vec<bool>,
        upper: Vec<bool>,
        hidden_chars: usize,
    }

    impl Reference {
        fn push_str(&mut self, s: &str, range: (u32, u32), disguised: bool, upper: bool) {
            self.text.push_str(s);
            for _ in 0..s.len() {
                self.origin.push(range);
                self.disguised.push(disguised);
                self.upper.push(upper);
            }
        }
    }

    fn reference_new(orig: &str, max_bytes: usize) -> Reference {
        let orig = truncate_at_char(orig, max_bytes);
        let mut out = Reference {
            text: String::with_capacity(orig.len()),
            origin: Vec::with_capacity(orig.len()),
            disguised: Vec::with_capacity(orig.len()),
            upper: Vec::with_capacity(orig.len()),
            hidden_chars: 0,
        };
        let mut pending_space = false;
        let mut pending_hidden = false;
        let mut last: Option<char> = None;
        // the previous character as written (before folding), for script decisions
        let mut last_orig: Option<char> = None;
        let mut buf = String::new();
        for (pos, c) in orig.char_indices() {
            let range = (pos as u32, (pos + c.len_utf8()) as u32);
            if c.is_whitespace() {
                pending_space = true;
                pending_hidden = false;
                last_orig = None;
                continue;
            }
            if !c.is_ascii()
                && unicode_normalization::char::is_combining_mark(c)
                && last_orig.is_some_and(|l| l.is_ascii_alphabetic())
            {
                // A mark from another script stacked on Latin letters (aܿlܿeܿrܿt) reads as
                // plain text and breaks word filters; Latin accents are just dropped.
                // (U+034F, the combining grapheme joiner, sits in that block but is no
                // accent: it is invisible, and between letters it hides the word)
                if !('\u{0300}'..='\u{036F}').contains(&c) || c == '\u{034F}' {
                    pending_hidden = true;
                }
                continue;
            }
            if is_invisible(c) {
                // A soft hyphen inside a word is ordinary hyphenation (German, Dutch …).
                if c != '\u{00AD}' && !pending_space && last.is_some_and(is_word_char) {
                    pending_hidden = true;
                }
                continue;
            }
            buf.clear();
            let mut disguised = false;
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else if is_styled_letter(c) {
                buf.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
                disguised = true;
            } else if is_fullwidth_ascii(c) {
                // full-width Latin (Ａｍａｚｏｎ) is ordinary Japanese typing, not a disguise
                buf.extend(std::iter::once(c).nfkc().flat_map(char::to_lowercase));
            } else if let Some(l) = latin_lookalike(c) {
                // Only a disguise when it sits inside a Latin word.
                disguised = last_orig.is_some_and(|l| l.is_ascii_alphabetic());
                buf.push(l);
            } else {
                for n in std::iter::once(c).nfkc() {
                    for l in n.to_lowercase() {
                        buf.push(l);
                    }
                }
            }
            let Some(first) = buf.chars().next() else {
                continue;
            };
            if first.is_whitespace() {
                pending_space = true;
                continue;
            }
            if pending_hidden && is_word_char(first) {
                out.hidden_chars += 1;
                disguised = true;
            }
            pending_hidden = false;
            if pending_space {
                let join = last.is_some_and(is_cjk) && is_cjk(first);
                if !join && last.is_some() {
                    out.push_str(" ", range, false, false);
                }
                pending_space = false;
            }
            let b = std::mem::take(&mut buf);
            out.push_str(&b, range, disguised, c.is_uppercase());
            buf = b;
            last = buf.chars().last();
            last_orig = Some(c);
        }
        out
    }

    fn same_as_reference(s: &str) {
        let n = NormText::new(s, 1 << 20);
        let got = Reference {
            text: n.text.clone(),
            origin: n.meta.iter().map(|m| (m.start, m.end)).collect(),
            disguised: n.meta.iter().map(|m| m.disguised).collect(),
            upper: n.meta.iter().map(|m| m.upper).collect(),
            hidden_chars: n.hidden_chars,
        };
        assert_eq!(got, reference_new(s, 1 << 20), "input: {s:?}");
    }

    #[test]
    fn fast_path_gives_the_same_text_and_maps() {
        let cases = [
            "",
            " ",
            "Hello World",
            "  Leading and trailing  \t\r\n",
            "UPPER lower MiXeD 123 !?",
            "Ａｍａｚｏｎ  Prime\u{200B}会員",
            "会 員 資 格 の  account  suspended",
            "会員 abc 会員 x 会",
            "a\u{200B}b c\u{200B} d \u{200B}e",
            "Am\u{0430}z\u{043E}n and \u{0430}pple",
            "a\u{073F}l\u{073F}ert cafe\u{0301} x\u{0301}",
            "\u{1D400}\u{1D401} \u{24B6}mazon ⒜",
            "soft\u{00AD}hyphen\u{00AD} \u{00AD}x",
            "\u{3000}ideographic\u{3000}space\u{a0}nbsp\u{2028}line",
            "tab\tvt\u{0b}ff\u{0c}cr\r",
            "ｱﾏｿﾞﾝ ﾌﾟﾗｲﾑ ABC",
            "\u{FB01}nance ﬁ Ⅻ ㍿ ℡",
            "İstanbul ΣΑΣ ß",
            "ctl\x1c\x1d\x1e\x1fus \u{85}nel\x0bVT\x00nul\x7fDEL",
            "Long ASCII RUN then\u{200B}Hidden and\u{0301}mark ASCII\u{0430}cyr",
        ];
        for c in cases {
            same_as_reference(c);
        }
        // every pairing of a few kinds of characters, in runs
        let kinds = [
            "a",
            "Z",
            "0",
            " ",
            "\t",
            "-",
            "\u{200B}",
            "\u{00AD}",
            "\u{0301}",
            "\u{073F}",
            "会",
            "ア",
            "\u{0430}",
            "Ａ",
            "\u{1D400}",
            "\u{3000}",
            "é",
            "ﬁ",
            "Ab",
            "\x1f",
        ];
        for a in kinds {
            for b in kinds {
                for c in kinds {
                    same_as_reference(&format!("{a}{b}{c}{a}"));
                    same_as_reference(&format!("x{a} {b}{c}y"));
                }
            }
        }
    }

    #[test]
    fn folds_width_case_and_hidden_characters() {
        let n = NormText::new("Ａｍａｚｏｎ  Prime\u{200B}会員", 1000);
        assert_eq!(n.text, "amazon prime会員");
        let n = NormText::new("会\u{200B}員資格", 1000);
        assert_eq!(n.text, "会員資格");
        assert_eq!(n.hidden_chars, 1);
        assert!(n.is_disguised(0, n.text.len()));
    }

    #[test]
    fn drops_spaces_between_japanese_but_not_latin() {
        let n = NormText::new("会 員 資 格 の  account  suspended", 1000);
        assert_eq!(n.text, "会員資格の account suspended");
    }

    #[test]
    fn cyrillic_lookalikes_fold_to_latin_and_are_marked() {
        // "Amazon" with Cyrillic а and о
        let n = NormText::new("Am\u{0430}z\u{043E}n", 1000);
        assert_eq!(n.text, "amazon");
        assert!(n.is_disguised(0, n.text.len()));
        let plain = NormText::new("Amazon", 1000);
        assert!(!plain.is_disguised(0, plain.text.len()));
    }

    #[test]
    fn maps_back_to_original() {
        let orig = "Ｈｅｌｌｏ 会員";
        let n = NormText::new(orig, 1000);
        let pos = n.text.find("会員").unwrap_or(0);
        let (s, e) = n.original_range(pos, pos + "会員".len()).unwrap_or((0, 0));
        assert_eq!(&orig[s..e], "会員");
    }

    #[test]
    fn ascii_skeletons_are_the_general_ones() {
        let words = [
            "amazon",
            "AppIe",
            "arnazon",
            "amaz0n",
            "rn-m",
            "I|1l",
            "PayPal-Login",
            "x",
            "",
            "0O0o",
            "www.example.co.jp",
            "~!@#$%^&*()_+{}[];:'\",.<>/?`",
            "\t\r\n ",
        ];
        for w in words {
            assert_eq!(skeleton_lower(w), skeleton_lower_general(w), "{w:?}");
        }
        let all: String = (0u8..128).map(char::from).collect();
        assert_eq!(skeleton_lower(&all), skeleton_lower_general(&all));
        for b in 0u8..128 {
            for c in 0u8..128 {
                let w: String = [char::from(b), char::from(c)].iter().collect();
                assert_eq!(skeleton_lower(&w), skeleton_lower_general(&w), "{w:?}");
            }
        }
    }

    #[test]
    fn skeletons_catch_lookalike_spellings() {
        assert_eq!(skeleton_lower("AppIe"), skeleton_lower("apple"));
        assert_eq!(skeleton_lower("arnazon"), skeleton_lower("amazon"));
        assert_eq!(skeleton_lower("amaz0n"), skeleton_lower("amazon"));
        assert_ne!(skeleton_lower("amazing"), skeleton_lower("amazon"));
    }

    #[test]
    fn spaced_out_and_stacked_marks() {
        assert_eq!(spaced_out_words("C o i n b a s e <x@y>"), vec![(0, 15)]);
        assert_eq!(join_spaced_out("C o i n b a s e team"), "Coinbase team");
        assert!(spaced_out_words("A to Z of it").is_empty());
        let n = NormText::new("a\u{073F}l\u{073F}ert", 100);
        assert_eq!(n.text, "alert");
        assert!(n.is_disguised(0, n.text.len()));
        let n = NormText::new("cafe\u{0301}", 100);
        assert_eq!(n.text, "cafe");
        assert!(!n.is_disguised(0, n.text.len()));
    }

    #[test]
    fn lookalike_spellings() {
        for (word, target) in [
            ("PayPaI", "paypal"),
            ("Iedger", "ledger"),
            ("lRS", "irs"),
            ("CONFlRM", "confirm"),
            ("ltau", "itau"),
            ("Amaz0n", "amazon"),
            ("Netfl1x", "netflix"),
            ("Wállét", "wallet"),
        ] {
            assert!(spells_with_lookalikes(word, target), "{word}");
        }
        for (word, target) in [
            ("PayPal", "paypal"),
            ("PAYPAL", "paypal"),
            ("Mall", "mail"),
            ("WAIIET", "wallet"),
            ("ICloud", "icloud"),
            ("Amazon", "amazon"),
            ("Amazons", "amazon"),
        ] {
            assert!(!spells_with_lookalikes(word, target), "{word}");
        }
        let mut index = LookalikeIndex::default();
        index.insert("Itaú", 1);
        index.insert("paypal", 2);
        let mut key = String::new();
        assert_eq!(index.find("Itaú", &mut key), None, "the genuine accent");
        assert_eq!(index.find("ltaú", &mut key), Some(("itau", &1)));
        assert_eq!(index.find("PayPaI", &mut key), Some(("paypal", &2)));
        assert_eq!(index.find("Paypal", &mut key), None);
        let words: Vec<_> = alphanumeric_words("a PayPaI, Ítem").collect();
        assert_eq!(words, vec![(0, "a"), (2, "PayPaI"), (10, "Ítem")]);
    }

    /// The word split as it was: `str::split` on every character that is not a letter
    /// or digit.
    fn reference_words(s: &str) -> Vec<(usize, &str)> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .collect()
    }

    fn tricky_words() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            " ",
            "a",
            "PayPaI",
            "a PayPaI, Ítem",
            "  leading and trailing  ",
            "ltaú Itaú ITAU itau 1tau",
            "Аmazon Amaz0n ＡＭＡＺＯＮ amazon's",
            "お客様の会員資格は一時的に停止されています Amazon",
            "x\u{200B}y\u{00AD}z cafe\u{0301} 𝗠𝗲𝗿𝗰𝗲𝗱𝗲𝘀 ①②③ ٣٤ Ⅻ",
            "IRS lRS HMRC HMRCs hmrc HMRC1 WaIIet C0NFIRM válidate",
            "Iedger ledger LEDGER lEDGER PAYPAI",
            "\u{0}\u{7f}é\u{80}\u{10FFFF}abc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // every printable ASCII byte and some others, between letters and alone
        for c in (0u8..128)
            .map(char::from)
            .chain("ÁéßİıŁłØ０１ＩｌΙΟО".chars())
        {
            v.push(format!("pa{c}pal"));
            v.push(format!("{c}"));
            v.push(format!("{c}aypal {c}{c}x {c}"));
        }
        v
    }

    #[test]
    fn word_split_matches_str_split() {
        for s in tricky_words() {
            assert_eq!(
                alphanumeric_words(&s).collect::<Vec<_>>(),
                reference_words(&s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn word_byte_table() {
        for c in 0..128u8 {
            assert_eq!(WORD_BYTE.get(usize::from(c)), Some(&word_byte(c)), "{c}");
        }
    }

    #[test]
    fn lookalike_candidates_are_the_words_that_may_be_lookalikes() {
        for s in tricky_words() {
            let want: Vec<(usize, &str)> = reference_words(&s)
                .into_iter()
                .filter(|(_, w)| may_be_lookalike(w))
                .collect();
            assert_eq!(lookalike_candidates(&s), want, "{s:?}");
        }
    }

    #[test]
    fn key_prefilter_changes_no_answer() {
        let mut index = LookalikeIndex::default();
        for (i, t) in [
            "Itaú",
            "paypal",
            "IRS",
            "HMRC",
            "amazon",
            "ledger",
            "wallet",
            "confirm",
            "Ｉｔａú",
            "0range",
            "1and1",
        ]
        .iter()
        .enumerate()
        {
            index.insert(t, i);
        }
        // the same lookup without the prefilter
        let reference = |word: &str| -> Option<(String, usize)> {
            let mut key = String::new();
            if !may_be_lookalike(word) || !lookalike_key(word, &mut key) {
                return None;
            }
            let candidates = index.by_key.get(key.as_str())?;
            if index.genuine.contains(&word.to_lowercase()) {
                return None;
            }
            candidates
                .iter()
                .find(|(plain, _)| spells_with_lookalikes(word, plain))
                .map(|(plain, v)| (plain.clone(), *v))
        };
        let mut key = String::new();
        let mut words: Vec<String> = Vec::new();
        for s in tricky_words() {
            words.extend(s.split(' ').map(str::to_string));
        }
        for w in [
            "PayPaI", "PAYPAl", "ltaú", "lRS", "HMRC", "Amaz0n", "Ámazon", "Iedger", "WaIIet",
            "C0NFIRM", "0RANGE", "Orange", "lANDl", "landl", "1AND1", "Ltaú", "ÍRS",
        ] {
            words.push(w.to_string());
        }
        let mut found = 0;
        for w in &words {
            let got = index.find(w, &mut key).map(|(p, v)| (p.to_string(), *v));
            assert_eq!(got, reference(w), "{w:?}");
            found += usize::from(got.is_some());
        }
        assert!(found >= 8, "{found}");
    }

    #[test]
    fn detects_japanese() {
        assert!(is_japanese("お客様の会員資格は一時的に停止されています"));
        assert!(!is_japanese("Your account has been suspended"));
    }
}
