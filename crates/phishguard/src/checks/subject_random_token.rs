//! `subject_random_token`: a meaningless random string stuck to the subject
//! (`…停止されていますg97sRYza`), added so that each copy of a lure differs and spam filters
//! miss it. A token counts when it mixes upper case, lower case and digits in many short
//! runs and sits at the start or end of the subject or glued to Japanese text.

use super::Context;
use crate::report::Evidence;
use crate::text::is_cjk;

fn class(c: char) -> u8 {
    if c.is_ascii_digit() {
        0
    } else if c.is_ascii_uppercase() {
        1
    } else {
        2
    }
}

/// Does this ASCII alphanumeric token look random?
pub fn looks_random(tok: &str) -> bool {
    let n = tok.len();
    if !(6..=32).contains(&n) {
        return false;
    }
    let upper = tok.chars().filter(char::is_ascii_uppercase).count();
    let lower = tok.chars().filter(char::is_ascii_lowercase).count();
    let digit = tok.chars().filter(char::is_ascii_digit).count();
    if upper == 0 || lower == 0 {
        return false;
    }
    let mut runs = 1;
    let mut prev = None;
    for c in tok.chars() {
        let k = class(c);
        if prev.is_some_and(|p| p != k) {
            runs += 1;
        }
        prev = Some(k);
    }
    // g97sRYza: 5 runs in 8; "iPhone" 2 runs; "McDonald" 4 runs but no digit
    (digit > 0 && runs >= 5) || (digit == 0 && runs >= 6 && upper >= 2 && lower >= 2)
}

pub fn run(cx: &Context) -> Vec<Evidence> {
    let s = &cx.msg.subject;
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
            continue;
        }
        let b0 = i;
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        let b1 = i;
        let tok = s.get(b0..b1).unwrap_or("");
        if !looks_random(tok) {
            continue;
        }
        let before = s.get(..b0).unwrap_or("");
        let after = s.get(b1..).unwrap_or("");
        let edge = |p: &str| {
            p.chars()
                .all(|c| c.is_whitespace() || c.is_ascii_punctuation())
        };
        let glued =
            before.chars().last().is_some_and(is_cjk) || after.chars().next().is_some_and(is_cjk);
        if edge(before) || edge(after) || glued {
            out.push(Evidence::span("header:Subject", s, b0, b1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::looks_random;

    #[test]
    fn random_tokens() {
        assert!(looks_random("g97sRYza"));
        assert!(looks_random("xK3pQ9zL"));
        assert!(!looks_random("iPhone15"));
        assert!(!looks_random("Amazon"));
        assert!(!looks_random("ABC12345"));
        assert!(!looks_random("1234567"));
        assert!(!looks_random("McDonald"));
    }
}
