//! Hostile inputs, built at test time (nothing huge is committed): each must give a result
//! or a clear error, never a panic, within a time budget and a memory budget.
//!
//! Run in release for the real budgets (`cargo test --release -p phishguard --test hostile`,
//! as `.ci/run` does): debug builds are 10-30× slower, so there the time budget is only
//! reported, not enforced. Peak memory is measured by a counting allocator (heap only).
//! `HOSTILE_OUT=DIR` also writes every generated input to DIR, for measuring the CLI with
//! `/usr/bin/time -v`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use phishguard::input::{Format, ItemBody, ReadOptions, items_from_bytes};
use phishguard::{Analyzer, Report};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Counts live heap bytes and the high-water mark since the last reset.
struct CountingAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn note_alloc(size: usize) {
    let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            note_alloc(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            note_alloc(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            note_alloc(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const TIME_BUDGET: Duration = Duration::from_secs(2);
const MEMORY_BUDGET: usize = 512 << 20;
/// Analysis runs on a thread with this stack, as every front end does.
const STACK: usize = 64 << 20;

/// A deterministic byte stream (xorshift), so failures reproduce.
struct Noise(u64);
impl Noise {
    fn byte(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
}

fn base64_lines(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 38 + 4);
    for (i, c) in data.chunks(3).enumerate() {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
        if i % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out
}

const LURE: &str = "Your Amazon Prime membership is suspended. Verify your payment today: \
                    https://amazon-verify.example-login.top/signin\r\n";

fn head(extra: &str) -> String {
    format!(
        "From: Amazon <no-reply@amaz0n-support.top>\r\nTo: you@example.jp\r\n\
         Subject: Prime membership suspended\r\n{extra}MIME-Version: 1.0\r\n"
    )
}

fn big_attachment() -> Vec<u8> {
    let data = Noise(7).bytes(37 << 20); // 37 MB of data is ~50 MB of base64
    let mut m = head("Content-Type: multipart/mixed; boundary=\"b\"\r\n");
    write!(
        m,
        "\r\n--b\r\nContent-Type: text/plain\r\n\r\n{LURE}--b\r\n\
         Content-Type: application/zip; name=\"invoice.zip\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n--b--\r\n",
        base64_lines(&data)
    )
    .unwrap();
    m.into_bytes()
}

fn many_parts(n: usize) -> Vec<u8> {
    let mut m = head("Content-Type: multipart/mixed; boundary=\"b\"\r\n");
    m.push_str("\r\n");
    for i in 0..n {
        let kind = ["text/plain", "text/html", "application/pdf"][i % 3];
        write!(
            m,
            "--b\r\nContent-Type: {kind}; name=\"p{i}\"\r\n\r\npart {i} <a href=\"https://x{i}.example.com/\">x</a>\r\n"
        )
        .unwrap();
    }
    m.push_str("--b--\r\n");
    m.into_bytes()
}

fn nested_rfc822(depth: usize) -> Vec<u8> {
    let mut inner = format!("{}\r\n{LURE}", head("")).into_bytes();
    for i in 0..depth {
        let mut outer = head(&format!(
            "Content-Type: multipart/mixed; boundary=\"n{i}\"\r\n"
        ))
        .into_bytes();
        outer.extend_from_slice(
            format!("\r\n--n{i}\r\nContent-Type: message/rfc822\r\n\r\n").as_bytes(),
        );
        outer.extend_from_slice(&inner);
        outer.extend_from_slice(format!("\r\n--n{i}--\r\n").as_bytes());
        inner = outer;
    }
    inner
}

fn nested_multipart(depth: usize) -> Vec<u8> {
    let mut m = head("Content-Type: multipart/mixed; boundary=\"d0\"\r\n");
    m.push_str("\r\n");
    for i in 0..depth {
        write!(
            m,
            "--d{i}\r\nContent-Type: multipart/mixed; boundary=\"d{}\"\r\n\r\n",
            i + 1
        )
        .unwrap();
    }
    write!(m, "--d{depth}\r\nContent-Type: text/plain\r\n\r\n{LURE}").unwrap();
    for i in (0..=depth).rev() {
        write!(m, "--d{i}--\r\n").unwrap();
    }
    m.into_bytes()
}

fn long_header_line() -> Vec<u8> {
    let mut m = format!(
        "From: Amazon <no-reply@amaz0n-support.top>\r\nSubject: {}\r\n",
        "suspended ".repeat(500_000)
    );
    write!(m, "X-Long: {}\r\n\r\n{LURE}", "a".repeat(5 << 20)).unwrap();
    m.into_bytes()
}

fn many_headers() -> Vec<u8> {
    let mut m = head("");
    for i in 0..200_000 {
        write!(m, "Received: from h{i}.example ([10.0.0.1]) by mx\r\n").unwrap();
    }
    write!(m, "\r\n{LURE}").unwrap();
    m.into_bytes()
}

fn nul_and_invalid_utf8() -> Vec<u8> {
    let mut m = b"From: \"Ama\x00zon\xff\xfe\" <no-reply@ama\x00zon.co.jp>\r\nSubject: \xc3\x28 \x00\x00 =?utf-8?b?/w==?= =?bogus?q?=FF?=\r\nTo: \xed\xa0\x80@example.jp\r\n\r\n".to_vec();
    m.extend_from_slice(b"body \x00\xff\xfe\xc0\xaf ");
    m.extend_from_slice(LURE.as_bytes());
    m
}

fn wrong_charsets() -> Vec<u8> {
    let mut m = head("Content-Type: multipart/alternative; boundary=\"c\"\r\n").into_bytes();
    m.extend_from_slice(b"\r\n--c\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\n");
    m.extend_from_slice("お客様の会員資格は停止されています (utf-8 in shift_jis)\r\n".as_bytes());
    m.extend_from_slice(b"--c\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B%\x1b(B\x1b$\x1b$B\xff\xfe\r\n");
    m.extend_from_slice(b"--c\r\nContent-Type: text/html; charset=x-no-such-charset\r\n\r\n<a href=\"https://amazon.co.jp.example.top/\">amazon.co.jp</a>\r\n");
    m.extend_from_slice(b"--c\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n////\r\n--c--\r\n");
    m
}

fn html_mail(html: &str) -> Vec<u8> {
    format!(
        "{}Content-Type: text/html; charset=utf-8\r\n\r\n{html}",
        head("")
    )
    .into_bytes()
}

fn html_many_links() -> Vec<u8> {
    let mut h = String::with_capacity(40 << 20);
    for i in 0..1_000_000 {
        write!(h, "<a href=\"https://l{i}.example.top/p\">x</a>").unwrap();
    }
    html_mail(&h)
}

fn html_deep_nesting() -> Vec<u8> {
    let mut h = String::new();
    for _ in 0..100_000 {
        h.push_str("<div><a href=\"https://e.example.top/\"><table><tr><td><span>");
    }
    h.push_str("Verify your account");
    html_mail(&h)
}

fn long_url() -> Vec<u8> {
    let url = format!("https://amazon.co.jp.{}.example.top/", "a.".repeat(50_000));
    let mut m = format!("{}\r\n", head("")).into_bytes();
    m.extend_from_slice(format!("Login: {url}\r\n<a href=\"{url}\">x</a>\r\n").as_bytes());
    m
}

/// Long runs of what each regex and phrase matcher looks at: URL-ish text without an end,
/// digits and currency for the money pattern, repeated prefixes of phrases, many dots.
fn regex_pathological() -> Vec<u8> {
    let mut body = String::new();
    body.push_str(&"http://".repeat(100_000));
    body.push(' ');
    body.push_str(&"a.".repeat(200_000));
    body.push_str("com/");
    body.push(' ');
    body.push_str(&"www.".repeat(100_000));
    body.push(' ');
    body.push_str(&"$1,".repeat(100_000));
    body.push(' ');
    body.push_str(&"アカウント停".repeat(50_000));
    body.push(' ');
    body.push_str(&"@".repeat(100_000));
    let subject = format!("{} {}", "$9.".repeat(20_000), "Ａｍａｚｏｎ".repeat(10_000));
    format!(
        "From: a@b.example\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    )
    .into_bytes()
}

fn qp_and_base64_tricks() -> Vec<u8> {
    let mut m = head("Content-Type: multipart/alternative; boundary=\"q\"\r\n");
    m.push_str(
        "\r\n--q\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
    );
    m.push_str(&"=\r\n".repeat(200_000));
    m.push_str("<a href=3D\"https://ama=\r\nzon.example.top/\">amazon.co.jp</a>=ZZ=\r\n");
    m.push_str("--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    m.push_str(&"!!!!====".repeat(100_000));
    m.push_str("\r\n--q--\r\n");
    m.into_bytes()
}

fn broken_mbox() -> Vec<u8> {
    let mut m =
        b"From \r\nFrom: x@y\r\n\r\nbody\r\nFrom MAILER-DAEMON garbage\r\n\x00\xff\r\n".to_vec();
    m.extend_from_slice(b"From a@b Thu Jan  1 00:00:00 1970\r\n");
    m.extend_from_slice(head("").as_bytes());
    m.extend_from_slice(b"\r\n>From quoted\r\n");
    m.extend_from_slice(LURE.as_bytes());
    m.extend_from_slice(b"From ");
    m
}

enum Input {
    Mail(Vec<u8>),
    Sms(String),
    Mbox(Vec<u8>),
}

struct Outcome {
    verdict: String,
    truncated: Vec<&'static str>,
}

fn summarize(r: &Result<Report, phishguard::message::ParseError>) -> Outcome {
    match r {
        Ok(r) => Outcome {
            verdict: r.verdict.as_str().to_string(),
            truncated: r.limits_hit.clone(),
        },
        Err(e) => Outcome {
            verdict: format!("error: {e}"),
            truncated: Vec::new(),
        },
    }
}

fn run(analyzer: &Analyzer, input: &Input) -> Vec<Outcome> {
    match input {
        Input::Mail(raw) => vec![summarize(&analyzer.analyze_mail(raw, "hostile", None))],
        Input::Sms(t) => vec![summarize(&analyzer.analyze_sms(t, None, "hostile", None))],
        Input::Mbox(raw) => {
            let opts = ReadOptions {
                format: Format::Mbox,
                ..ReadOptions::default()
            };
            items_from_bytes("mbox".into(), raw.clone(), None, false, opts)
                .map(|item| match item {
                    Ok(item) => {
                        let r = analyzer.analyze_item(&item, None, None);
                        if let ItemBody::Mail(_) = item.body {
                            summarize(&r)
                        } else {
                            Outcome {
                                verdict: "sms?".into(),
                                truncated: Vec::new(),
                            }
                        }
                    }
                    Err(e) => Outcome {
                        verdict: format!("error: {}", e.message),
                        truncated: Vec::new(),
                    },
                })
                .collect()
        }
    }
}

#[test]
fn hostile_inputs_give_a_result_in_bounded_time_and_memory() {
    type Gen = fn() -> Input;
    let cases: Vec<(&str, Gen)> = vec![
        ("50 MB mail (base64 attachment)", || {
            Input::Mail(big_attachment())
        }),
        ("10,000 MIME parts", || Input::Mail(many_parts(10_000))),
        ("message/rfc822 nested 1,000 deep", || {
            Input::Mail(nested_rfc822(1000))
        }),
        ("multipart nested 1,000 deep", || {
            Input::Mail(nested_multipart(1000))
        }),
        ("5 MB header line", || Input::Mail(long_header_line())),
        ("200,000 header lines", || Input::Mail(many_headers())),
        ("NUL and invalid UTF-8 in headers", || {
            Input::Mail(nul_and_invalid_utf8())
        }),
        ("wrong and unknown charsets", || {
            Input::Mail(wrong_charsets())
        }),
        ("HTML with 1,000,000 links", || {
            Input::Mail(html_many_links())
        }),
        ("HTML nested 600,000 tags deep", || {
            Input::Mail(html_deep_nesting())
        }),
        ("100 KB URL", || Input::Mail(long_url())),
        ("pathological regex input", || {
            Input::Mail(regex_pathological())
        }),
        ("quoted-printable and base64 tricks", || {
            Input::Mail(qp_and_base64_tricks())
        }),
        ("10 MB random binary", || {
            Input::Mail(Noise(3).bytes(10 << 20))
        }),
        ("empty input", || Input::Mail(Vec::new())),
        ("mbox with broken From lines", || Input::Mbox(broken_mbox())),
        ("5 MB SMS", || {
            Input::Sms(format!("{} {LURE}", "停止".repeat(1 << 20)))
        }),
        ("SMS of control characters", || {
            Input::Sms((0u8..32).map(char::from).cycle().take(1 << 20).collect())
        }),
    ];

    let analyzer = Analyzer::new().expect("analyzer");
    let out_dir = std::env::var_os("HOSTILE_OUT").map(std::path::PathBuf::from);
    let enforce_time = !cfg!(debug_assertions);
    let mut table =
        String::from("| input | size | time | peak heap | outcome |\n|---|---|---|---|---|\n");
    let mut failures = Vec::new();
    {
        for (i, (name, generate)) in cases.iter().enumerate() {
            let input = generate();
            let size = match &input {
                Input::Mail(b) | Input::Mbox(b) => b.len(),
                Input::Sms(t) => t.len(),
            };
            if let Some(dir) = &out_dir {
                let bytes: &[u8] = match &input {
                    Input::Mail(b) | Input::Mbox(b) => b,
                    Input::Sms(t) => t.as_bytes(),
                };
                let ext = match input {
                    Input::Mail(_) => "eml",
                    Input::Mbox(_) => "mbox",
                    Input::Sms(_) => "txt",
                };
                std::fs::create_dir_all(dir).unwrap();
                std::fs::write(dir.join(format!("{i:02}.{ext}")), bytes).unwrap();
            }
            let base = LIVE.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let started = Instant::now();
            let outcome = std::thread::scope(|s| {
                std::thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(s, || run(&analyzer, &input))
                    .unwrap()
                    .join()
            });
            let took = started.elapsed();
            // the input itself is counted in `base`: peak is what analysis added on top
            let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
            let shown = match &outcome {
                Ok(outcomes) => outcomes
                    .iter()
                    .map(|o| {
                        if o.truncated.is_empty() {
                            o.verdict.clone()
                        } else {
                            format!("{} (truncated: {})", o.verdict, o.truncated.join(", "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                Err(_) => "PANIC".into(),
            };
            writeln!(
                table,
                "| {name} | {:.1} MB | {:.2} s | {:.1} MB | {shown} |",
                size as f64 / 1e6,
                took.as_secs_f64(),
                peak as f64 / 1e6
            )
            .unwrap();
            if outcome.is_err() {
                failures.push(format!("{name}: panicked"));
            }
            if enforce_time && took > TIME_BUDGET {
                failures.push(format!("{name}: took {took:?} (budget {TIME_BUDGET:?})"));
            }
            if peak > MEMORY_BUDGET {
                failures.push(format!(
                    "{name}: peak heap {peak} bytes (budget {MEMORY_BUDGET})"
                ));
            }
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}\n{table}", failures.join("\n"));
}

#[test]
fn an_exhausted_time_budget_is_reported_not_hidden() {
    let mut analyzer = Analyzer::new().unwrap();
    analyzer.limits.time_budget = Duration::ZERO;
    let r = analyzer
        .analyze_mail(&html_mail("<p>hello</p>"), "t", None)
        .unwrap();
    assert!(r.truncated);
    assert!(r.limits_hit.contains(&"time_budget"), "{:?}", r.limits_hit);
}

#[test]
fn nesting_beyond_the_limit_is_reported() {
    let mut analyzer = Analyzer::new().unwrap();
    let raw = nested_rfc822(3);
    let deep = analyzer.analyze_mail(&raw, "t", None).unwrap();
    assert!(deep.limits_hit.contains(&"max_nesting"));
    analyzer.limits.max_nesting = 5;
    let all = analyzer.analyze_mail(&raw, "t", None).unwrap();
    assert!(
        !all.limits_hit.contains(&"max_nesting"),
        "{:?}",
        all.limits_hit
    );
    // a message with nothing attached never reports the nesting limit
    analyzer.limits.max_nesting = 0;
    let flat = analyzer
        .analyze_mail(&html_mail("<p>x</p>"), "t", None)
        .unwrap();
    assert!(!flat.truncated);
}
