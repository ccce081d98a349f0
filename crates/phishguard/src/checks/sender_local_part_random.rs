//! `sender_local_part_random`: the From address's local part is letters in random case
//! (`xHtFjdALEqNMlfk@…`, `XkMyfwsP@…`). People and mail systems choose names: lower case,
//! capitals, or words in CamelCase (`DoNotReply`, `MyJCBinfo`). Bulk-sending kits draw a
//! fresh random sender for each message so that no address collects complaints.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let Some(local) = from.address.as_deref().and_then(|a| a.rsplit_once('@')) else {
        return Vec::new();
    };
    if !random_case(local.0) {
        return Vec::new();
    }
    vec![party_evidence(from).with_detail(format!("{}: letters in random case", local.0))]
}

/// Is `local` 6–32 ASCII letters whose case follows no word pattern?
pub fn random_case(local: &str) -> bool {
    let b = local.as_bytes();
    if !(6..=32).contains(&b.len()) || !b.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    if words_in_case(b) {
        return false;
    }
    // case runs: `XkMyfwsP` -> X, k, M, yfws, P
    let mut runs: Vec<(bool, usize)> = Vec::new();
    for &c in b {
        let up = c.is_ascii_uppercase();
        match runs.last_mut() {
            Some((u, n)) if *u == up => *n += 1,
            _ => runs.push((up, 1)),
        }
    }
    // a lone lower-case letter between capitals, or a lone capital at the end, is no word
    let mut odd = 0.0;
    let last = runs.len().saturating_sub(1);
    for (i, &(up, n)) in runs.iter().enumerate() {
        if n == 1 && ((!up && i > 0) || (up && i == last)) {
            odd += 1.0;
        } else if up && (2..=3).contains(&n) && i == last && i > 0 {
            odd += 0.5;
        }
    }
    let changes = runs.len() - 1;
    let capitals = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    odd >= 1.5 || (capitals >= 3 && (changes >= 4 || (changes >= 3 && odd >= 1.0)))
}

/// Does the case follow words: all one case, CamelCase words (`DoNotReply`, `iPhoneNews`),
/// or an acronym before or among them (`MyJCBinfo`, `JCBCardNews`)?
fn words_in_case(b: &[u8]) -> bool {
    if b.iter().all(u8::is_ascii_lowercase) || b.iter().all(u8::is_ascii_uppercase) {
        return true;
    }
    // a lower-case start, then words that are a capital and lower case letters
    let start = b.iter().take_while(|c| c.is_ascii_lowercase()).count();
    let rest = b.get(start..).unwrap_or_default();
    camel_words(rest) || acronym_then_words(rest)
}

/// `Do` `Not` `Reply`: each capital followed by at least one lower-case letter.
fn camel_words(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !b.get(i).is_some_and(u8::is_ascii_uppercase) {
            return false;
        }
        let n = b
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    true
}

/// Camel words with one block of capitals among them that runs into a lower-case word of
/// at least two letters (`MyJCBinfo`, `JCBCardNews`, `NLNieuws`).
fn acronym_then_words(b: &[u8]) -> bool {
    let mut i = 0;
    let mut acronyms = 0;
    while i < b.len() {
        let caps = b
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        if caps == 0 {
            return false;
        }
        let lower = b
            .get(i + caps..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if caps >= 2 {
            acronyms += 1;
            // the acronym's last capital may start the next word (`JCBCard`); otherwise
            // the lower-case word after it is the acronym's own
            if lower < 2 {
                return false;
            }
        } else if lower == 0 {
            return false;
        }
        i += caps + lower;
    }
    acronyms <= 1
}

#[cfg(test)]
mod tests {
    use super::random_case;

    #[test]
    fn random_case_local_parts() {
        for l in [
            "XkMyfwsP",
            "aLaZFLJt",
            "xHtFjdALEqNMlfk",
            "srWUViqS",
            "qDHwUXSYquXewNx",
        ] {
            assert!(random_case(l), "{l}");
        }
    }

    #[test]
    fn chosen_names_are_not_random() {
        for l in [
            "DoNotReply",
            "DoNotUse",
            "MyJCBinfo",
            "JCBCardNews",
            "NLNieuws",
            "iPhoneNews",
            "newsletterUK",
            "AmazonJP",
            "eBayDeals",
            "McDonalds",
            "JohnRChamplin",
            "GitHubNews",
            "OpenAIUpdates",
            "noreply",
            "INFO",
            "auto-confirm",
            "john.smith",
            "Abc",
        ] {
            assert!(!random_case(l), "{l}");
        }
    }
}
