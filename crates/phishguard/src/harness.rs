//! Entry points for the fuzz targets (`fuzz/`) and their regression tests: each takes
//! arbitrary bytes, runs one part of the pipeline, and checks what must hold for any
//! input. A panic here is a bug; the invariants are asserted so the fuzzer finds breaks.
#![allow(clippy::panic)]

use crate::Analyzer;
use crate::input::{Format, ItemBody, ReadOptions, items_from_bytes};
use crate::message::{LinkOrigin, normalise_link};

/// Whole-message analysis from raw bytes, down to the JSON report.
pub fn analyze_mail(analyzer: &Analyzer, data: &[u8]) {
    if let Ok(report) = analyzer.analyze_mail(data, "fuzz", None) {
        assert!(report.score.is_finite(), "score {}", report.score);
        assert!(serde_json::to_string(&report).is_ok(), "report serialises");
    }
}

/// SMS / pasted text; an odd first byte also passes the first word as the sender id.
pub fn analyze_sms(analyzer: &Analyzer, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let sender = data
        .first()
        .filter(|b| *b % 2 == 1)
        .and_then(|_| text.split_whitespace().next());
    if let Ok(report) = analyzer.analyze_sms(&text, sender, "fuzz", None) {
        assert!(report.score.is_finite(), "score {}", report.score);
    }
}

/// URL and host normalisation (IDNA, public suffix list, look-alike folding).
pub fn normalise_url(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let link = normalise_link(&s, Some(s.to_string()), LinkOrigin::Html, None);
    if let Some(host) = &link.host {
        assert!(
            host.ascii.ends_with(&host.registrable),
            "registrable {:?} is not a suffix of {:?}",
            host.registrable,
            host.ascii
        );
    }
    let _ = crate::domain::DomainInfo::parse(&s);
}

/// HTML tokenizing: text, links and their shown text, hidden text, images.
pub fn html_links(data: &[u8]) {
    const MAX_LINKS: usize = 100;
    let s = String::from_utf8_lossy(data);
    let doc = crate::html::extract(&s, 1 << 20, MAX_LINKS);
    assert!(doc.links.len() <= MAX_LINKS, "{} links", doc.links.len());
}

/// mbox splitting and format detection: every item is within the size limit.
pub fn mbox_split(data: &[u8]) {
    const MAX: usize = 1 << 16;
    for format in [Format::Mbox, Format::Auto] {
        let opts = ReadOptions {
            format,
            max_message_bytes: MAX,
        };
        for item in items_from_bytes("fuzz".into(), data.to_vec(), None, false, opts).take(10_000) {
            if let Ok(item) = item
                && let ItemBody::Mail(raw) = &item.body
            {
                assert!(raw.len() <= MAX, "item of {} bytes", raw.len());
            }
        }
    }
}
