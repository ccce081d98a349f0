//! Helpers shared by the check tests: one analyzer, synthetic mail and SMS.
#![allow(clippy::expect_used, clippy::unwrap_used, dead_code)]

use phishguard::{Analyzer, Report};
use std::sync::LazyLock;

pub static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new().expect("built-in data loads"));

pub fn text_mail(headers: &str, body: &str) -> Report {
    let raw = format!(
        "{headers}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{body}\r\n"
    );
    ANALYZER
        .analyze_mail(raw.as_bytes(), "test", None)
        .expect("parses")
}

pub fn html_mail(headers: &str, html: &str) -> Report {
    let raw = format!(
        "{headers}\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n{html}\r\n"
    );
    ANALYZER
        .analyze_mail(raw.as_bytes(), "test", None)
        .expect("parses")
}

pub fn sms(text: &str) -> Report {
    ANALYZER
        .analyze_sms(text, None, "sms", None)
        .expect("parses")
}

pub fn fired(r: &Report, id: &str) -> bool {
    r.reasons.iter().any(|x| x.id == id)
}

/// For each (check, text that must fire it, text that must not), as the body of a plain mail.
pub fn assert_wording_cases(cases: &[(&str, &str, &str)]) {
    for &(id, yes, no) in cases {
        assert!(
            fired(&text_mail("From: a@b.example\r\nSubject: x", yes), id),
            "{id} should fire on {yes:?}"
        );
        assert!(
            !fired(&text_mail("From: a@b.example\r\nSubject: x", no), id),
            "{id} should not fire on {no:?}"
        );
    }
}
