//! Sender authentication in the pipeline: trusted and untrusted `Authentication-Results`
//! headers, live results passed in, and the checks that read them (fires / does not fire).
#![allow(clippy::expect_used, clippy::unwrap_used)]

use phishguard::auth::{AuthResults, Method, MethodResult, Outcome};
use phishguard::{Analyzer, Report, Verdict};
use std::sync::LazyLock;

const TRUSTED: &str = "mx.example.jp";

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| {
    let mut a = Analyzer::new().expect("built-in data loads");
    a.trusted_authserv_ids = vec![TRUSTED.to_string()];
    a
});
static UNTRUSTING: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new().expect("built-in data loads"));

fn mail(headers: &str, body: &str) -> String {
    format!(
        "{headers}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{body}\r\n"
    )
}

fn scan(a: &Analyzer, headers: &str, body: &str) -> Report {
    a.analyze_mail(mail(headers, body).as_bytes(), "test", None)
        .expect("parses")
}

fn fired(r: &Report, id: &str) -> bool {
    r.reasons.iter().any(|x| x.id == id)
}

fn reason<'a>(r: &'a Report, id: &str) -> &'a phishguard::report::Reason {
    r.reasons
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("{id} did not fire: {:?}", r.reasons))
}

const FROM_AMAZON: &str = "From: \"Amazon.co.jp\" <account-update@amazon.co.jp>\r\nSubject: Amazonプライム：お支払い方法を更新してください";
const NOTICE: &str = "カードの有効期限が切れているため、プライム会費のお支払いに失敗しました。アカウントサービスからお支払い方法を更新してください。https://www.amazon.co.jp/gp/primecentral";
const PASS_AR: &str = "Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.co.jp header.s=sel; spf=pass smtp.mailfrom=bounces.amazon.co.jp; dmarc=pass header.from=amazon.co.jp";
const FAIL_AR: &str = "Authentication-Results: mx.example.jp; dkim=none; spf=fail smtp.mailfrom=evil.example; dmarc=fail (p=reject) header.from=amazon.co.jp";

#[test]
fn official_sender_auth_fail_fires_on_trusted_dmarc_fail() {
    let r = scan(&ANALYZER, &format!("{FAIL_AR}\r\n{FROM_AMAZON}"), NOTICE);
    let found = reason(&r, "official_sender_auth_fail");
    assert_eq!(found.evidence[0].location, "header:From");
    let dmarc = found
        .evidence
        .iter()
        .find(|e| e.text.starts_with("dmarc=fail"))
        .expect("dmarc evidence");
    assert_eq!(dmarc.location, "header:Authentication-Results");
    assert_eq!(dmarc.text, "dmarc=fail header.from=amazon.co.jp");
    assert_eq!(dmarc.detail.as_deref(), Some("authserv-id mx.example.jp"));
    // a forged From is not "genuine official mail", whatever the links
    assert!(!fired(&r, "official_sender_official_links"));
    assert!(r.verdict >= Verdict::Suspicious, "{:?}", r.reasons);
    // the results are shown, with the header they came from
    let shown = reason(&r, "sender_auth_results");
    assert_eq!(shown.weight, 0.0);
    assert_eq!(shown.evidence.len(), 3);
    assert!(
        shown
            .evidence
            .iter()
            .all(|e| e.location == "header:Authentication-Results")
    );
}

#[test]
fn official_sender_auth_fail_fires_on_unaligned_dkim_without_dmarc() {
    // DKIM checked, only a mailing service's signature: the From's domain signed nothing
    let r = scan(
        &ANALYZER,
        &format!(
            "Authentication-Results: mx.example.jp; dkim=pass header.d=bulk-mailer.example; spf=pass smtp.mailfrom=bulk-mailer.example\r\n{FROM_AMAZON}"
        ),
        NOTICE,
    );
    assert!(fired(&r, "official_sender_auth_fail"), "{:?}", r.reasons);
}

#[test]
fn official_sender_auth_fail_does_not_fire() {
    // genuine: DMARC pass
    let r = scan(&ANALYZER, &format!("{PASS_AR}\r\n{FROM_AMAZON}"), NOTICE);
    assert!(!fired(&r, "official_sender_auth_fail"));
    // the same failing header from a host the user does not trust: ignored
    let untrusted = FAIL_AR.replace(TRUSTED, "mx.elsewhere.example");
    let r = scan(&ANALYZER, &format!("{untrusted}\r\n{FROM_AMAZON}"), NOTICE);
    assert!(!fired(&r, "official_sender_auth_fail"));
    assert!(!fired(&r, "sender_auth_results"));
    // no authserv-id trusted at all: headers say nothing
    let r = scan(&UNTRUSTING, &format!("{FAIL_AR}\r\n{FROM_AMAZON}"), NOTICE);
    assert!(!fired(&r, "official_sender_auth_fail"));
    assert!(!fired(&r, "sender_auth_results"));
    // a DNS failure is not evidence
    let r = scan(
        &ANALYZER,
        &format!(
            "Authentication-Results: mx.example.jp; dkim=temperror header.d=amazon.co.jp; dmarc=fail header.from=amazon.co.jp\r\n{FROM_AMAZON}"
        ),
        NOTICE,
    );
    assert!(!fired(&r, "official_sender_auth_fail"));
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    // nothing checked
    let r = scan(
        &ANALYZER,
        &format!("Authentication-Results: mx.example.jp; none\r\n{FROM_AMAZON}"),
        NOTICE,
    );
    assert!(!fired(&r, "official_sender_auth_fail"));
    // a From that is not a brand's official domain
    let r = scan(
        &ANALYZER,
        "Authentication-Results: mx.example.jp; dmarc=fail header.from=shop.example\r\nFrom: a@shop.example\r\nSubject: x",
        "x",
    );
    assert!(!fired(&r, "official_sender_auth_fail"));
}

#[test]
fn trusted_header_is_the_topmost_one() {
    // the sender wrote a passing header with the trusted id below the real one
    let r = scan(
        &ANALYZER,
        &format!("{FAIL_AR}\r\n{PASS_AR}\r\n{FROM_AMAZON}"),
        NOTICE,
    );
    assert!(fired(&r, "official_sender_auth_fail"));
    assert!(!fired(&r, "official_sender_authenticated"));
}

#[test]
fn official_sender_authenticated_fires() {
    let r = scan(&ANALYZER, &format!("{PASS_AR}\r\n{FROM_AMAZON}"), NOTICE);
    let found = reason(&r, "official_sender_authenticated");
    assert!(found.weight < 0.0);
    assert_eq!(found.evidence[1].location, "header:Authentication-Results");
    assert_eq!(
        found.evidence[1].text,
        "dkim=pass header.d=amazon.co.jp header.s=sel"
    );
    assert_eq!(r.verdict, Verdict::Legitimate);
    // with a mailing service's Return-Path: DKIM proves the From, the path is no evidence
    let r = scan(
        &ANALYZER,
        &format!("{PASS_AR}\r\n{FROM_AMAZON}\r\nReturn-Path: <b@bulk-mailer.example>"),
        NOTICE,
    );
    assert!(fired(&r, "official_sender_authenticated"));
    assert!(!fired(&r, "official_from_unaligned_path"));
}

#[test]
fn official_sender_authenticated_does_not_fire() {
    // a link elsewhere
    let r = scan(
        &ANALYZER,
        &format!("{PASS_AR}\r\n{FROM_AMAZON}"),
        "更新してください https://amazon-prime-renew.example/",
    );
    assert!(!fired(&r, "official_sender_authenticated"));
    // signed by someone else
    let r = scan(
        &ANALYZER,
        &format!(
            "Authentication-Results: mx.example.jp; dkim=pass header.d=bulk-mailer.example\r\n{FROM_AMAZON}"
        ),
        NOTICE,
    );
    assert!(!fired(&r, "official_sender_authenticated"));
    // untrusted verifier
    let r = scan(
        &ANALYZER,
        &format!(
            "{}\r\n{FROM_AMAZON}",
            PASS_AR.replace(TRUSTED, "mx.elsewhere.example")
        ),
        NOTICE,
    );
    assert!(!fired(&r, "official_sender_authenticated"));
    // DKIM passes but DMARC (for the same domain) fails: believe neither
    let r = scan(
        &ANALYZER,
        &format!(
            "Authentication-Results: mx.example.jp; dkim=pass header.d=amazon.co.jp; dmarc=fail header.from=amazon.co.jp\r\n{FROM_AMAZON}"
        ),
        NOTICE,
    );
    assert!(!fired(&r, "official_sender_authenticated"));
}

#[test]
fn forged_authentication_results_are_evidence() {
    let forged = "Authentication-Results: mx.amazon-verify.example; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp";
    let r = scan(
        &ANALYZER,
        &format!("{FAIL_AR}\r\n{forged}\r\n{FROM_AMAZON}"),
        NOTICE,
    );
    let found = reason(&r, "auth_results_forged");
    assert_eq!(found.evidence.len(), 2);
    assert_eq!(found.evidence[0].text, "dkim=pass header.d=amazon.co.jp");
    assert!(
        found.evidence[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("mx.amazon-verify.example")
    );
    assert_eq!(r.verdict, Verdict::Phishing, "{:?}", r.reasons);
    // the same header with a genuine trusted result: a relay's honest stamp, no evidence
    let r = scan(
        &ANALYZER,
        &format!("{PASS_AR}\r\n{forged}\r\n{FROM_AMAZON}"),
        NOTICE,
    );
    assert!(!fired(&r, "auth_results_forged"));
    // with nothing trusted, nothing can be called forged
    let r = scan(&UNTRUSTING, &format!("{forged}\r\n{FROM_AMAZON}"), NOTICE);
    assert!(!fired(&r, "auth_results_forged"));
}

#[test]
fn arc_authentication_results_from_trusted_host() {
    let r = scan(
        &ANALYZER,
        &format!(
            "ARC-Authentication-Results: i=1; mx.example.jp; dkim=pass header.d=amazon.co.jp; dmarc=pass header.from=amazon.co.jp\r\n{FROM_AMAZON}"
        ),
        NOTICE,
    );
    let found = reason(&r, "official_sender_authenticated");
    assert_eq!(
        found.evidence[1].location,
        "header:ARC-Authentication-Results"
    );
    assert_eq!(
        found.evidence[1].detail.as_deref(),
        Some("authserv-id mx.example.jp (ARC i=1)")
    );
}

#[test]
fn live_results_take_the_place_of_headers() {
    // the header (trusted) says pass, the live check says DMARC fails: live wins
    let live = AuthResults::live(
        "phishguard",
        vec![
            MethodResult::new(Method::Dkim, Outcome::None, None, None),
            MethodResult::new(
                Method::Dmarc,
                Outcome::Fail,
                Some("header.from"),
                Some("amazon.co.jp"),
            ),
        ],
    );
    let raw = mail(&format!("{PASS_AR}\r\n{FROM_AMAZON}"), NOTICE);
    let r = ANALYZER
        .analyze_mail_with_auth(raw.as_bytes(), "t", None, Some(&live))
        .unwrap();
    let found = reason(&r, "official_sender_auth_fail");
    let ev = found
        .evidence
        .iter()
        .find(|e| e.text.starts_with("dmarc"))
        .unwrap();
    assert_eq!(ev.location, "dns");
    assert_eq!(ev.text, "dmarc=fail header.from=amazon.co.jp");
    assert_eq!(
        ev.detail.as_deref(),
        Some("verified live by phishguard (DNS)")
    );
    // the trusted header now contradicts nothing the sender wrote: it is trusted
    assert!(!fired(&r, "auth_results_forged"));
    // live temperror: no evidence, no crash, the verdict rests on the rest
    let live = AuthResults::live(
        "phishguard",
        vec![
            MethodResult::new(Method::Dkim, Outcome::TempError, None, None),
            MethodResult::new(Method::Dmarc, Outcome::TempError, None, None),
        ],
    );
    let r = ANALYZER
        .analyze_mail_with_auth(mail(FROM_AMAZON, NOTICE).as_bytes(), "t", None, Some(&live))
        .unwrap();
    assert!(!fired(&r, "official_sender_auth_fail"));
    assert_eq!(r.verdict, Verdict::Legitimate, "{:?}", r.reasons);
    assert!(fired(&r, "sender_auth_results"));
}

#[test]
fn authenticated_official_sender_may_link_through_a_mailing_service() {
    let tracked = "お支払い方法を更新してください。https://click.mailing-service.example/c/abc123";
    // the brand's verified signature: its click tracking is its own business
    let r = scan(&ANALYZER, &format!("{PASS_AR}\r\n{FROM_AMAZON}"), tracked);
    assert!(!fired(&r, "link_off_brand"), "{:?}", r.reasons);
    // the same From without trusted results may be forged: the link is held to the brand
    let r = scan(&UNTRUSTING, &format!("{PASS_AR}\r\n{FROM_AMAZON}"), tracked);
    assert!(fired(&r, "link_off_brand"), "{:?}", r.reasons);
    let r = scan(&ANALYZER, &format!("{FAIL_AR}\r\n{FROM_AMAZON}"), tracked);
    assert!(fired(&r, "link_off_brand"), "{:?}", r.reasons);
}
