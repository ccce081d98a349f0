//! Plain domain lists (free-mail providers, URL shorteners), one per line, `#` comments.

use std::collections::HashSet;

#[derive(Debug, Default)]
pub struct DomainList(HashSet<String>);

impl DomainList {
    pub fn parse(text: &str) -> DomainList {
        DomainList(
            text.lines()
                .map(|l| {
                    l.split('#')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                })
                .filter(|l| !l.is_empty())
                .collect(),
        )
    }

    /// Is the registrable domain (or the host itself) listed?
    pub fn contains(&self, d: &crate::domain::DomainInfo) -> bool {
        self.0.contains(&d.registrable) || self.0.contains(&d.ascii)
    }
}

/// Platform domains matched on label boundaries: a host matches an entry when it is the
/// entry or a sub-domain of it (`x.firebaseapp.com`). Platforms are often public suffixes
/// themselves, so the registrable domain would not do.
#[derive(Debug, Default)]
pub struct HostList(HashSet<String>);

impl HostList {
    pub fn parse(text: &str) -> HostList {
        HostList(DomainList::parse(text).0)
    }

    /// The entry `host` falls under, if any.
    pub fn matching(&self, d: &crate::domain::DomainInfo) -> Option<&str> {
        self.matching_host(&d.ascii)
    }

    /// The entry a lower-case ASCII host name falls under, if any.
    pub fn matching_host(&self, host: &str) -> Option<&str> {
        let mut h = host;
        loop {
            if let Some(e) = self.0.get(h) {
                return Some(e.as_str());
            }
            h = h.split_once('.')?.1;
        }
    }
}

/// Free picture hosts (`data/image_hosts.txt`): each host, and the service's own sender
/// domains that may show pictures from it.
#[derive(Debug, Default)]
pub struct ImageHostList {
    hosts: HostList,
    own_senders: std::collections::HashMap<String, Vec<String>>,
}

impl ImageHostList {
    pub fn parse(text: &str) -> ImageHostList {
        let mut list = ImageHostList::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").to_ascii_lowercase();
            let mut words = line.split_whitespace();
            let Some(host) = words.next() else { continue };
            list.hosts.0.insert(host.to_string());
            list.own_senders
                .insert(host.to_string(), words.map(str::to_string).collect());
        }
        list
    }

    /// The listed host `host` falls under, unless mail from `sender` (a registrable
    /// domain) is the service's own.
    pub fn matching(&self, host: &str, sender: Option<&str>) -> Option<&str> {
        let entry = self.hosts.matching_host(host)?;
        let own = self
            .own_senders
            .get(entry)
            .is_some_and(|own| sender.is_some_and(|s| own.iter().any(|o| o == s)));
        (!own).then_some(entry)
    }
}

/// The top-level domain of a host (`top` for `a.b.top`).
pub fn tld(d: &crate::domain::DomainInfo) -> &str {
    d.ascii.rsplit('.').next().unwrap_or("")
}

impl DomainList {
    /// Is this exact entry listed (for TLD lists)?
    pub fn has(&self, entry: &str) -> bool {
        self.0.contains(entry)
    }
}

/// Open redirectors (`data/redirectors.txt`): a host and the path a redirect lives under.
#[derive(Debug, Default)]
pub struct RedirectorList(Vec<(String, String)>);

impl RedirectorList {
    pub fn parse(text: &str) -> RedirectorList {
        RedirectorList(
            text.lines()
                .filter_map(|l| {
                    let l = l.split('#').next().unwrap_or("").trim();
                    let (host, path) = l.split_once(char::is_whitespace)?;
                    Some((host.to_ascii_lowercase(), path.trim().to_ascii_lowercase()))
                })
                .collect(),
        )
    }

    /// Is a link to `host` with path-and-query `rest` one of the listed redirects?
    pub fn matches(&self, host: &crate::domain::DomainInfo, rest: &str) -> bool {
        self.0.iter().any(|(h, path)| {
            let host_ok = match h.strip_suffix(".*") {
                // the name under any public suffix, or its www
                Some(name) => {
                    host.registrable.split('.').next() == Some(name)
                        && (host.ascii == host.registrable
                            || host.ascii.strip_prefix("www.") == Some(host.registrable.as_str()))
                }
                None => {
                    host.ascii == *h
                        || host
                            .ascii
                            .strip_suffix(h.as_str())
                            .is_some_and(|p| p.ends_with('.'))
                }
            };
            host_ok
                && rest
                    .get(..path.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(path))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::RedirectorList;
    use crate::domain::DomainInfo;

    #[test]
    fn redirectors_match_host_and_path() {
        let list = RedirectorList::parse(crate::data::REDIRECTORS);
        let yes = [
            ("www.google.com", "/url?q=https://evil.example/"),
            ("google.co.jp", "/url?sa=t&url=https://evil.example/"),
            ("www.bing.com", "/ck/a?!&&p=abc&u=a1aHR0cHM6Ly9"),
            ("l.facebook.com", "/l.php?u=https%3A%2F%2Fevil.example"),
        ];
        for (h, rest) in yes {
            let host = DomainInfo::parse(h).unwrap();
            assert!(list.matches(&host, rest), "{h}{rest}");
        }
        let no = [
            ("www.google.com", "/maps/place/Tokyo"),
            ("mail.google.com", "/url?q=x"),
            ("googleblog.com", "/url?q=x"),
            ("www.bing.com", "/search?q=x"),
            ("www.facebook.com", "/rakutencard"),
        ];
        for (h, rest) in no {
            let host = DomainInfo::parse(h).unwrap();
            assert!(!list.matches(&host, rest), "{h}{rest}");
        }
    }
}
