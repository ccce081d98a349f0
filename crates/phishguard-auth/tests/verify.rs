//! Live verification against test resolvers: DKIM keys and DMARC/SPF records are served
//! by a small DNS server on loopback (NXDOMAIN for anything else) or published in the
//! verifier's record cache (mail-auth's resolver cache, preloaded); a loopback socket
//! that never answers stands for a DNS time-out. Messages are signed here with a
//! generated Ed25519 key.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use mail_auth::common::crypto::Ed25519Key;
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::DkimSigner;
use mail_auth::dkim::generate::DkimKeyPair;
use phishguard::auth::{Method, Outcome};
use phishguard::{Analyzer, Verdict};
use phishguard_auth::{DnsSettings, Envelope, Verifier, envelope_from_headers};
use std::net::UdpSocket;
use std::time::{Duration, Instant};

/// A DNS server on loopback that never answers (queries time out).
fn silent_dns() -> (UdpSocket, DnsSettings) {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let settings = DnsSettings {
        nameservers: vec![sock.local_addr().unwrap()],
        query_timeout: Duration::from_millis(200),
        attempts: 1,
        total_timeout: Duration::from_secs(4),
        host_name: "mx.example.jp".into(),
    };
    (sock, settings)
}

/// A DNS server on loopback serving `records` (TXT) and NXDOMAIN for anything else.
fn test_dns(records: Vec<(String, String)>) -> DnsSettings {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1500];
        while let Ok((n, peer)) = sock.recv_from(&mut buf) {
            if let Some(reply) = answer(&buf[..n], &records) {
                let _ = sock.send_to(&reply, peer);
            }
        }
    });
    DnsSettings {
        nameservers: vec![addr],
        query_timeout: Duration::from_millis(500),
        attempts: 1,
        total_timeout: Duration::from_secs(4),
        host_name: "mx.example.jp".into(),
    }
}

/// The reply to one DNS query: TXT answers for a known name, else NXDOMAIN.
fn answer(q: &[u8], records: &[(String, String)]) -> Option<Vec<u8>> {
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let len = *q.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(i..i + len)?).to_ascii_lowercase());
        i += len;
    }
    let qtype = u16::from_be_bytes([*q.get(i)?, *q.get(i + 1)?]);
    let question = q.get(12..i + 4)?;
    let name = labels.join(".");
    let txts: Vec<&String> = records
        .iter()
        .filter(|(n, _)| qtype == 16 && n.eq_ignore_ascii_case(&name))
        .map(|(_, t)| t)
        .collect();
    let rcode: u8 = if txts.is_empty() { 3 } else { 0 };
    let mut out = vec![q[0], q[1], 0x81 | (q[2] & 0x01), 0x80 | rcode];
    out.extend_from_slice(&[0, 1, 0, txts.len() as u8, 0, 0, 0, 0]);
    out.extend_from_slice(question);
    for t in txts {
        let mut rdata = Vec::new();
        for chunk in t.as_bytes().chunks(255) {
            rdata.push(chunk.len() as u8);
            rdata.extend_from_slice(chunk);
        }
        out.extend_from_slice(&[0xc0, 0x0c, 0, 16, 0, 1, 0, 0, 1, 44]);
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    }
    Some(out)
}

fn rec(name: &str, txt: &str) -> (String, String) {
    (name.to_string(), txt.to_string())
}

struct Key {
    pkcs8: Vec<u8>,
    record: String,
}

fn key() -> Key {
    let pair = DkimKeyPair::generate_ed25519().unwrap();
    Key {
        record: format!("v=DKIM1; k=ed25519; p={}", pair.encoded_public_key()),
        pkcs8: pair.private_key().to_vec(),
    }
}

fn sign(key: &Key, domain: &str, message: &str) -> String {
    let pk = Ed25519Key::from_pkcs8_der(&key.pkcs8).unwrap();
    let sig = DkimSigner::from_key(pk)
        .domain(domain)
        .selector("pg")
        .headers(["From", "To", "Subject", "Date"])
        .sign(message.as_bytes())
        .unwrap();
    format!("{}{message}", sig.to_header())
}

const NOTICE: &str = concat!(
    "From: \"Amazon.co.jp\" <account-update@amazon.co.jp>\r\n",
    "To: user@example.jp\r\n",
    "Subject: =?UTF-8?B?QW1hem9u44OX44Op44Kk44OgOiDjgYrmlK/miZXjgYTmlrnms5U=?=\r\n",
    "Date: Mon, 1 Jan 2024 00:00:00 +0900\r\n",
    "MIME-Version: 1.0\r\n",
    "Content-Type: text/plain; charset=UTF-8\r\n",
    "\r\n",
    "カードの有効期限が切れているため、プライム会費のお支払いに失敗しました。",
    "アカウントサービスからお支払い方法を更新してください。https://www.amazon.co.jp/gp/primecentral\r\n",
);

fn result(r: &phishguard::auth::AuthResults, m: Method) -> Outcome {
    r.of(m)
        .next()
        .unwrap_or_else(|| panic!("no {m:?} in {r:?}"))
        .result
        .clone()
}

fn fired(r: &phishguard::Report, id: &str) -> bool {
    r.reasons.iter().any(|x| x.id == id)
}

fn analyzer() -> Analyzer {
    Analyzer::new().unwrap()
}

#[tokio::test]
async fn signed_by_the_official_domain_passes() {
    // the key preloaded into the resolver cache, the DMARC record served over DNS
    let v = Verifier::new(test_dns(vec![rec(
        "_dmarc.amazon.co.jp",
        "v=DMARC1; p=reject",
    )]))
    .unwrap();
    let k = key();
    v.cache()
        .publish("pg._domainkey.amazon.co.jp", &k.record)
        .unwrap();
    let raw = sign(&k, "amazon.co.jp", NOTICE);
    let auth = v.verify(raw.as_bytes(), &Envelope::default()).await;
    assert_eq!(result(&auth, Method::Dkim), Outcome::Pass, "{auth:?}");
    assert_eq!(result(&auth, Method::Dmarc), Outcome::Pass, "{auth:?}");
    assert!(auth.of(Method::Spf).next().is_none(), "no IP, no SPF");
    let dkim = auth.of(Method::Dkim).next().unwrap();
    assert_eq!(dkim.domain.as_deref(), Some("amazon.co.jp"));
    assert_eq!(dkim.text, "dkim=pass header.d=amazon.co.jp header.s=pg");

    let report = analyzer()
        .analyze_mail_with_auth(raw.as_bytes(), "t", None, Some(&auth))
        .unwrap();
    assert!(
        fired(&report, "official_sender_authenticated"),
        "{:?}",
        report.reasons
    );
    assert_eq!(report.verdict, Verdict::Legitimate);
    let shown = report
        .reasons
        .iter()
        .find(|r| r.id == "sender_auth_results")
        .unwrap();
    assert!(shown.evidence.iter().all(|e| e.location == "dns"));
}

#[tokio::test]
async fn tampered_or_foreign_signatures_fail() {
    let k = key();
    let v = Verifier::new(test_dns(vec![
        rec("pg._domainkey.amazon.co.jp", &k.record),
        rec("pg._domainkey.bulk-mailer.example", &k.record),
        rec("_dmarc.amazon.co.jp", "v=DMARC1; p=reject"),
    ]))
    .unwrap();

    // the body changed after signing
    let raw = sign(&k, "amazon.co.jp", NOTICE).replace(
        "https://www.amazon.co.jp/gp/primecentral",
        "https://amazon-prime-renew.example/",
    );
    let auth = v.verify(raw.as_bytes(), &Envelope::default()).await;
    // a body hash mismatch is `neutral` in mail-auth (RFC 6376 leaves it open)
    assert!(
        matches!(
            result(&auth, Method::Dkim),
            Outcome::Fail | Outcome::Neutral
        ),
        "{auth:?}"
    );
    assert_eq!(result(&auth, Method::Dmarc), Outcome::Fail, "{auth:?}");
    let report = analyzer()
        .analyze_mail_with_auth(raw.as_bytes(), "t", None, Some(&auth))
        .unwrap();
    assert!(
        fired(&report, "official_sender_auth_fail"),
        "{:?}",
        report.reasons
    );
    assert_eq!(report.verdict, Verdict::Phishing, "{:?}", report.reasons);

    // a valid signature, but of another domain: From is not authenticated
    let raw = sign(&k, "bulk-mailer.example", NOTICE);
    let auth = v.verify(raw.as_bytes(), &Envelope::default()).await;
    assert_eq!(result(&auth, Method::Dkim), Outcome::Pass, "{auth:?}");
    assert_eq!(result(&auth, Method::Dmarc), Outcome::Fail, "{auth:?}");
    let report = analyzer()
        .analyze_mail_with_auth(raw.as_bytes(), "t", None, Some(&auth))
        .unwrap();
    assert!(fired(&report, "official_sender_auth_fail"));
    assert!(!fired(&report, "official_sender_authenticated"));

    // not signed at all
    let auth = v.verify(NOTICE.as_bytes(), &Envelope::default()).await;
    assert_eq!(result(&auth, Method::Dkim), Outcome::None, "{auth:?}");
    let report = analyzer()
        .analyze_mail_with_auth(NOTICE.as_bytes(), "t", None, Some(&auth))
        .unwrap();
    assert!(fired(&report, "official_sender_auth_fail"));
}

#[tokio::test]
async fn spf_with_an_envelope() {
    let v = Verifier::new(test_dns(vec![
        rec("bounces.amazon.co.jp", "v=spf1 ip4:192.0.2.0/24 -all"),
        rec("out.amazon.co.jp", "v=spf1 ip4:192.0.2.0/24 -all"),
        rec("_dmarc.amazon.co.jp", "v=DMARC1; p=reject"),
    ]))
    .unwrap();
    let env = |ip: &str| Envelope {
        ip: Some(ip.parse().unwrap()),
        helo: Some("out.amazon.co.jp".into()),
        mail_from: Some("b@bounces.amazon.co.jp".into()),
    };
    let auth = v.verify(NOTICE.as_bytes(), &env("192.0.2.5")).await;
    assert_eq!(result(&auth, Method::Spf), Outcome::Pass, "{auth:?}");
    assert_eq!(
        auth.of(Method::Spf).next().unwrap().text,
        "spf=pass smtp.mailfrom=bounces.amazon.co.jp"
    );
    // SPF aligned (relaxed): DMARC passes without DKIM
    assert_eq!(result(&auth, Method::Dmarc), Outcome::Pass, "{auth:?}");
    let auth = v.verify(NOTICE.as_bytes(), &env("198.51.100.1")).await;
    assert_eq!(result(&auth, Method::Spf), Outcome::Fail, "{auth:?}");
    assert_eq!(result(&auth, Method::Dmarc), Outcome::Fail, "{auth:?}");
}

#[tokio::test]
async fn dns_time_outs_are_temperror_not_evidence() {
    let (_dns, mut settings) = silent_dns();
    let k = key();
    let raw = sign(&k, "amazon.co.jp", NOTICE);
    let v = Verifier::new(settings.clone()).unwrap();
    let started = Instant::now();
    let auth = v
        .verify(
            raw.as_bytes(),
            &Envelope {
                ip: Some("192.0.2.5".parse().unwrap()),
                helo: Some("out.amazon.co.jp".into()),
                mail_from: Some("b@bounces.amazon.co.jp".into()),
            },
        )
        .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(result(&auth, Method::Dkim), Outcome::TempError, "{auth:?}");
    assert_eq!(result(&auth, Method::Spf), Outcome::TempError, "{auth:?}");
    assert!(auth.has_temperror());
    let report = analyzer()
        .analyze_mail_with_auth(raw.as_bytes(), "t", None, Some(&auth))
        .unwrap();
    assert!(!fired(&report, "official_sender_auth_fail"));
    assert_eq!(report.verdict, Verdict::Legitimate, "{:?}", report.reasons);

    // the total limit cuts a slow verification short: everything temperror
    settings.query_timeout = Duration::from_secs(3);
    settings.total_timeout = Duration::from_millis(300);
    let v = Verifier::new(settings).unwrap();
    let started = Instant::now();
    let auth = v.verify(raw.as_bytes(), &Envelope::default()).await;
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(result(&auth, Method::Dkim), Outcome::TempError);
    assert_eq!(result(&auth, Method::Dmarc), Outcome::TempError);
    assert!(auth.results.iter().all(|r| r.result == Outcome::TempError));
}

#[tokio::test]
async fn not_a_message_is_no_results() {
    let v = Verifier::new(test_dns(Vec::new())).unwrap();
    let auth = v.verify(b"", &Envelope::default()).await;
    assert!(auth.results.is_empty());
}

#[test]
fn envelope_of_a_saved_message() {
    let raw = concat!(
        "Received: from relay.example.net (relay.example.net [203.0.113.9]) by mail.example.jp; Mon, 1 Jan 2024\r\n",
        "Received: from out.amazon.co.jp (out.amazon.co.jp [192.0.2.5]) by mx.example.jp (Postfix); Mon, 1 Jan 2024\r\n",
        "Return-Path: <b@bounces.amazon.co.jp>\r\n",
        "From: a@amazon.co.jp\r\nSubject: x\r\n\r\nx\r\n"
    );
    let env = envelope_from_headers(raw.as_bytes(), &["mx.example.jp".into()]);
    assert_eq!(env.ip, Some("192.0.2.5".parse().unwrap()));
    assert_eq!(env.helo.as_deref(), Some("out.amazon.co.jp"));
    assert_eq!(env.mail_from.as_deref(), Some("b@bounces.amazon.co.jp"));
    let env = envelope_from_headers(raw.as_bytes(), &[]);
    assert_eq!(env.ip, None);
}
