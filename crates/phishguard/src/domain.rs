//! Host names: IDNA, registrable domain (public suffix list), IP literals, scripts.

use serde::Serialize;
use std::net::IpAddr;
use unicode_security::MixedScript;

/// What phishguard knows about one host name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DomainInfo {
    /// The host in ASCII (punycode) form, lower case, without a trailing dot.
    pub ascii: String,
    /// The host in Unicode form (differs from `ascii` for IDNs).
    pub unicode: String,
    /// The registrable domain (eTLD+1) in ASCII, via the public suffix list; for an IP
    /// literal or a bare suffix, the host itself.
    pub registrable: String,
    /// The host is an IP address literal.
    pub is_ip: bool,
    /// Some label is an internationalised (punycode) label.
    pub is_idn: bool,
    /// Some label mixes scripts (e.g. Latin and Cyrillic) in a way no single script allows.
    pub mixed_script: bool,
}

impl DomainInfo {
    /// Parse a host or domain name, e.g. from an address or a URL. Returns None for
    /// something that is not a plausible host name.
    pub fn parse(host: &str) -> Option<DomainInfo> {
        let host = host.trim().trim_end_matches('.');
        if host.is_empty() || host.len() > 253 {
            return None;
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            let s = ip.to_string();
            return Some(DomainInfo {
                ascii: s.clone(),
                unicode: s.clone(),
                registrable: s,
                is_ip: true,
                is_idn: false,
                mixed_script: false,
            });
        }
        let ascii = idna::domain_to_ascii(host).ok()?;
        if ascii.is_empty() || !ascii.contains('.') {
            return None;
        }
        if !ascii
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        {
            return None;
        }
        let (unicode, _) = idna::domain_to_unicode(&ascii);
        let is_idn = ascii.split('.').any(|l| l.starts_with("xn--"));
        let mixed_script = is_idn
            && unicode
                .split('.')
                .any(|l| !l.is_ascii() && !l.is_single_script());
        let registrable = psl::domain_str(&ascii).unwrap_or(&ascii).to_string();
        Some(DomainInfo {
            ascii,
            unicode,
            registrable,
            is_ip: false,
            is_idn,
            mixed_script,
        })
    }

    /// The labels of the registrable domain left of the public suffix
    /// (`info-amazon-membership` for `info-amazon-membership.net`).
    pub fn registrable_label(&self) -> &str {
        if self.is_ip {
            return "";
        }
        let suffix_len = psl::suffix_str(&self.registrable).map_or(0, str::len);
        let end = self.registrable.len().saturating_sub(suffix_len + 1);
        self.registrable.get(..end).unwrap_or("")
    }

    /// The part of the host left of the registrable domain (`www` for `www.amazon.co.jp`).
    pub fn subdomain(&self) -> &str {
        let end = self.ascii.len().saturating_sub(self.registrable.len() + 1);
        if self.ascii.len() > self.registrable.len() {
            self.ascii.get(..end).unwrap_or("")
        } else {
            ""
        }
    }
}

/// Split an address `local@domain` into its domain part.
pub fn address_domain(addr: &str) -> Option<&str> {
    let (_, d) = addr.rsplit_once('@')?;
    let d = d.trim().trim_end_matches('>');
    if d.is_empty() { None } else { Some(d) }
}

/// Levenshtein distance, for "one letter off" look-alikes (`arnazon`, `amazom`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domain_uses_the_public_suffix_list() {
        let d = DomainInfo::parse("Info.Amazon.co.jp.").unwrap();
        assert_eq!(d.registrable, "amazon.co.jp");
        assert_eq!(d.subdomain(), "info");
        assert_eq!(d.registrable_label(), "amazon");
        let d = DomainInfo::parse("xyz.amazon-support.jp").unwrap();
        assert_eq!(d.registrable, "amazon-support.jp");
        // a string suffix test would call this amazon.co.jp; the PSL does not
        let d = DomainInfo::parse("evilamazon.co.jp").unwrap();
        assert_eq!(d.registrable, "evilamazon.co.jp");
    }

    #[test]
    fn ip_literals_and_idns() {
        assert!(DomainInfo::parse("192.0.2.7").unwrap().is_ip);
        assert!(DomainInfo::parse("[2001:db8::1]").unwrap().is_ip);
        // Cyrillic а in "amazon"
        let d = DomainInfo::parse("\u{0430}mazon.com").unwrap();
        assert!(d.is_idn);
        assert!(d.mixed_script);
        assert!(d.ascii.starts_with("xn--"));
        let jp = DomainInfo::parse("日本語.jp").unwrap();
        assert!(jp.is_idn);
        assert!(!jp.mixed_script);
    }

    #[test]
    fn rejects_non_hosts() {
        assert!(DomainInfo::parse("").is_none());
        assert!(DomainInfo::parse("localhost").is_none());
        assert!(DomainInfo::parse("a b.com").is_none());
    }
}
