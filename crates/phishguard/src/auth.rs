//! Sender authentication results (SPF, DKIM, DMARC, ARC): the model the checks read, and
//! a parser for `Authentication-Results` (RFC 8601) and `ARC-Authentication-Results`
//! (RFC 8617) header fields.
//!
//! Trust model: anyone can write an `Authentication-Results` header into a mail, so a
//! header is believed only when its authserv-id is one the user trusts (their own
//! receiving MTA, `--trust-authserv-id`), and of those only the topmost (the last one
//! added, which the trusted MTA added on receipt). Results verified live over DNS (the
//! `phishguard-auth` crate) come in through [`crate::Analyzer::analyze_mail_with_auth`]
//! and take the place of header results. A result that could not be reached
//! (`temperror`, a DNS failure) is never evidence either way.

use crate::domain::DomainInfo;
use serde::Serialize;
use std::net::IpAddr;

/// Where live results are said to come from in evidence.
pub const LIVE_LOCATION: &str = "dns";

/// At most this many authentication headers of a message are parsed.
pub const MAX_HEADERS: usize = 32;
/// At most this many results of one header are kept.
const MAX_RESULTS: usize = 32;
/// Longer result texts are cut (evidence stays readable).
const MAX_TEXT: usize = 300;

/// The authentication methods phishguard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Spf,
    Dkim,
    Dmarc,
    Arc,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Spf => "spf",
            Method::Dkim => "dkim",
            Method::Dmarc => "dmarc",
            Method::Arc => "arc",
        }
    }

    fn parse(s: &str) -> Option<Method> {
        // `dkim/1`: a method version
        let name = s.split('/').next().unwrap_or("").trim();
        match name.to_ascii_lowercase().as_str() {
            "spf" => Some(Method::Spf),
            "dkim" => Some(Method::Dkim),
            "dmarc" => Some(Method::Dmarc),
            "arc" => Some(Method::Arc),
            _ => None,
        }
    }
}

/// A result value (RFC 8601 section 2.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    SoftFail,
    Neutral,
    None,
    Policy,
    /// A temporary failure (DNS time-out): says nothing about the message.
    TempError,
    PermError,
    /// Anything else (`bestguesspass`, …), lower case.
    Other(String),
}

impl Outcome {
    pub fn parse(s: &str) -> Outcome {
        match s.trim().to_ascii_lowercase().as_str() {
            "pass" => Outcome::Pass,
            "fail" | "hardfail" => Outcome::Fail,
            "softfail" => Outcome::SoftFail,
            "neutral" => Outcome::Neutral,
            "none" => Outcome::None,
            "policy" => Outcome::Policy,
            "temperror" => Outcome::TempError,
            "permerror" => Outcome::PermError,
            other => Outcome::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::SoftFail => "softfail",
            Outcome::Neutral => "neutral",
            Outcome::None => "none",
            Outcome::Policy => "policy",
            Outcome::TempError => "temperror",
            Outcome::PermError => "permerror",
            Outcome::Other(s) => s,
        }
    }
}

/// One method's result about one identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodResult {
    pub method: Method,
    pub result: Outcome,
    /// The domain the result is about, lower case: DKIM `header.d` (or the domain of
    /// `header.i`), DMARC `header.from`, SPF `smtp.mailfrom` (its domain) or
    /// `smtp.helo`. None for ARC, or when the header names none.
    pub domain: Option<String>,
    /// Which property `domain` came from (`header.d`, `header.from`, `smtp.mailfrom`, …).
    pub property: Option<String>,
    /// DKIM selector (`header.s`), when given.
    pub selector: Option<String>,
    /// The result as written, comments left out: `dkim=pass header.d=example.jp`.
    pub text: String,
}

impl MethodResult {
    /// A result made by a verifier (not parsed from a header); `text` is composed.
    pub fn new(
        method: Method,
        result: Outcome,
        property: Option<&str>,
        domain: Option<&str>,
    ) -> MethodResult {
        let domain = domain.map(clean_domain).filter(|d| !d.is_empty());
        let mut text = format!("{}={}", method.as_str(), result.as_str());
        if let (Some(p), Some(d)) = (property, &domain) {
            text.push_str(&format!(" {p}={d}"));
        }
        MethodResult {
            method,
            result,
            domain,
            property: property.map(str::to_string),
            selector: None,
            text,
        }
    }

    /// The result is about `from`'s organisational domain (DMARC relaxed alignment).
    pub fn aligned_with(&self, from: &DomainInfo) -> bool {
        self.domain
            .as_deref()
            .and_then(DomainInfo::parse)
            .is_some_and(|d| d.registrable == from.registrable)
    }
}

/// The results one verifier reported for one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthResults {
    /// Who verified: the header's authserv-id (lower case; empty when the header names
    /// none), or the verifier's name for live results.
    pub authserv_id: String,
    /// Where the results are read from, as an evidence location:
    /// `header:Authentication-Results`, `header:ARC-Authentication-Results`, or
    /// [`LIVE_LOCATION`] for results verified live.
    pub location: String,
    /// The ARC instance (`i=`) of an `ARC-Authentication-Results` header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<u32>,
    pub results: Vec<MethodResult>,
}

/// What the authentication results say about the From domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromAuth<'a> {
    /// A DKIM signature of the From's organisational domain verified (or DMARC passed):
    /// the From domain really sent it.
    Authenticated(Vec<&'a MethodResult>),
    /// DMARC failed, or DKIM was checked and no aligned signature passed (nor aligned
    /// SPF): the From domain did not send it.
    Failed(Vec<&'a MethodResult>),
    /// Nothing was checked, or a check could not be completed (`temperror`).
    Unknown,
}

impl AuthResults {
    /// Live results, `verifier` naming who verified them.
    pub fn live(verifier: &str, results: Vec<MethodResult>) -> AuthResults {
        AuthResults {
            authserv_id: verifier.to_ascii_lowercase(),
            location: LIVE_LOCATION.to_string(),
            instance: None,
            results,
        }
    }

    /// The results of one method.
    pub fn of(&self, method: Method) -> impl Iterator<Item = &MethodResult> {
        self.results.iter().filter(move |r| r.method == method)
    }

    /// Is this header's authserv-id in `trusted` (case-insensitive)?
    pub fn is_trusted_by(&self, trusted: &[String]) -> bool {
        !self.authserv_id.is_empty()
            && trusted
                .iter()
                .any(|t| t.trim().eq_ignore_ascii_case(&self.authserv_id))
    }

    /// Some SPF, DKIM or DMARC check could not be completed.
    pub fn has_temperror(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.method != Method::Arc && r.result == Outcome::TempError)
    }

    /// What these results say about the From domain `from`.
    pub fn from_status(&self, from: &DomainInfo) -> FromAuth<'_> {
        if self.has_temperror() {
            return FromAuth::Unknown;
        }
        // DMARC results about another domain (a second From) are not about this one.
        let dmarc: Vec<&MethodResult> = self
            .of(Method::Dmarc)
            .filter(|r| r.domain.is_none() || r.aligned_with(from))
            .collect();
        if let Some(pass) = dmarc.iter().find(|r| r.result == Outcome::Pass) {
            return FromAuth::Authenticated(vec![*pass]);
        }
        // DMARC's own verdict (strict alignment, its policy) beats our reckoning
        if let Some(fail) = dmarc.iter().find(|r| r.result == Outcome::Fail) {
            let mut ev = vec![*fail];
            ev.extend(self.of(Method::Dkim).take(4));
            return FromAuth::Failed(ev);
        }
        let dkim_pass = self
            .of(Method::Dkim)
            .find(|r| r.result == Outcome::Pass && r.aligned_with(from));
        if let Some(pass) = dkim_pass {
            return FromAuth::Authenticated(vec![pass]);
        }
        let spf_pass = self
            .of(Method::Spf)
            .any(|r| r.result == Outcome::Pass && r.aligned_with(from));
        // No DMARC verdict: decide as DMARC would, if DKIM was checked at all.
        let dkim: Vec<&MethodResult> = self.of(Method::Dkim).take(4).collect();
        if dkim.is_empty() || spf_pass {
            return FromAuth::Unknown;
        }
        let mut ev = dkim;
        ev.extend(self.of(Method::Spf).take(2));
        FromAuth::Failed(ev)
    }

    /// The DKIM signature that authenticates `from`, if any (a pass aligned with it).
    pub fn aligned_dkim_pass(&self, from: &DomainInfo) -> Option<&MethodResult> {
        if self.has_temperror() {
            return None;
        }
        self.of(Method::Dkim)
            .find(|r| r.result == Outcome::Pass && r.aligned_with(from))
    }

    /// A one-line note for evidence: who verified, and where it was read.
    pub fn source_note(&self) -> String {
        if self.location == LIVE_LOCATION {
            format!("verified live by {} (DNS)", self.authserv_id)
        } else if self.authserv_id.is_empty() {
            "no authserv-id".to_string()
        } else {
            match self.instance {
                Some(i) => format!("authserv-id {} (ARC i={i})", self.authserv_id),
                None => format!("authserv-id {}", self.authserv_id),
            }
        }
    }
}

/// The trusted results among a message's parsed headers: the topmost
/// `Authentication-Results` with a trusted authserv-id, else the trusted
/// `ARC-Authentication-Results` with the highest instance.
pub fn pick_trusted<'a>(headers: &'a [AuthResults], trusted: &[String]) -> Option<&'a AuthResults> {
    if trusted.is_empty() {
        return None;
    }
    headers
        .iter()
        .find(|h| h.instance.is_none() && h.is_trusted_by(trusted))
        .or_else(|| {
            headers
                .iter()
                .filter(|h| h.instance.is_some() && h.is_trusted_by(trusted))
                .max_by_key(|h| h.instance)
        })
}

/// Parse an `Authentication-Results` value (or, with `arc` true, an
/// `ARC-Authentication-Results` value, which starts with `i=N;`). The value may be
/// folded. None when it is not a results header at all.
pub fn parse_header(value: &str, arc: bool) -> Option<AuthResults> {
    let cleaned = strip_comments(value);
    let mut segments = split_semicolons(&cleaned).into_iter();
    let mut instance = None;
    if arc {
        let first = tokens(segments.next()?);
        let pairs = pairs(&first);
        let (k, v) = pairs.first()?;
        if !k.eq_ignore_ascii_case("i") {
            return None;
        }
        instance = Some(v.parse::<u32>().ok()?);
    }
    let head = segments.next()?;
    let head_tokens = tokens(head);
    let mut results = Vec::new();
    // Microsoft writes no authserv-id: the first segment is already a result.
    let authserv_id = if head_tokens.iter().any(|t| matches!(t, Tok::Eq)) {
        if let Some(r) = parse_resinfo(head) {
            results.push(r);
        }
        String::new()
    } else {
        match head_tokens.first() {
            Some(Tok::Word(w)) => w.to_ascii_lowercase(),
            _ => return None,
        }
    };
    for seg in segments {
        if results.len() >= MAX_RESULTS {
            break;
        }
        if let Some(r) = parse_resinfo(seg) {
            results.push(r);
        }
    }
    Some(AuthResults {
        authserv_id,
        location: if arc {
            "header:ARC-Authentication-Results".to_string()
        } else {
            "header:Authentication-Results".to_string()
        },
        instance,
        results,
    })
}

/// One `method=result prop=value …` segment; None for methods phishguard does not read.
fn parse_resinfo(seg: &str) -> Option<MethodResult> {
    let toks = tokens(seg);
    let pairs = pairs(&toks);
    let (method, result) = pairs.first()?;
    let method = Method::parse(method)?;
    let mut r = MethodResult {
        method,
        result: Outcome::parse(result),
        domain: None,
        property: None,
        selector: None,
        text: clip(&seg.split_whitespace().collect::<Vec<_>>().join(" ")),
    };
    for (k, v) in pairs.iter().skip(1) {
        let k = k.to_ascii_lowercase();
        let value = v.as_str();
        let take_domain = match (method, k.as_str()) {
            (Method::Dkim, "header.d") | (Method::Dmarc, "header.from") => true,
            (Method::Dkim, "header.i") | (Method::Spf, "smtp.helo") => r.domain.is_none(),
            (Method::Spf, "smtp.mailfrom" | "smtp.mail") => true,
            (Method::Dkim, "header.s") => {
                r.selector = Some(value.to_string());
                false
            }
            _ => false,
        };
        if take_domain {
            let d = clean_domain(value.rsplit('@').next().unwrap_or(value));
            if !d.is_empty() && d != "none" {
                r.domain = Some(d);
                r.property = Some(k);
            }
        }
    }
    Some(r)
}

fn clean_domain(s: &str) -> String {
    s.trim()
        .trim_matches(['<', '>'])
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

fn clip(s: &str) -> String {
    if s.len() <= MAX_TEXT {
        return s.to_string();
    }
    let mut end = MAX_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", s.get(..end).unwrap_or(""))
}

/// Comments (`(…)`, nested, with `\` escapes) become a space; quoted strings are kept.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            escaped = false;
            if depth == 0 {
                out.push(c);
            }
            continue;
        }
        match c {
            '\\' if in_quote || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '"' if depth == 0 => {
                in_quote = !in_quote;
                out.push(c);
            }
            '(' if !in_quote => depth += 1,
            ')' if !in_quote && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(' ');
                }
            }
            '\r' | '\n' if depth == 0 => out.push(' '),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Split on `;` outside quoted strings.
fn split_semicolons(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quote => escaped = true,
            '"' => in_quote = !in_quote,
            ';' if !in_quote => {
                out.push(s.get(start..i).unwrap_or(""));
                start = i + 1;
            }
            _ => {}
        }
        if out.len() > MAX_RESULTS + 2 {
            return out;
        }
    }
    out.push(s.get(start..).unwrap_or(""));
    out.retain(|seg| !seg.trim().is_empty());
    out
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Eq,
}

fn tokens(seg: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = seg.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '=' {
            chars.next();
            out.push(Tok::Eq);
        } else if c == '"' {
            chars.next();
            let mut w = String::new();
            let mut escaped = false;
            for c in chars.by_ref() {
                if escaped {
                    w.push(c);
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    break;
                } else {
                    w.push(c);
                }
            }
            out.push(Tok::Word(w));
        } else {
            let mut w = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '=' || c == '"' {
                    break;
                }
                w.push(c);
                chars.next();
            }
            out.push(Tok::Word(w));
        }
    }
    out
}

/// `key = value` pairs; `=` right after a value (base64 padding) stays in the value.
fn pairs(toks: &[Tok]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if let (Some(Tok::Word(k)), Some(Tok::Eq)) = (toks.get(i), toks.get(i + 1)) {
            let mut v = match toks.get(i + 2) {
                Some(Tok::Word(v)) => {
                    i += 3;
                    v.clone()
                }
                _ => {
                    i += 2;
                    String::new()
                }
            };
            while let Some(Tok::Eq) = toks.get(i) {
                v.push('=');
                i += 1;
            }
            out.push((k.clone(), v));
        } else {
            i += 1;
        }
    }
    out
}

/// One hop of a `Received` header: `from HELO (… [IP]) by HOST`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedHop {
    /// The name the client gave in HELO/EHLO.
    pub helo: Option<String>,
    /// The client's IP address, as the receiving host recorded it.
    pub ip: Option<IpAddr>,
    /// The receiving host.
    pub by: Option<String>,
}

/// Parse a `Received` value (unfolded or folded) into its hop; fields it lacks are None.
pub fn parse_received(value: &str) -> ReceivedHop {
    let flat: Vec<&str> = value.split_whitespace().collect();
    let word_after = |kw: &str| {
        flat.iter()
            .position(|w| w.eq_ignore_ascii_case(kw))
            .and_then(|i| flat.get(i + 1))
            .map(|w| w.trim_matches(['(', ')', ';']).to_ascii_lowercase())
            .filter(|w| !w.is_empty())
    };
    let helo = word_after("from");
    let by = word_after("by");
    // the client IP: the first bracketed address before `by`
    let before_by = match value.to_ascii_lowercase().find(" by ") {
        Some(i) => value.get(..i).unwrap_or(value),
        None => value,
    };
    let ip = before_by.split('[').skip(1).find_map(|rest| {
        let inner = rest.split(']').next()?;
        let inner = inner.trim();
        let inner = inner.strip_prefix("IPv6:").unwrap_or(inner);
        inner.parse::<IpAddr>().ok()
    });
    ReceivedHop { helo, ip, by }
}

/// The hop at which a trusted host received the message: the topmost `Received` whose
/// `by` host is one of `trusted` (authserv-ids are usually the MTA's host name).
/// `received` is in header order (top first).
pub fn trusted_hop(received: &[String], trusted: &[String]) -> Option<ReceivedHop> {
    received.iter().map(|r| parse_received(r)).find(|h| {
        h.ip.is_some()
            && h.by
                .as_deref()
                .is_some_and(|by| trusted.iter().any(|t| t.trim().eq_ignore_ascii_case(by)))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn rfc8601_example() {
        let h = parse_header(
            "example.com; (comment) dkim=pass (good sig)\r\n header.d=Example.COM header.s=sel\r\n header.b=abc12+/==; spf=fail smtp.mailfrom=<bob@mail.example.net>; dmarc=fail (p=reject) header.from=example.com; iprev=pass policy.iprev=192.0.2.200; arc=none",
            false,
        )
        .unwrap();
        assert_eq!(h.authserv_id, "example.com");
        assert_eq!(h.results.len(), 4);
        let d = &h.results[0];
        assert_eq!(d.method, Method::Dkim);
        assert_eq!(d.result, Outcome::Pass);
        assert_eq!(d.domain.as_deref(), Some("example.com"));
        assert_eq!(d.selector.as_deref(), Some("sel"));
        assert_eq!(
            d.text,
            "dkim=pass header.d=Example.COM header.s=sel header.b=abc12+/=="
        );
        assert_eq!(h.results[1].domain.as_deref(), Some("mail.example.net"));
        assert_eq!(h.results[1].result, Outcome::Fail);
        assert_eq!(h.results[2].method, Method::Dmarc);
        assert_eq!(h.results[3].method, Method::Arc);
    }

    #[test]
    fn version_none_quotes_and_microsoft() {
        let h = parse_header("mx.example.jp 1; none", false).unwrap();
        assert_eq!(h.authserv_id, "mx.example.jp");
        assert!(h.results.is_empty());
        let h = parse_header(
            "mx.example.jp; dkim=pass header.i=\"@sub.example.jp\" header.b=\"x;y\"",
            false,
        )
        .unwrap();
        assert_eq!(h.results.len(), 1);
        assert_eq!(h.results[0].domain.as_deref(), Some("sub.example.jp"));
        let h = parse_header(
            "spf=pass (sender IP is 94.29.77.227)\r\n smtp.mailfrom=progtech.ru; dkim=none (message not signed)\r\n header.d=none;dmarc=bestguesspass action=none\r\n header.from=progtech.ru;compauth=pass reason=109",
            false,
        )
        .unwrap();
        assert_eq!(h.authserv_id, "");
        assert_eq!(h.results.len(), 3);
        assert_eq!(h.results[1].domain, None);
        assert_eq!(h.results[2].result, Outcome::Other("bestguesspass".into()));
        assert!(!h.is_trusted_by(&[String::new()]));
    }

    #[test]
    fn arc_header_and_trust_pick() {
        let a = parse_header("i=2; mx.example.jp; dkim=pass header.d=a.example", true).unwrap();
        assert_eq!(a.instance, Some(2));
        assert_eq!(a.authserv_id, "mx.example.jp");
        assert!(parse_header("mx.example.jp; dkim=pass", true).is_none());
        let top = parse_header("MX.Example.JP; dkim=fail header.d=b.example", false).unwrap();
        let below = parse_header("mx.example.jp; dkim=pass header.d=b.example", false).unwrap();
        let other = parse_header("evil.example; dkim=pass header.d=b.example", false).unwrap();
        let all = vec![other, top.clone(), below, a.clone()];
        let trusted = vec!["mx.example.jp".to_string()];
        assert_eq!(pick_trusted(&all, &trusted), Some(&top));
        assert_eq!(pick_trusted(&all, &[]), None);
        assert_eq!(pick_trusted(std::slice::from_ref(&a), &trusted), Some(&a));
    }

    #[test]
    fn from_status() {
        let from = DomainInfo::parse("mail.amazon.co.jp").unwrap();
        let st = |v: &str| {
            let h = parse_header(v, false).unwrap();
            match h.from_status(&from) {
                FromAuth::Authenticated(_) => "auth",
                FromAuth::Failed(_) => "failed",
                FromAuth::Unknown => "unknown",
            }
        };
        assert_eq!(st("m; dkim=pass header.d=amazon.co.jp"), "auth");
        assert_eq!(
            st("m; dkim=pass header.d=esp.example; spf=pass smtp.mailfrom=esp.example"),
            "failed"
        );
        assert_eq!(
            st("m; dkim=none; spf=pass smtp.mailfrom=bounce.amazon.co.jp"),
            "unknown"
        );
        assert_eq!(st("m; dmarc=fail header.from=amazon.co.jp"), "failed");
        assert_eq!(st("m; dmarc=pass header.from=amazon.co.jp"), "auth");
        assert_eq!(
            st("m; dkim=temperror header.d=amazon.co.jp; dmarc=fail"),
            "unknown"
        );
        assert_eq!(st("m; spf=pass smtp.mailfrom=x.example"), "unknown");
        assert_eq!(st("m; none"), "unknown");
    }

    #[test]
    fn received_hops() {
        let h = parse_received(
            "from mail.sender.example (mail.sender.example [192.0.2.7])\r\n\tby mx.example.jp (Postfix) with ESMTPS id 1; Mon, 1 Jan 2024",
        );
        assert_eq!(h.helo.as_deref(), Some("mail.sender.example"));
        assert_eq!(h.ip, Some("192.0.2.7".parse().unwrap()));
        assert_eq!(h.by.as_deref(), Some("mx.example.jp"));
        let h = parse_received("from x ([IPv6:2001:db8::1]) by mx.example.jp");
        assert_eq!(h.ip, Some("2001:db8::1".parse().unwrap()));
        let rs = vec![
            "from a (a [192.0.2.1]) by relay.example".to_string(),
            "from b (b [192.0.2.2]) by mx.example.jp".to_string(),
        ];
        let hop = trusted_hop(&rs, &["mx.example.jp".into()]).unwrap();
        assert_eq!(hop.ip, Some("192.0.2.2".parse().unwrap()));
        assert!(trusted_hop(&rs, &["other".into()]).is_none());
    }

    #[test]
    fn hostile_values_do_not_panic() {
        for v in [
            "",
            ";;;",
            "((((",
            "\"",
            "=;=;=",
            "a; dkim",
            "a; =pass",
            "i=x; a",
            "é; dkim=pass header.d=é",
        ] {
            let _ = parse_header(v, false);
            let _ = parse_header(v, true);
            let _ = parse_received(v);
        }
        let long = "a; ".to_string() + &"dkim=pass header.d=x.example; ".repeat(1000);
        assert!(parse_header(&long, false).unwrap().results.len() <= MAX_RESULTS);
    }
}
