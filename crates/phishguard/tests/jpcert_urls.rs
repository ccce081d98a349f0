//! The link checks against real phishing URLs reported in Japan (JPCERT/CC's public list,
//! 2019–2023, in the shared corpus). For every sampled row whose imitated brand phishguard
//! knows, a mail that claims that brand — with a *spoofed official sender address*, so
//! that only the link can give it away — and an SMS that claims it must both be flagged.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use phishguard::brands::BrandSet;
use phishguard::text::NormText;
use phishguard::{Analyzer, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// One row in this many is tested (the whole list takes minutes in a debug build).
const EVERY: usize = if cfg!(debug_assertions) { 23 } else { 3 };

/// The list's text, or None (with a message) in a bare checkout without the shared
/// corpus: CI always has it, and its accuracy gate fails loudly without it.
fn jpcert_csv() -> Option<String> {
    let csv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/jpcert-phishing-urls-2019-2023.csv");
    let text = std::fs::read_to_string(&csv);
    if text.is_err() {
        eprintln!("{} not found: skipped", csv.display());
    }
    text.ok()
}

fn brand_of(brands: &BrandSet, description: &str) -> Option<usize> {
    let hits = brands.find_aliases(&NormText::new(description, 512));
    if let Some(h) = hits.first() {
        return Some(h.brand);
    }
    let d = NormText::new(description, 512).text;
    brands
        .brands()
        .iter()
        .position(|b| b.name.values().any(|n| NormText::new(n, 512).text == d) || b.id == d)
}

#[test]
fn real_phishing_urls_are_flagged_even_with_a_spoofed_official_sender() {
    let Some(text) = jpcert_csv() else { return };
    let analyzer = Analyzer::new().unwrap();
    let brands = analyzer.brands();
    let mut per_brand: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for (n, line) in text.lines().skip(1).enumerate() {
        if n % EVERY != 0 {
            continue;
        }
        // date,URL,description — the URL has no commas in practice; the description may
        let mut cols = line.splitn(3, ',');
        let (_, url, desc) = (
            cols.next(),
            cols.next().unwrap_or(""),
            cols.next().unwrap_or(""),
        );
        let desc = desc.trim_matches('"');
        let Some(ix) = brand_of(brands, desc) else {
            continue;
        };
        let brand = &brands.brands()[ix];
        let name = brand.name.get("ja").unwrap();
        let sender = &brand.domains.sender[0];
        let mail = format!(
            "From: \"{name}\" <info@{sender}>\r\nSubject: =?UTF-8?B?{}?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n詳しくはこちらをご覧ください。\r\n{url}\r\n",
            b64(&format!("【{name}】お知らせ"))
        );
        let sms = format!("【{name}】お知らせ 詳しくはこちら {url}");
        let m = analyzer
            .analyze_mail(mail.as_bytes(), "jpcert", None)
            .unwrap();
        let s = analyzer.analyze_sms(&sms, None, "jpcert", None).unwrap();
        let e = per_brand.entry(brand.id.clone()).or_default();
        e.0 += 1;
        if m.verdict != Verdict::Legitimate {
            e.1 += 1;
        } else if missed.len() < 20 {
            missed.push(format!("{desc}: {url}"));
        }
        if s.verdict != Verdict::Legitimate {
            e.2 += 1;
        }
    }
    let total: usize = per_brand.values().map(|v| v.0).sum();
    let mail_ok: usize = per_brand.values().map(|v| v.1).sum();
    let sms_ok: usize = per_brand.values().map(|v| v.2).sum();
    for (b, (n, m, s)) in &per_brand {
        println!("{b:<16} {n:>6} mail {m:>6} sms {s:>6}");
    }
    println!("total {total}: mail flagged {mail_ok}, sms flagged {sms_ok}");
    let rows = text.lines().count() / EVERY;
    assert!(
        total * 10 > rows * 8,
        "expected most rows to map to known brands, got {total} of {rows}"
    );
    assert!(
        mail_ok * 1000 >= total * 995,
        "mail: {mail_ok}/{total} flagged; missed e.g. {missed:#?}"
    );
    assert!(
        sms_ok * 1000 >= total * 995,
        "sms: {sms_ok}/{total} flagged"
    );
}

fn b64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every row of the list whose brand phishguard covers: the URL's host must not be
/// judged an official link domain of that brand. Prints coverage per brand.
#[test]
fn no_reported_phishing_url_is_judged_official() {
    let Some(text) = jpcert_csv() else { return };
    let analyzer = Analyzer::new().unwrap();
    let brands = analyzer.brands();
    let (mut rows, mut covered, mut unparsable) = (0usize, 0usize, 0usize);
    let mut per_brand: BTreeMap<String, usize> = BTreeMap::new();
    let mut official = Vec::new();
    let mut owned_infrastructure = Vec::new();
    for line in text.lines().skip(1) {
        rows += 1;
        let mut cols = line.splitn(3, ',');
        let (_, url, desc) = (
            cols.next(),
            cols.next().unwrap_or(""),
            cols.next().unwrap_or(""),
        );
        let Some(ix) = brand_of(brands, desc.trim_matches('"')) else {
            continue;
        };
        covered += 1;
        *per_brand.entry(brands.brands()[ix].id.clone()).or_default() += 1;
        let link = phishguard::message::normalise_link(
            url,
            None,
            phishguard::message::LinkOrigin::Text,
            None,
        );
        let Some(host) = &link.host else {
            unparsable += 1;
            continue;
        };
        if brands.is_official_link(ix, host) {
            official.push(url.to_string());
        } else if brands.owner(host).is_some_and(|(b, _)| b == ix) {
            owned_infrastructure.push(url.to_string());
        }
    }
    for (b, n) in &per_brand {
        println!("{b:<16} {n:>6}");
    }
    println!(
        "rows {rows}, covered {covered} ({:.1}%), unparsable {unparsable}, judged official {}, on the brand's own shared infrastructure {}",
        covered as f64 * 100.0 / rows as f64,
        official.len(),
        owned_infrastructure.len()
    );
    for u in owned_infrastructure.iter().take(10) {
        println!("  infrastructure: {u}");
    }
    assert!(
        official.is_empty(),
        "reported phishing URLs judged official: {official:#?}"
    );
}
