//! `sms_nothing_to_act_on` (genuine side): a text message with no link, no phone number
//! and no mail address. Smishing needs a way to reach the victim — a page to open, a number
//! to call, an address to write to; a text without any asks the reader to act through
//! channels they already know (the app, the card's back), as genuine notices do.

use super::Context;
use crate::message::Kind;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    if m.kind != Kind::Sms || !m.links.is_empty() || m.body.trim().is_empty() {
        return Vec::new();
    }
    let text = &m.body_norm.text;
    if has_phone_number(text) || has_mail_address(text) {
        return Vec::new();
    }
    let shown: String = m.body.chars().take(40).collect();
    vec![Evidence::whole("body.text", shown).with_detail("no link, phone number or mail address")]
}

/// A run of digits (with the usual separators) holding at least 9 digits and starting the
/// way phone numbers do — a 0 (`0120-123-456`, `090 1234 5678`), `+` (`+81 90 1234 5678`),
/// a bracket (`(252) 777-0673`) or a 1 (`1-800-…`); dates (`2024-11-25 10`) start
/// otherwise.
pub fn has_phone_number(text: &str) -> bool {
    let mut digits = 0;
    let mut in_run = false;
    let mut phone_like = false;
    for c in text.chars() {
        let sep = matches!(c, '-' | ' ' | '(' | ')' | '+' | '.' | 'ー' | '‐' | '−');
        if !in_run && (c.is_ascii_digit() || matches!(c, '+' | '(')) {
            in_run = true;
            phone_like = matches!(c, '0' | '1' | '+' | '(');
            digits = 0;
        }
        if c.is_ascii_digit() {
            digits += 1;
            if phone_like && digits >= 9 {
                return true;
            }
        } else if !sep {
            in_run = false;
        }
    }
    false
}

/// Something shaped like `name@host.tld`.
fn has_mail_address(text: &str) -> bool {
    text.match_indices('@').any(|(at, _)| {
        let before = text.get(..at).and_then(|b| b.chars().next_back());
        let after = text.get(at + 1..).unwrap_or("");
        let host: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            .collect();
        before.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
            && host.contains('.')
    })
}

#[cfg(test)]
mod tests {
    use super::has_phone_number;

    #[test]
    fn phone_numbers() {
        for t in [
            "お電話 0120-123-456 まで",
            "call +81 90 1234 5678",
            "(252) 777-0673",
            "03-1234-5678",
        ] {
            assert!(has_phone_number(t), "{t}");
        }
        for t in [
            "認証コードは 482913 です",
            "11月25日 午前中",
            "2024-11-25 10:00",
        ] {
            assert!(!has_phone_number(t), "{t}");
        }
    }
}
