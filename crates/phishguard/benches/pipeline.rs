//! Criterion benchmarks of the pipeline, stage by stage, on a fixed set of messages of
//! each kind: small plain text, large HTML, Japanese ISO-2022-JP and Shift_JIS,
//! multipart with attachments, and SMS. Messages are the project's own examples or built
//! here, so the numbers do not depend on the corpus. Run: `cargo bench -p phishguard`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use phishguard::Analyzer;
use phishguard::message::{Limits, parse_mail, parse_sms};
use std::fmt::Write as _;
use std::hint::black_box;

const SMALL_PLAIN: &[u8] = include_bytes!("../../../examples/fake-prime-suspension.eml");
const GENUINE_ORDER: &[u8] = include_bytes!("../../../examples/genuine-amazon-order.eml");
const JA_ISO2022JP: &[u8] = include_bytes!("data/ja-iso2022jp.eml");
const JA_SHIFT_JIS: &[u8] = include_bytes!("data/ja-shiftjis.eml");
const SMS: &str = include_str!("../../../examples/smishing.txt");

/// A newsletter-sized HTML mail: tables, styles, 300 links, about 200 KB.
fn large_html() -> Vec<u8> {
    let mut h = String::from(
        "<html><head><style>td{font:12px sans-serif}</style><title>News</title></head><body><table>",
    );
    for i in 0..300 {
        write!(
            h,
            "<tr><td style=\"padding:4px\"><a href=\"https://shop.example.com/item/{i}?utm_source=mail&amp;id={i}\">\
             <img src=\"https://img.example.com/{i}.png\" alt=\"Item {i}\"></a></td>\
             <td><p>Product {i}: a fine thing at a fair price, delivered tomorrow. \
             Read the reviews and compare before you buy.</p></td></tr>"
        )
        .unwrap();
    }
    h.push_str(
        "</table><p>Unsubscribe: <a href=\"https://shop.example.com/u\">here</a></p></body></html>",
    );
    format!(
        "From: Shop <news@shop.example.com>\r\nTo: you@example.jp\r\nSubject: This week's picks\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{h}"
    )
    .into_bytes()
}

/// Text, HTML and two base64 attachments (a PDF and a zip, 64 KB each).
fn multipart_attachments() -> Vec<u8> {
    let blob: Vec<u8> = (0..48 * 1024u32).map(|i| (i * 7 % 251) as u8).collect();
    let b64 = base64_lines(&blob);
    format!(
        "From: Billing <billing@invoices.example.net>\r\nTo: you@example.jp\r\nSubject: Invoice 2026-11\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n\
         --a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour invoice is attached.\r\n\
         --a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Your invoice is <b>attached</b>.</p>\r\n--a--\r\n\
         --m\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n\
         --m\r\nContent-Type: application/zip; name=\"invoice.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--m--\r\n"
    )
    .into_bytes()
}

fn base64_lines(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, c) in data.chunks(3).enumerate() {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
        if i % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out
}

fn mails() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("small_plain", SMALL_PLAIN.to_vec()),
        ("html_order", GENUINE_ORDER.to_vec()),
        ("large_html", large_html()),
        ("ja_iso2022jp", JA_ISO2022JP.to_vec()),
        ("ja_shift_jis", JA_SHIFT_JIS.to_vec()),
        ("multipart_attachments", multipart_attachments()),
    ]
}

fn bench(c: &mut Criterion) {
    let analyzer = Analyzer::new().unwrap();
    let limits = Limits::default();
    let parser = mail_parser::MessageParser::default();
    let mails = mails();

    let mut g = c.benchmark_group("parse");
    for (name, raw) in &mails {
        g.throughput(Throughput::Bytes(raw.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), raw, |b, raw| {
            b.iter(|| black_box(parser.parse(black_box(raw.as_slice()))))
        });
    }
    g.finish();

    // parse + normalise: addresses, links (HTML and text), text folding
    let mut g = c.benchmark_group("parse_normalise");
    for (name, raw) in &mails {
        g.throughput(Throughput::Bytes(raw.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), raw, |b, raw| {
            b.iter(|| black_box(parse_mail(black_box(raw), &limits)))
        });
    }
    g.bench_function("sms", |b| {
        b.iter(|| black_box(parse_sms(black_box(SMS), None, &limits)))
    });
    g.finish();

    let mut g = c.benchmark_group("link_extraction");
    for (name, raw) in &mails {
        let html = parser
            .parse(raw.as_slice())
            .and_then(|m| m.body_html(0).map(|h| h.into_owned()));
        let Some(html) = html else { continue };
        g.throughput(Throughput::Bytes(html.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &html, |b, html| {
            b.iter(|| black_box(phishguard::html::extract(black_box(html), 4 << 20, 1000)))
        });
    }
    g.finish();

    // checks + score + advice on an already parsed message
    let mut g = c.benchmark_group("checks");
    for (name, raw) in &mails {
        let msg = parse_mail(raw, &limits).unwrap();
        g.bench_with_input(BenchmarkId::from_parameter(name), &msg, |b, msg| {
            b.iter(|| black_box(analyzer.analyze(black_box(msg), "bench", None)))
        });
    }
    let sms = parse_sms(SMS, None, &limits).unwrap();
    g.bench_function("sms", |b| {
        b.iter(|| black_box(analyzer.analyze(black_box(&sms), "bench", None)))
    });
    g.finish();

    let mut g = c.benchmark_group("whole");
    for (name, raw) in &mails {
        g.throughput(Throughput::Bytes(raw.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), raw, |b, raw| {
            b.iter(|| black_box(analyzer.analyze_mail(black_box(raw), "bench", None)))
        });
    }
    g.bench_function("sms", |b| {
        b.iter(|| black_box(analyzer.analyze_sms(black_box(SMS), None, "bench", None)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
