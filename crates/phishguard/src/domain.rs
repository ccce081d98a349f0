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

/// Whether `a` and `b` differ by exactly one letter added, removed or changed: the same
/// answer as `edit_distance(a, b) == 1` in one pass (it runs for every link against every
/// official domain's name, so it is kept cheap).
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    // Between strings of two or more characters one edit keeps the first or the last
    // character, so the first or the last byte: most pairs fail this before any scan.
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.first() != y.first()
        && x.last() != y.last()
        && a.chars().nth(1).is_some()
        && b.chars().nth(1).is_some()
    {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        one_edit_apart_in(a.as_bytes(), b.as_bytes())
    } else {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        one_edit_apart_in(&a, &b)
    }
}

fn one_edit_apart_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    let long_rest = long.get(prefix + 1..).unwrap_or(&[]);
    if short.len() == long.len() {
        // one substitution: everything after the first difference is equal
        prefix < short.len() && short.get(prefix + 1..).unwrap_or(&[]) == long_rest
    } else {
        // one insertion into `short`
        short.get(prefix..).unwrap_or(&[]) == long_rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart_agrees_with_edit_distance() {
        let words = [
            "amazon",
            "amazom",
            "amazn",
            "arnazon",
            "amazonn",
            "mazon",
            "amazo",
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "acb",
            "rakuten",
            "rakutem",
            "ｒakuten",
            "aｍazon",
            "amazoñ",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    one_edit_apart(a, b),
                    edit_distance(a, b) == 1,
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

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
