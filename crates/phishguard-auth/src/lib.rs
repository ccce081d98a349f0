//! Live sender authentication for phishguard: SPF, DKIM, DMARC and ARC verified over DNS
//! with the `mail-auth` crate, mapped into [`phishguard::auth::AuthResults`] for
//! [`phishguard::Analyzer::analyze_mail_with_auth`].
//!
//! DNS is bounded: every query has a time-out and a number of attempts, and the whole
//! verification of one message a total time limit. A DNS failure (time-out, server
//! failure) is `temperror`, which the checks never count as evidence: it can neither
//! crash the caller nor make a phishing verdict by itself.
//!
//! SPF needs the connecting IP (the milter has it). For a saved message (`scan --dns`)
//! [`envelope_from_headers`] takes the IP and HELO from the `Received` header written by a
//! trusted host, if any; otherwise SPF is not checked and DMARC rests on DKIM alone.
#![forbid(unsafe_code)]

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::common::verify::DomainKey;
use mail_auth::dmarc::Dmarc;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::spf::Spf;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimResult, DmarcResult, MessageAuthenticator, Parameters, ResolverCache,
    SpfOutput, SpfResult, Txt,
};
use phishguard::auth::{AuthResults, Method, MethodResult, Outcome};
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The name live results carry as their verifier.
pub const VERIFIER: &str = "phishguard";

/// How to reach DNS.
#[derive(Debug, Clone)]
pub struct DnsSettings {
    /// Name servers (`IP:port`); empty: the system's (`/etc/resolv.conf`).
    pub nameservers: Vec<SocketAddr>,
    /// Time-out of one DNS query.
    pub query_timeout: Duration,
    /// Tries of one query before it is a `temperror`.
    pub attempts: usize,
    /// Time for the whole verification of one message; past it every result is
    /// `temperror`.
    pub total_timeout: Duration,
    /// The verifying host's name (the SPF `r` macro).
    pub host_name: String,
}

impl Default for DnsSettings {
    fn default() -> Self {
        DnsSettings {
            nameservers: Vec::new(),
            query_timeout: Duration::from_secs(2),
            attempts: 2,
            total_timeout: Duration::from_secs(5),
            host_name: "localhost".to_string(),
        }
    }
}

/// The `[auth]` table of a configuration file (the milter's, or `scan --config`).
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// authserv-ids whose `Authentication-Results` headers are believed (your own
    /// receiving MTA's); headers from anyone else are ignored.
    pub trusted_authserv_ids: Vec<String>,
    /// Verify live over DNS. Unset: on in the milter, off in `scan` (which has `--dns`).
    pub dns: Option<bool>,
    /// Name servers, `IP` or `IP:port`; empty: the system's.
    pub nameservers: Vec<String>,
    /// Time-out of one DNS query, in milliseconds.
    pub dns_timeout_ms: u64,
    /// Time for verifying one message, in milliseconds; past it results are `temperror`.
    pub timeout_ms: u64,
    /// This host's name, for SPF (`r` macro).
    pub host_name: String,
}

impl Default for AuthConfig {
    fn default() -> Self {
        let d = DnsSettings::default();
        AuthConfig {
            trusted_authserv_ids: Vec::new(),
            dns: None,
            nameservers: Vec::new(),
            dns_timeout_ms: d.query_timeout.as_millis() as u64,
            timeout_ms: d.total_timeout.as_millis() as u64,
            host_name: d.host_name,
        }
    }
}

impl AuthConfig {
    /// The DNS settings this configuration asks for.
    pub fn dns_settings(&self) -> Result<DnsSettings, String> {
        let nameservers = self
            .nameservers
            .iter()
            .map(|s| {
                s.parse::<SocketAddr>()
                    .or_else(|_| s.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
                    .map_err(|_| format!("bad name server {s:?} (use an IP or IP:port)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(DnsSettings {
            nameservers,
            query_timeout: Duration::from_millis(self.dns_timeout_ms.max(1)),
            attempts: 2,
            total_timeout: Duration::from_millis(self.timeout_ms.max(1)),
            host_name: self.host_name.clone(),
        })
    }
}

/// Why a verifier could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("DNS resolver: {0}")]
    Resolver(String),
}

/// What the SMTP session saw; all optional (a saved message has none of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// The connecting client's IP address.
    pub ip: Option<IpAddr>,
    /// The HELO/EHLO name.
    pub helo: Option<String>,
    /// The MAIL FROM address (without `<>`; empty for the null sender).
    pub mail_from: Option<String>,
}

/// The envelope of a saved message, from the topmost `Received` header written by one
/// of the `trusted` hosts, and its `Return-Path`. No IP when no trusted hop is found.
pub fn envelope_from_headers(raw: &[u8], trusted: &[String]) -> Envelope {
    let limits = phishguard::Limits::default();
    let Ok(msg) = phishguard::message::parse_mail(raw, &limits) else {
        return Envelope::default();
    };
    let hop = phishguard::auth::trusted_hop(&msg.received, trusted);
    Envelope {
        ip: hop.as_ref().and_then(|h| h.ip),
        helo: hop.and_then(|h| h.helo),
        mail_from: msg.return_path.and_then(|p| p.address),
    }
}

/// A small TXT record cache (DKIM keys, DMARC and SPF records) shared by all messages,
/// with the records' own expiry. It can be preloaded ([`TxtCache::publish`]): that is
/// how the tests serve keys without a DNS server.
#[derive(Default)]
pub struct TxtCache {
    map: Mutex<Records>,
}

/// Records by name, with their expiry (None: published, never expires).
type Records = HashMap<Box<str>, (Txt, Option<Instant>)>;

const CACHE_MAX: usize = 10_000;

impl TxtCache {
    /// Publish `record` (the TXT text) at `name`: a DKIM key under `._domainkey.`, a
    /// DMARC record under `_dmarc.`, an SPF record elsewhere. It never expires.
    pub fn publish(&self, name: &str, record: &str) -> Result<(), String> {
        let bytes = record.as_bytes();
        let txt: Txt = if name.contains("._domainkey.") {
            DomainKey::parse(bytes).map_err(|e| e.to_string())?.into()
        } else if name.starts_with("_dmarc.") {
            Dmarc::parse(bytes).map_err(|e| e.to_string())?.into()
        } else {
            Spf::parse(bytes).map_err(|e| e.to_string())?.into()
        };
        let mut key = name.to_ascii_lowercase();
        if !key.ends_with('.') {
            key.push('.');
        }
        self.lock().insert(key.into_boxed_str(), (txt, None));
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Records> {
        match self.map.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl ResolverCache<Box<str>, Txt> for TxtCache {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut map = self.lock();
        match map.get(name) {
            Some((_, Some(until))) if *until <= Instant::now() => {
                map.remove(name);
                None
            }
            Some((txt, _)) => Some(txt.clone()),
            None => None,
        }
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.lock().remove(name).map(|(t, _)| t)
    }

    fn insert(&self, key: Box<str>, value: Txt, valid_until: Instant) {
        let mut map = self.lock();
        if map.len() >= CACHE_MAX {
            let now = Instant::now();
            map.retain(|_, (_, until)| until.is_none_or(|u| u > now));
            if map.len() >= CACHE_MAX {
                map.clear();
            }
        }
        map.insert(key, (value, Some(valid_until)));
    }
}

/// Verifies messages live. Built once, shared (it is `Sync`).
pub struct Verifier {
    authenticator: MessageAuthenticator,
    cache: TxtCache,
    settings: DnsSettings,
}

impl Verifier {
    /// A verifier that asks the configured name servers (or the system's).
    pub fn new(settings: DnsSettings) -> Result<Verifier, SetupError> {
        let (config, mut opts) = if settings.nameservers.is_empty() {
            mail_auth::hickory_resolver::system_conf::read_system_conf()
                .map_err(|e| SetupError::Resolver(e.to_string()))?
        } else {
            let servers = settings
                .nameservers
                .iter()
                .map(|a| {
                    let mut ns = NameServerConfig::udp_and_tcp(a.ip());
                    for c in &mut ns.connections {
                        c.port = a.port();
                    }
                    ns
                })
                .collect();
            (
                ResolverConfig::from_parts(None, Vec::new(), servers),
                ResolverOpts::default(),
            )
        };
        opts.timeout = settings.query_timeout;
        opts.attempts = settings.attempts.max(1);
        let authenticator = MessageAuthenticator::new(config, opts)
            .map_err(|e| SetupError::Resolver(e.to_string()))?;
        Ok(Verifier {
            authenticator,
            cache: TxtCache::default(),
            settings,
        })
    }

    /// The record cache (to preload records in tests).
    pub fn cache(&self) -> &TxtCache {
        &self.cache
    }

    /// Verify `raw` as received with `envelope`. Never fails: what could not be checked
    /// is `temperror` (DNS) or left out (SPF without an IP).
    pub async fn verify(&self, raw: &[u8], envelope: &Envelope) -> AuthResults {
        match tokio::time::timeout(
            self.settings.total_timeout,
            self.verify_inner(raw, envelope),
        )
        .await
        {
            Ok(results) => results,
            Err(_) => {
                let note = "(time limit for DNS spent)";
                let mut results = vec![
                    temperror(Method::Dkim, note),
                    temperror(Method::Dmarc, note),
                ];
                if envelope.ip.is_some() {
                    results.insert(0, temperror(Method::Spf, note));
                }
                AuthResults::live(VERIFIER, results)
            }
        }
    }

    async fn verify_inner(&self, raw: &[u8], envelope: &Envelope) -> AuthResults {
        let Some(msg) = AuthenticatedMessage::parse(raw) else {
            return AuthResults::live(VERIFIER, Vec::new());
        };
        let mut results = Vec::new();

        // SPF, when the connecting IP is known
        let helo = envelope.helo.clone().unwrap_or_default();
        let sender = envelope.mail_from.clone().unwrap_or_default();
        let spf_domain = sender
            .rsplit_once('@')
            .map_or(helo.as_str(), |(_, d)| d)
            .to_string();
        let spf = match envelope.ip {
            Some(ip) => {
                let out = self
                    .authenticator
                    .verify_spf(
                        Parameters::new(SpfParameters::verify(
                            ip,
                            &helo,
                            &self.settings.host_name,
                            &sender,
                        ))
                        .with_txt_cache(&self.cache),
                    )
                    .await;
                let property = if sender.is_empty() {
                    "smtp.helo"
                } else {
                    "smtp.mailfrom"
                };
                results.push(MethodResult::new(
                    Method::Spf,
                    spf_outcome(out.result()),
                    Some(property),
                    Some(out.domain()).filter(|d| !d.is_empty()),
                ));
                Some(out)
            }
            None => None,
        };

        // DKIM
        let dkim = self
            .authenticator
            .verify_dkim(Parameters::new(&msg).with_txt_cache(&self.cache))
            .await;
        if dkim.is_empty() {
            results.push(with_note(
                MethodResult::new(Method::Dkim, Outcome::None, None, None),
                "no signature",
            ));
        }
        for out in dkim.iter().take(8) {
            let (outcome, err) = dkim_outcome(out.result());
            let sig = out.signature();
            let mut r = MethodResult::new(
                Method::Dkim,
                outcome,
                Some("header.d"),
                sig.map(|s| s.d.as_str()),
            );
            if let Some(s) = sig.filter(|s| !s.s.is_empty()) {
                r.selector = Some(s.s.clone());
                r.text.push_str(&format!(" header.s={}", s.s));
            }
            results.push(match err {
                Some(e) => with_note(r, &e),
                None => r,
            });
        }

        // DMARC: with SPF when it was checked, else on DKIM alone
        let no_spf = SpfOutput::new(String::new()).with_result(SpfResult::None);
        let dmarc = self
            .authenticator
            .verify_dmarc(
                Parameters::new(DmarcParameters::new(
                    &msg,
                    &dkim,
                    &spf_domain,
                    spf.as_ref().unwrap_or(&no_spf),
                ))
                .with_txt_cache(&self.cache),
            )
            .await;
        let dmarc_result = if spf.is_some() {
            dmarc.result()
        } else {
            dmarc.dkim_result().clone()
        };
        let dmarc_result = match dmarc_result {
            // DKIM not aligned and SPF not checked: a DMARC record makes it a fail
            DmarcResult::None if spf.is_none() && dmarc.dmarc_record().is_some() => {
                DmarcResult::Fail(mail_auth::Error::NotAligned)
            }
            r => r,
        };
        let (outcome, err) = dmarc_outcome(&dmarc_result);
        let domain = Some(dmarc.domain()).filter(|d| !d.is_empty());
        let mut r = MethodResult::new(Method::Dmarc, outcome, Some("header.from"), domain);
        if spf.is_none() && dmarc.dmarc_record().is_some() {
            r = with_note(r, "DKIM only, SPF not checked");
        } else if dmarc.dmarc_record().is_none() && err.is_none() {
            r = with_note(r, "no DMARC record");
        }
        results.push(match err {
            Some(e) => with_note(r, &e),
            None => r,
        });

        // ARC, when the message carries a chain
        if !msg.as_headers.is_empty() {
            let arc = self
                .authenticator
                .verify_arc(Parameters::new(&msg).with_txt_cache(&self.cache))
                .await;
            let (outcome, err) = dkim_outcome(arc.result());
            let r = MethodResult::new(Method::Arc, outcome, None, None);
            results.push(match err {
                Some(e) => with_note(r, &e),
                None => r,
            });
        }
        AuthResults::live(VERIFIER, results)
    }
}

fn temperror(method: Method, note: &str) -> MethodResult {
    with_note(
        MethodResult::new(method, Outcome::TempError, None, None),
        note,
    )
}

fn with_note(mut r: MethodResult, note: &str) -> MethodResult {
    let note = note.trim_matches(['(', ')']);
    r.text.push_str(&format!(" ({note})"));
    r
}

fn spf_outcome(r: SpfResult) -> Outcome {
    match r {
        SpfResult::Pass => Outcome::Pass,
        SpfResult::Fail => Outcome::Fail,
        SpfResult::SoftFail => Outcome::SoftFail,
        SpfResult::Neutral => Outcome::Neutral,
        SpfResult::TempError => Outcome::TempError,
        SpfResult::PermError => Outcome::PermError,
        SpfResult::None => Outcome::None,
    }
}

/// DKIM (and ARC) result, with the reason for anything but pass and none.
fn dkim_outcome(r: &DkimResult) -> (Outcome, Option<String>) {
    match r {
        DkimResult::Pass => (Outcome::Pass, None),
        DkimResult::None => (Outcome::None, None),
        DkimResult::Neutral(e) => (Outcome::Neutral, Some(e.to_string())),
        DkimResult::Fail(e) => (Outcome::Fail, Some(e.to_string())),
        DkimResult::PermError(e) => (Outcome::PermError, Some(e.to_string())),
        DkimResult::TempError(e) => (Outcome::TempError, Some(e.to_string())),
    }
}

fn dmarc_outcome(r: &DmarcResult) -> (Outcome, Option<String>) {
    match r {
        DmarcResult::Pass => (Outcome::Pass, None),
        DmarcResult::None => (Outcome::None, None),
        DmarcResult::Fail(e) => (Outcome::Fail, Some(e.to_string())),
        DmarcResult::PermError(e) => (Outcome::PermError, Some(e.to_string())),
        DmarcResult::TempError(e) => (Outcome::TempError, Some(e.to_string())),
    }
}
