//! The milter's configuration (TOML, `--config FILE`); every key has a default.

use serde::Deserialize;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What to do with a message of one verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Deliver with the `X-Phishguard-*` headers only.
    Accept,
    /// Deliver with the headers and the subject tag (when tagging is on).
    Tag,
    /// Headers and tag, and put the mail on hold (Postfix hold queue).
    Quarantine,
    /// Refuse it during SMTP with `550 5.7.1`.
    Reject,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Tag => "tag",
            Action::Quarantine => "quarantine",
            Action::Reject => "reject",
        }
    }
}

/// What to do when a message could not be judged (internal error, time budget spent,
/// message over the size limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultAction {
    /// Deliver it untouched (fail open).
    Accept,
    /// Answer 4xx: the MTA keeps it and retries.
    Tempfail,
}

impl FaultAction {
    pub fn as_str(self) -> &'static str {
        match self {
            FaultAction::Accept => "accept",
            FaultAction::Tempfail => "tempfail",
        }
    }
}

/// Where to listen: `inet:HOST:PORT`, `inet:PORT@HOST`, `inet6:...` or `unix:/path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Inet(std::net::SocketAddr),
    Unix(PathBuf),
}

impl FromStr for Listen {
    type Err = String;
    fn from_str(s: &str) -> Result<Listen, String> {
        let bad = || format!("bad listen address {s:?} (use inet:127.0.0.1:11332 or unix:/path)");
        if let Some(path) = s.strip_prefix("unix:").or_else(|| s.strip_prefix("local:")) {
            if path.is_empty() {
                return Err(bad());
            }
            return Ok(Listen::Unix(PathBuf::from(path)));
        }
        let rest = s
            .strip_prefix("inet:")
            .or_else(|| s.strip_prefix("inet6:"))
            .ok_or_else(bad)?;
        // Sendmail style: PORT@HOST
        if let Some((port, host)) = rest.split_once('@') {
            let port: u16 = port.parse().map_err(|_| bad())?;
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let ip: IpAddr = host.parse().map_err(|_| bad())?;
            return Ok(Listen::Inet((ip, port).into()));
        }
        // Postfix style: HOST:PORT (IPv6 as [::1]:PORT)
        let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
        let port: u16 = port.parse().map_err(|_| bad())?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let ip: IpAddr = if host == "localhost" {
            IpAddr::from([127, 0, 0, 1])
        } else {
            host.parse().map_err(|_| bad())?
        };
        Ok(Listen::Inet((ip, port).into()))
    }
}

impl std::fmt::Display for Listen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Listen::Inet(a) => write!(f, "inet:{a}"),
            Listen::Unix(p) => write!(f, "unix:{}", p.display()),
        }
    }
}

/// An IPv4 or IPv6 network in CIDR form (`192.0.2.0/24`, `2001:db8::/32`, or a bare
/// address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Cidr, String> {
        let bad = || format!("bad network {s:?} (use e.g. 192.0.2.0/24 or 2001:db8::/32)");
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.trim().parse().map_err(|_| bad())?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.trim().parse::<u8>().map_err(|_| bad())?,
            None => max,
        };
        if prefix > max {
            return Err(bad());
        }
        Ok(Cidr { addr, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d).
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cidr, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Per-verdict actions.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    pub phishing: Action,
    pub suspicious: Action,
    pub legitimate: Action,
    /// Text after `550 5.7.1` when rejecting (the check ids follow in brackets).
    pub reject_text: String,
    /// Reason recorded with a quarantined (held) message.
    pub quarantine_reason: String,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            phishing: Action::Tag,
            suspicious: Action::Tag,
            legitimate: Action::Accept,
            reject_text: "Message rejected as likely phishing".into(),
            quarantine_reason: "phishguard".into(),
        }
    }
}

/// Subject tagging.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubjectTag {
    pub enabled: bool,
    pub phishing: String,
    pub suspicious: String,
}

impl Default for SubjectTag {
    fn default() -> SubjectTag {
        SubjectTag {
            enabled: true,
            phishing: "[phishing?]".into(),
            suspicious: "[suspicious?]".into(),
        }
    }
}

/// Who is not scanned.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Skip {
    /// Clients connecting from these networks are accepted without a scan.
    pub trusted_networks: Vec<Cidr>,
    /// Senders who authenticated with SMTP AUTH (`{auth_authen}` set) are not scanned.
    pub authenticated: bool,
}

/// Limits and what to do when they or the analysis fail.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Time budget for the analysis of one message, in milliseconds.
    pub timeout_ms: u64,
    /// Messages larger than this (headers and body) are not analysed.
    pub max_message_bytes: usize,
    /// On an internal error or a spent time budget.
    pub on_error: FaultAction,
    /// On a message over `max_message_bytes`.
    pub on_oversize: FaultAction,
}

impl Default for Faults {
    fn default() -> Faults {
        Faults {
            timeout_ms: 5000,
            max_message_bytes: 25 << 20,
            on_error: FaultAction::Accept,
            on_oversize: FaultAction::Accept,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `inet:127.0.0.1:11332` or `unix:/path` (the `--listen` flag wins).
    #[serde(deserialize_with = "de_listen")]
    pub listen: Listen,
    /// Plain-HTTP Prometheus metrics on a loopback address (`127.0.0.1:9332`); off if
    /// unset (the `--metrics` flag wins).
    pub metrics: Option<std::net::SocketAddr>,
    /// Analysis threads (0: one per CPU).
    pub workers: usize,
    /// Permissions of a unix socket (octal in a string, e.g. "0660").
    pub socket_mode: String,
    /// Largest milter packet accepted from the MTA.
    pub max_frame_bytes: usize,
    /// Add `X-Phishguard-*` headers to messages that are delivered.
    pub add_headers: bool,
    pub policy: Policy,
    pub subject_tag: SubjectTag,
    pub skip: Skip,
    pub faults: Faults,
    /// Sender authentication: trusted authserv-ids, live DNS verification (on unless
    /// `dns = false`), DNS servers and time limits.
    pub auth: phishguard_auth::AuthConfig,
}

fn de_listen<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Listen, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: Listen::Inet(([127, 0, 0, 1], 11332).into()),
            metrics: None,
            workers: 0,
            socket_mode: "0666".into(),
            max_frame_bytes: crate::codec::DEFAULT_MAX_FRAME,
            add_headers: true,
            policy: Policy::default(),
            subject_tag: SubjectTag::default(),
            skip: Skip::default(),
            faults: Faults::default(),
            auth: phishguard_auth::AuthConfig::default(),
        }
    }
}

impl Config {
    /// Parses TOML text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let c: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        c.validate()?;
        Ok(c)
    }

    /// Reads and parses a file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn validate(&self) -> Result<(), String> {
        if let Some(m) = self.metrics
            && !m.ip().is_loopback()
        {
            return Err(format!("metrics address {m} is not a loopback address"));
        }
        self.socket_mode_bits()?;
        self.auth.dns_settings()?;
        if self.max_frame_bytes < 70_000 {
            return Err("max_frame_bytes must be at least 70000 (body chunks are 64 KiB)".into());
        }
        Ok(())
    }

    pub fn socket_mode_bits(&self) -> Result<u32, String> {
        u32::from_str_radix(self.socket_mode.trim_start_matches("0o"), 8)
            .ok()
            .filter(|m| *m <= 0o777)
            .ok_or_else(|| format!("bad socket_mode {:?} (use e.g. \"0660\")", self.socket_mode))
    }

    /// Live DNS verification is on (the default).
    pub fn dns_enabled(&self) -> bool {
        self.auth.dns.unwrap_or(true)
    }

    /// DNS settings for live verification: the `[auth]` values, with the time for one
    /// message held to half the analysis budget so the analysis keeps the rest.
    pub fn dns_settings(&self) -> Result<phishguard_auth::DnsSettings, String> {
        let mut s = self.auth.dns_settings()?;
        let half = std::time::Duration::from_millis(self.faults.timeout_ms / 2);
        s.total_timeout = s.total_timeout.min(half);
        s.query_timeout = s.query_timeout.min(s.total_timeout);
        Ok(s)
    }

    pub fn action_for(&self, verdict: phishguard::Verdict) -> Action {
        match verdict {
            phishguard::Verdict::Phishing => self.policy.phishing,
            phishguard::Verdict::Suspicious => self.policy.suspicious,
            phishguard::Verdict::Legitimate => self.policy.legitimate,
        }
    }

    pub fn worker_count(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_forms() {
        assert_eq!(
            "inet:127.0.0.1:11332".parse(),
            Ok(Listen::Inet(([127, 0, 0, 1], 11332).into()))
        );
        assert_eq!(
            "inet:11332@127.0.0.1".parse(),
            Ok(Listen::Inet(([127, 0, 0, 1], 11332).into()))
        );
        assert_eq!(
            "inet6:[::1]:25".parse::<Listen>().map(|l| l.to_string()),
            Ok("inet:[::1]:25".into())
        );
        assert_eq!(
            "unix:/run/pg.sock".parse(),
            Ok(Listen::Unix("/run/pg.sock".into()))
        );
        for bad in [
            "",
            "inet:",
            "inet:host",
            "tcp:1.2.3.4:5",
            "unix:",
            "inet:1.2.3.4:99999",
        ] {
            assert!(bad.parse::<Listen>().is_err(), "{bad}");
        }
    }

    #[test]
    fn cidr_matching() {
        let c: Cidr = "192.0.2.0/24".parse().unwrap();
        assert!(c.contains("192.0.2.77".parse().unwrap()));
        assert!(!c.contains("192.0.3.1".parse().unwrap()));
        assert!(c.contains("::ffff:192.0.2.1".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains("127.0.0.1".parse().unwrap()));
        assert!(!one.contains("127.0.0.2".parse().unwrap()));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!v6.contains("2001:db9::5".parse().unwrap()));
        for bad in ["1.2.3.4/33", "::/129", "x/8", "1.2.3.4/"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn toml_config() {
        let c = Config::parse(
            r#"
            listen = "unix:/tmp/x.sock"
            [policy]
            phishing = "reject"
            suspicious = "quarantine"
            [skip]
            trusted_networks = ["10.0.0.0/8"]
            authenticated = true
            [faults]
            timeout_ms = 2000
            on_error = "tempfail"
            "#,
        )
        .unwrap();
        assert_eq!(c.policy.phishing, Action::Reject);
        assert_eq!(c.policy.suspicious, Action::Quarantine);
        assert_eq!(c.policy.legitimate, Action::Accept);
        assert_eq!(c.faults.on_error, FaultAction::Tempfail);
        assert_eq!(c.faults.on_oversize, FaultAction::Accept);
        assert!(c.skip.authenticated);
        assert!(Config::parse("policy = 3").is_err());
        assert!(Config::parse("nonsense = 1").is_err());
        assert!(Config::parse("metrics = \"0.0.0.0:9000\"").is_err());
        assert!(Config::parse("metrics = \"127.0.0.1:9000\"").is_ok());
        assert!(Config::parse("[policy]\nphishing = \"drop\"").is_err());
    }

    #[test]
    fn example_config_parses() {
        let text = include_str!("../../../examples/milter.toml");
        let c = Config::parse(text).unwrap();
        assert!(c.dns_enabled());
    }

    #[test]
    fn auth_table() {
        assert!(
            Config::default().dns_enabled(),
            "live verification by default"
        );
        let c = Config::parse(
            "[faults]\ntimeout_ms = 3000\n[auth]\ntrusted_authserv_ids = [\"mx.example.jp\"]\nnameservers = [\"127.0.0.1:5353\", \"192.0.2.53\"]\ntimeout_ms = 9000\n",
        )
        .unwrap();
        assert_eq!(c.auth.trusted_authserv_ids, ["mx.example.jp"]);
        let s = c.dns_settings().unwrap();
        assert_eq!(s.nameservers[1].port(), 53);
        // held to half the analysis budget
        assert_eq!(s.total_timeout, std::time::Duration::from_millis(1500));
        assert!(
            !Config::parse("[auth]\ndns = false\n")
                .unwrap()
                .dns_enabled()
        );
        assert!(Config::parse("[auth]\nnameservers = [\"nope\"]\n").is_err());
        assert!(Config::parse("[auth]\nbogus = 1\n").is_err());
    }
}
