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
        let mut h = d.ascii.as_str();
        loop {
            if let Some(e) = self.0.get(h) {
                return Some(e.as_str());
            }
            h = h.split_once('.')?.1;
        }
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
