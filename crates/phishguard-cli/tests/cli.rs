//! Integration tests that run the `phishguard` binary.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_phishguard"));
    c.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> PathBuf {
    repo().join("examples").join(name)
}

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("writes");
    child.wait_with_output().expect("finishes")
}

#[test]
fn examples_get_the_right_verdicts_and_exit_codes() {
    let out = bin()
        .args(["scan", "--json"])
        .arg(example("fake-prime-suspension.eml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let r = &json_lines(&out)[0];
    assert_eq!(r["verdict"], "phishing");
    assert_eq!(r["brand"], "amazon");
    assert_eq!(
        r["lang"], "ja",
        "a Japanese message without a locale gets Japanese advice"
    );

    let out = bin()
        .args(["scan", "--json"])
        .arg(example("genuine-amazon-order.eml"))
        .arg(example("genuine-prime-payment-notice.eml"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let rs = json_lines(&out);
    assert_eq!(rs.len(), 2, "NDJSON: one object per message");
    assert!(rs.iter().all(|r| r["verdict"] == "legitimate"));

    let out = bin()
        .args(["scan", "--json"])
        .arg(example("smishing.txt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let r = &json_lines(&out)[0];
    assert_eq!(r["kind"], "sms");
    assert_eq!(r["verdict"], "phishing");
}

#[test]
fn json_schema_has_the_documented_fields() {
    let out = bin()
        .args(["scan", "--json", "--lang", "en"])
        .arg(example("fake-prime-suspension.eml"))
        .output()
        .expect("runs");
    let r = &json_lines(&out)[0];
    for key in [
        "source",
        "verdict",
        "score",
        "brand",
        "reasons",
        "advice",
        "lang",
        "truncated",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["lang"], "en");
    let reason = &r["reasons"][0];
    for key in ["id", "weight", "summary", "evidence"] {
        assert!(reason.get(key).is_some(), "reason missing {key}");
    }
    let ev = &reason["evidence"][0];
    assert!(ev["location"].is_string() && ev["text"].is_string());
    // phrase evidence carries offsets into the body text
    let with_offsets = r["reasons"]
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|x| x["evidence"].as_array().cloned().unwrap_or_default())
        .any(|e| e["location"] == "body.text" && e["start"].is_u64() && e["char_end"].is_u64());
    assert!(with_offsets);
    assert!(r["advice"][0]["text"].is_string());
}

#[test]
fn terminal_report_is_readable() {
    let out = bin()
        .args(["scan", "--lang", "ja"])
        .arg(example("fake-prime-suspension.eml"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("判定"));
    assert!(text.contains("link_off_brand"));
    assert!(text.contains("stop-spoofing@amazon.com"));
}

#[test]
fn mbox_is_split_and_numbered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = dir.path().join("box.mbox");
    let fake = std::fs::read(example("fake-prime-suspension.eml")).expect("example");
    let genuine = std::fs::read(example("genuine-amazon-order.eml")).expect("example");
    let mut data = Vec::new();
    for m in [&fake, &genuine] {
        data.extend_from_slice(b"From MAILER-DAEMON Fri Nov 14 01:28:19 2025\n");
        data.extend_from_slice(m);
        data.extend_from_slice(b"\n");
    }
    std::fs::write(&mbox, data).expect("write");
    let out = bin()
        .args(["scan", "--json"])
        .arg(&mbox)
        .output()
        .expect("runs");
    let rs = json_lines(&out);
    assert_eq!(rs.len(), 2);
    assert!(
        rs[0]["source"]
            .as_str()
            .expect("str")
            .ends_with("box.mbox#1")
    );
    assert_eq!(rs[0]["verdict"], "phishing");
    assert_eq!(rs[1]["verdict"], "legitimate");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn maildir_and_recursive_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["Maildir/cur", "Maildir/new", "Maildir/tmp", "other"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
    }
    std::fs::copy(
        example("genuine-amazon-order.eml"),
        dir.path().join("Maildir/cur/1700000000.1.host:2,S"),
    )
    .expect("copy");
    std::fs::copy(
        example("fake-prime-suspension.eml"),
        dir.path().join("Maildir/new/1700000001.2.host"),
    )
    .expect("copy");
    std::fs::copy(
        example("genuine-prime-payment-notice.eml"),
        dir.path().join("other/a.eml"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("other/notes.md"), "not mail").expect("write");
    let out = bin()
        .args(["scan", "--json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let rs = json_lines(&out);
    assert_eq!(rs.len(), 3, "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn errors_are_clear_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.eml");
    std::fs::write(&empty, "").expect("write");
    let garbage = dir.path().join("garbage.bin");
    let bytes: Vec<u8> = (0..65536u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(&garbage, bytes).expect("write");
    let nomail = dir.path().join("nomail");
    std::fs::create_dir(&nomail).expect("mkdir");
    let out = bin()
        .args(["scan", "--json"])
        .arg(dir.path().join("does-not-exist.eml"))
        .arg(&empty)
        .arg(&garbage)
        .arg(&nomail)
        .arg(example("genuine-amazon-order.eml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("does-not-exist.eml"));
    assert!(stderr.contains("empty file"));
    assert!(stderr.contains("no mail found"));
    let rs = json_lines(&out);
    // the genuine mail after the bad inputs was still analysed
    assert!(rs.iter().any(|r| r["verdict"] == "legitimate"));
    assert!(rs.iter().filter(|r| r.get("error").is_some()).count() >= 3);
}

#[test]
fn malformed_mime_and_unknown_charsets_get_a_result() {
    let raw = b"From: x@y.example\r\nSubject: =?x-unknown-charset?B?AAAA?=\r\nContent-Type: multipart/mixed; boundary=\"never\"\r\n\r\n--never\r\nContent-Type: text/plain; charset=klingon\r\n\r\ntruncated part";
    let out = run_with_stdin(&["scan", "--json", "-"], raw);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json_lines(&out)[0]["source"], "-");
}

#[test]
fn stdin_sms_with_sender_flag() {
    let out = run_with_stdin(
        &["scan", "--json", "--sms", "--sender", "Amazon", "-"],
        "【Amazon】お支払い方法に問題があります。https://bit.ly/3abcd で更新してください"
            .as_bytes(),
    );
    let r = &json_lines(&out)[0];
    assert_eq!(r["kind"], "sms");
    assert_eq!(r["brand"], "amazon");
    assert_ne!(r["verdict"], "legitimate");
}

#[test]
fn locale_sets_the_language() {
    let out = bin()
        .env("LANG", "en_US.UTF-8")
        .args(["scan", "--json"])
        .arg(example("fake-prime-suspension.eml"))
        .output()
        .expect("runs");
    assert_eq!(json_lines(&out)[0]["lang"], "en");
}

#[test]
fn brands_check_validates_and_names_the_field() {
    let out = bin()
        .args(["brands", "--check", "--dir"])
        .arg(repo().join("brands"))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.toml"),
        "id = \"bad\"\nname = { ja = \"x\", en = \"x\" }\naliases = { ja = [\"エックス\"], en = [\"xbrand\"] }\ndomains = { sender = [\"not a domain\"] }\nhelp = { account_check = { ja = \"a\", en = \"a\" } }\n",
    )
    .expect("write");
    let out = bin()
        .args(["brands", "--check", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("domains.sender"),
        "{stderr}"
    );
}

/// Every parser fixture in the shared corpus (Japanese charsets, broken MIME, mobile
/// carriers' mail) is read without panic or error.
#[test]
fn corpus_fixtures_parse_without_errors() {
    let corpus = repo().join("../shared/corpus");
    if !corpus.join("dev-mail.tar.xz").exists() {
        // without the shared corpus (a bare checkout) there is nothing to test against;
        // CI always has it, and its accuracy gate fails loudly without it
        eprintln!("shared corpus not found at {}", corpus.display());
        return;
    }
    let labels = std::fs::read_to_string(corpus.join("labels.tsv")).expect("labels");
    let mut lines = labels.lines();
    let mut fixtures = vec![lines.next().expect("header").to_string()];
    fixtures.extend(
        lines
            .filter(|l| l.split('\t').nth(2) == Some("fixture"))
            .map(str::to_string),
    );
    assert!(
        fixtures.len() > 100,
        "expected the parser fixtures in labels.tsv"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let tsv = dir.path().join("fixtures.tsv");
    std::fs::write(&tsv, fixtures.join("\n")).expect("write");
    let out = bin()
        .args(["eval", "--json", "--labels"])
        .arg(&tsv)
        .arg("--archive")
        .arg(corpus.join("dev-mail.tar.xz"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON summary");
    assert_eq!(summary["errors"], 0, "{stderr}");
    assert_eq!(summary["missing"], 0);
    assert_eq!(summary["messages"], fixtures.len() - 1);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn trusted_authentication_results_and_dns() {
    let mail = concat!(
        "Authentication-Results: mx.example.jp; dkim=none; spf=fail smtp.mailfrom=evil.example; dmarc=fail header.from=amazon.co.jp\r\n",
        "From: \"Amazon.co.jp\" <account-update@amazon.co.jp>\r\n",
        "Subject: Amazon: payment\r\n\r\n",
        "Your payment failed. https://www.amazon.co.jp/gp/primecentral\r\n"
    );
    let ids = |out: &Output| -> Vec<String> {
        json_lines(out)[0]["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    // not trusted: the header is ignored
    let out = run_with_stdin(&["scan", "--json", "-"], mail.as_bytes());
    assert!(!ids(&out).contains(&"official_sender_auth_fail".to_string()));
    // trusted by flag
    let out = run_with_stdin(
        &[
            "scan",
            "--json",
            "--trust-authserv-id",
            "MX.example.jp",
            "-",
        ],
        mail.as_bytes(),
    );
    let fired = ids(&out);
    assert!(
        fired.contains(&"official_sender_auth_fail".to_string()),
        "{fired:?}"
    );
    assert!(fired.contains(&"sender_auth_results".to_string()));
    assert_eq!(out.status.code(), Some(1));
    // trusted by the [auth] table of a configuration file (the milter's format)
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("pg.toml");
    std::fs::write(
        &cfg,
        "[faults]\ntimeout_ms = 5000\n[auth]\ntrusted_authserv_ids = [\"mx.example.jp\"]\n",
    )
    .unwrap();
    let out = run_with_stdin(
        &["scan", "--json", "--config", cfg.to_str().unwrap(), "-"],
        mail.as_bytes(),
    );
    assert!(ids(&out).contains(&"official_sender_auth_fail".to_string()));
    // --dns against a name server that never answers: temperror, a verdict all the same
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    std::fs::write(
        &cfg,
        format!(
            "[auth]\nnameservers = [\"{}\"]\ndns_timeout_ms = 200\ntimeout_ms = 1000\n",
            sock.local_addr().unwrap()
        ),
    )
    .unwrap();
    let out = run_with_stdin(
        &[
            "scan",
            "--json",
            "--dns",
            "--config",
            cfg.to_str().unwrap(),
            "-",
        ],
        mail.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = &json_lines(&out)[0];
    let shown = report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "sender_auth_results")
        .expect("results shown");
    let texts: Vec<&str> = shown["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.starts_with("dmarc=temperror")),
        "{texts:?}"
    );
    assert_eq!(shown["evidence"][0]["location"], "dns");
    // a bad configuration file is a clear error
    std::fs::write(&cfg, "[auth]\nnameservers = [\"nope\"]\n").unwrap();
    let out = run_with_stdin(
        &["scan", "--dns", "--config", cfg.to_str().unwrap(), "-"],
        mail.as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
}
