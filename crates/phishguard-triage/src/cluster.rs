//! Campaigns: near-duplicate detection with MinHash and LSH.
//!
//! The subject and body text are normalised (lower case; URLs, e-mail addresses, numbers
//! and long random tokens masked), cut into character 5-gram shingles, and summarised
//! as a 128-value MinHash signature. The signature is split into 32 bands of 4 values;
//! messages sharing a band bucket are candidates, and a candidate is a match when the
//! estimated Jaccard similarity of their shingle sets is at least [`JOIN`], or at least
//! [`JOIN_WITH_DOMAIN`] when they also share a link domain. A new message joins the
//! campaign of its best match (ties: the older campaign); otherwise it starts a campaign.
//!
//! Assignment is incremental (buckets and signatures live in the database, new messages
//! join existing campaigns) and deterministic: unassigned messages are taken in the
//! order (date, sha256), whatever the order or the threads they were analysed in.

use crate::TriageError;
use regex::Regex;
use rusqlite::Connection;
use std::sync::LazyLock;

pub const HASHES: usize = 128;
pub const BANDS: usize = 32;
pub const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity at which two messages are the same lure.
pub const JOIN: f64 = 0.55;
/// The lower similarity that is enough when the two also share a link domain.
pub const JOIN_WITH_DOMAIN: f64 = 0.35;
/// Fewer shingles than this: too little text to cluster on.
const MIN_SHINGLES: usize = 8;
const SHINGLE: usize = 5;

static URL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)\S+").ok());
static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+").ok());

/// Normalise subject and body for clustering.
pub fn normalise(subject: &str, body: &str) -> String {
    let text = format!("{subject}\n{body}").to_lowercase();
    let text = match URL.as_ref() {
        Some(re) => re.replace_all(&text, " \u{1}u ").into_owned(),
        None => text,
    };
    let text = match EMAIL.as_ref() {
        Some(re) => re.replace_all(&text, " \u{1}e ").into_owned(),
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&mask_word(word));
    }
    out
}

/// Mask one word: a long token mixing letters and digits (an id, a tracking token)
/// becomes `#t`; runs of digits become one `0`.
fn mask_word(word: &str) -> String {
    let alnum = word.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let letters = alnum - digits;
    let hexish = word.len() >= 16 && word.chars().all(|c| c.is_ascii_hexdigit());
    if (alnum >= 12 && digits >= 2 && letters >= 2) || hexish || (word.len() >= 24 && alnum > 20) {
        return "#t".to_string();
    }
    let mut out = String::with_capacity(word.len());
    let mut in_digits = false;
    for c in word.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

/// 64-bit FNV-1a.
fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The multiply-shift parameters of the [`HASHES`] hash functions.
static PARAMS: LazyLock<Vec<(u64, u64)>> = LazyLock::new(|| {
    (0..HASHES as u64)
        .map(|i| (splitmix(i ^ 0x5eed) | 1, splitmix(i ^ 0xb0b)))
        .collect()
});

/// MinHash signature of a normalised text; None when it is too short to cluster on.
/// Each of the [`HASHES`] functions is a multiply-shift hash of the shingle's hash; a
/// shingle is [`SHINGLE`] characters, hashed as their UTF-8 bytes.
pub fn minhash(text: &str) -> Option<Vec<u32>> {
    // byte offsets of the characters, and of the end: shingle i is the text between the
    // starts of characters i and i + SHINGLE (no copy of the characters needed)
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut shingles: Vec<u64> = bounds
        .iter()
        .zip(bounds.iter().skip(SHINGLE))
        .map(|(&a, &b)| splitmix(fnv(text.as_bytes().get(a..b).unwrap_or_default())))
        .collect();
    shingles.sort_unstable();
    shingles.dedup();
    if shingles.len() < MIN_SHINGLES {
        return None;
    }
    // one hash function at a time over all shingles (a minimum does not depend on the
    // order it is taken in)
    let sig = PARAMS
        .iter()
        .map(|&(a, b)| {
            shingles
                .iter()
                .map(|s| (a.wrapping_mul(*s).wrapping_add(b) >> 32) as u32)
                .min()
                .unwrap_or(u32::MAX)
        })
        .collect();
    Some(sig)
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// LSH buckets: one per band.
pub fn buckets(sig: &[u32]) -> Vec<i64> {
    sig.chunks(ROWS)
        .map(|band| {
            let mut bytes = Vec::with_capacity(ROWS * 4);
            for v in band {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            fnv(&bytes) as i64
        })
        .collect()
}

pub fn signature_bytes(sig: &[u32]) -> Vec<u8> {
    sig.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub fn signature_from_bytes(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Assign every message that has no campaign yet (all verdicts: a lure the analysis
/// missed still joins the campaign its flagged siblings are in). Returns (messages assigned,
/// campaigns created). See [`crate::assign`] for how.
pub fn assign_campaigns(conn: &mut Connection, run: i64) -> Result<(u64, u64), TriageError> {
    crate::assign::assign_campaigns(conn, run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_variable_parts() {
        let a = normalise(
            "Your order 12345",
            "Dear john, visit https://a.example/x?id=9 or mail a@b.example token AbC123def456GhI",
        );
        let b = normalise(
            "Your order 987",
            "Dear john, visit http://other.example/q or mail zz@c.example token 99xYz8877qqqWWW",
        );
        assert_eq!(a, b);
    }

    #[test]
    fn similar_texts_have_similar_signatures() {
        let lure = "your account has been suspended because we noticed unusual sign in activity. \
                    please verify your identity within 24 hours or your account will be closed.";
        let a = minhash(&normalise("Account suspended", lure));
        let b = minhash(&normalise(
            "Account suspended",
            &lure.replace("unusual", "strange"),
        ));
        let c = minhash(&normalise(
            "Lunch on friday?",
            "hi all, shall we meet for lunch on friday at the usual place near the station?",
        ));
        let (Some(a), Some(b), Some(c)) = (a, b, c) else {
            panic!("signatures");
        };
        assert!(similarity(&a, &b) > 0.7, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.2, "{}", similarity(&a, &c));
    }

    /// The signature as first written (a String per shingle, hash functions inside).
    fn reference_minhash(text: &str) -> Option<Vec<u32>> {
        let chars: Vec<char> = text.chars().collect();
        let mut shingles: Vec<u64> = Vec::with_capacity(chars.len());
        let mut buf = String::new();
        for w in chars.windows(SHINGLE) {
            buf.clear();
            buf.extend(w.iter());
            shingles.push(splitmix(fnv(buf.as_bytes())));
        }
        shingles.sort_unstable();
        shingles.dedup();
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let params: Vec<(u64, u64)> = (0..HASHES as u64)
            .map(|i| (splitmix(i ^ 0x5eed) | 1, splitmix(i ^ 0xb0b)))
            .collect();
        let mut sig = vec![u32::MAX; HASHES];
        for s in &shingles {
            for (slot, (a, b)) in sig.iter_mut().zip(&params) {
                let h = (a.wrapping_mul(*s).wrapping_add(*b) >> 32) as u32;
                *slot = (*slot).min(h);
            }
        }
        Some(sig)
    }

    #[test]
    fn signatures_are_the_stored_ones() {
        for t in [
            "",
            "abcd",
            "abcdefgh",
            "abcdefghijkl",
            "your account has been suspended, verify within 0 hours \u{1}u",
            "お客様のアカウントは一時的に停止されています。ご確認ください。",
            "mixed ascii と日本語 text with émojis 🎉🎉 and more words here",
        ] {
            assert_eq!(minhash(t), reference_minhash(t), "{t:?}");
        }
        let long = normalise(
            "Account suspended",
            &"We noticed unusual sign-in activity on your account 12345. ".repeat(80),
        );
        assert_eq!(minhash(&long), reference_minhash(&long));
    }

    #[test]
    fn too_little_text_is_not_clustered() {
        assert!(minhash("hi").is_none());
    }
}
