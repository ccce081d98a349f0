//! Look-alike domains: a brand's name inside an unrelated domain (`amazon-support.jp`,
//! `info-amazon-membership.net`, `amazon.co.jp.example.net`), a brand name spelt with
//! look-alike letters (`arnazon`, `amaz0n`, Cyrillic `аmazon`), or one letter off an
//! official domain (`amazom.co.jp`).

use crate::brands::BrandSet;
use crate::domain::{DomainInfo, edit_distance};
use crate::text::skeleton_lower;

/// Words that lures glue to a brand name (`amazonsupport`, `secureamazon`).
const LURE_WORDS: &[&str] = &[
    "support",
    "secure",
    "security",
    "login",
    "signin",
    "account",
    "accounts",
    "jp",
    "japan",
    "info",
    "service",
    "services",
    "help",
    "verify",
    "verification",
    "update",
    "member",
    "members",
    "membership",
    "prime",
    "pay",
    "payment",
    "center",
    "centre",
    "mail",
    "online",
    "web",
    "official",
    "customer",
    "care",
    "auth",
    "id",
    "billing",
    "card",
    "user",
    "co",
];

/// Why a domain looks like a brand's.
#[derive(Debug, Clone)]
pub struct Lookalike {
    pub brand: usize,
    /// `brand name inside domain`, `look-alike letters`, `one letter off amazon.co.jp`.
    pub why: String,
}

fn glued(part: &str, token: &str) -> bool {
    let rest = if let Some(r) = part.strip_prefix(token) {
        r
    } else if let Some(r) = part.strip_suffix(token) {
        r
    } else {
        return false;
    };
    rest.bytes().all(|b| b.is_ascii_digit()) || LURE_WORDS.contains(&rest)
}

/// Is `d` a look-alike of some brand? Domains a brand owns never are. With `whole_host`
/// the sub-domain labels count too (`amazon.co.jp.example.net` for a link); without, only
/// the registrable domain's own name (a sender's sub-domains are often a mail service's
/// customer names).
pub fn lookalike(brands: &BrandSet, d: &DomainInfo, whole_host: bool) -> Option<Lookalike> {
    if d.is_ip || brands.is_owned(d) {
        return None;
    }
    let suffix_len = psl::suffix_str(&d.ascii).map_or(0, str::len);
    let host_wo_suffix = d
        .ascii
        .get(..d.ascii.len().saturating_sub(suffix_len + 1))
        .unwrap_or("");
    let checked = if whole_host {
        host_wo_suffix
    } else {
        d.registrable_label()
    };
    let (unicode_host, _) = idna::domain_to_unicode(checked);
    for label in unicode_host.split('.') {
        let label_sk = skeleton_lower(label);
        for part in label.split('-').filter(|p| p.len() >= 3) {
            let part_sk = skeleton_lower(part);
            let plain = part.to_ascii_lowercase();
            for (token_sk, brand) in brands.skeletons() {
                let token_plain = brand_token_plain(brands, *brand, token_sk);
                if plain == token_plain || glued(&plain, &token_plain) {
                    return Some(Lookalike {
                        brand: *brand,
                        why: format!("brand name {token_plain:?} inside the domain"),
                    });
                }
                if part_sk == *token_sk || glued(&part_sk, token_sk) {
                    return Some(Lookalike {
                        brand: *brand,
                        why: format!("{part:?} spells {token_plain:?} with look-alike letters"),
                    });
                }
            }
        }
        // a whole label spelt like a brand with the hyphen or letters changed
        for (token_sk, brand) in brands.skeletons() {
            if label_sk.len() >= 5 && label_sk.replace('-', "") == *token_sk {
                return Some(Lookalike {
                    brand: *brand,
                    why: format!("{label:?} imitates a brand name"),
                });
            }
        }
    }
    // one letter off an official domain's name (amazom.co.jp, amazon-co.jp is caught above)
    let label = d.registrable_label();
    if label.len() >= 5 {
        for (i, b) in brands.brands().iter().enumerate() {
            for off in b.domains.sender.iter().chain(&b.domains.link) {
                let Some(od) = DomainInfo::parse(off) else {
                    continue;
                };
                let ol = od.registrable_label();
                if ol.len() >= 5 && ol != label && edit_distance(ol, label) == 1 {
                    return Some(Lookalike {
                        brand: i,
                        why: format!("one letter off {off}"),
                    });
                }
            }
        }
    }
    None
}

/// The plain ASCII token behind a skeleton (for messages): the brand's first domain token
/// whose skeleton matches, else the skeleton itself.
fn brand_token_plain(brands: &BrandSet, brand: usize, token_sk: &str) -> String {
    brands
        .get(brand)
        .and_then(|b| {
            b.domain_tokens
                .iter()
                .chain(b.aliases.values().flatten())
                .find(|t| t.is_ascii() && skeleton_lower(t) == token_sk)
        })
        .map_or_else(|| token_sk.to_string(), |t| t.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(host: &str) -> Option<Lookalike> {
        let brands = BrandSet::builtin().unwrap();
        lookalike(&brands, &DomainInfo::parse(host).unwrap(), true)
    }

    #[test]
    fn finds_lookalikes() {
        assert!(check("xyz.amazon-support.jp").is_some());
        assert!(check("info-amazon-membership.net").is_some());
        assert!(check("amazon.co.jp.secure-login.example").is_some());
        assert!(check("arnazon.co.jp").is_some());
        assert!(check("amaz0n-jp.com").is_some());
        assert!(check("amazom.co.jp").is_some());
        assert!(check("\u{0430}mazon.com").is_some());
        assert!(check("amazonsupport.com").is_some());
    }

    #[test]
    fn leaves_genuine_and_unrelated_domains() {
        assert!(check("www.amazon.co.jp").is_none());
        assert!(check("bounces.amazonses.com").is_none());
        assert!(check("s3.amazonaws.com").is_none());
        assert!(check("example.com").is_none());
        assert!(check("amazonas-turismo.com.br").is_none());
        assert!(check("amazing.com").is_none());
    }
}
