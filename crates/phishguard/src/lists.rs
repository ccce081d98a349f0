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
