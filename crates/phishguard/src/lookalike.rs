//! Look-alike domains: a brand's name inside an unrelated domain (`amazon-support.jp`,
//! `info-amazon-membership.net`, `amazon.co.jp.example.net`), a brand name spelt with
//! look-alike letters (`arnazon`, `amaz0n`, Cyrillic `аmazon`), or one letter off an
//! official domain (`amazom.co.jp`).

use crate::brands::BrandSet;
use crate::domain::{DomainInfo, one_edit_apart};
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

/// The lure words that name an account chore: a domain made of them is a lure's.
const ACCOUNT_CHORE_WORDS: &[&str] = &[
    "secure",
    "security",
    "login",
    "signin",
    "account",
    "accounts",
    "verify",
    "verification",
    "update",
    "auth",
    "billing",
    "support",
    "membership",
];

/// Why a domain looks like a brand's.
#[derive(Debug, Clone)]
pub struct Lookalike {
    pub brand: usize,
    /// `brand name inside domain`, `look-alike letters`, `one letter off amazon.co.jp`.
    pub why: String,
    /// One letter off an official domain. Many short names are one letter from an
    /// ordinary word or another company (`tesco` / `tepco`), so this counts only in a
    /// message that speaks for that brand.
    pub letter_off: bool,
    /// The brand's name as one word among others (`jppost-redelivery`): kits name hosts
    /// like that, but so do honest businesses whose name contains a brand word, so this
    /// counts only in a message that speaks for the brand or carries lure wording.
    pub among_words: bool,
}

fn glued(part: &str, token: &str) -> bool {
    let rest = if let Some(r) = part.strip_prefix(token) {
        r
    } else if let Some(r) = part.strip_suffix(token) {
        r
    } else {
        return false;
    };
    !rest.is_empty() && (rest.bytes().all(|b| b.is_ascii_digit()) || LURE_WORDS.contains(&rest))
}

/// A brand name in one domain label: the label *is* the name (`amazon`, `arnazon`), or the
/// name stands next to a lure word (`amazon-support`, `info-amazon-membership`,
/// `amazonsecure`). A brand name among ordinary words (`big-apple-pizza`) is not enough:
/// many brand names are ordinary words.
fn label_imitates(brands: &BrandSet, label: &str, whole_label_counts: bool) -> Option<Lookalike> {
    let label_sk = skeleton_lower(label);
    let parts: Vec<&str> = label.split('-').filter(|p| !p.is_empty()).collect();
    let has_lure_part = parts
        .iter()
        .any(|p| LURE_WORDS.contains(&p.to_ascii_lowercase().as_str()));
    let mut among = None;
    for part in parts.iter().filter(|p| p.len() >= 3) {
        let part_sk = skeleton_lower(part);
        let plain = part.to_ascii_lowercase();
        // Every test below needs the token at the start or the end of the part (an exact or
        // look-alike spelling starts it, `glued` starts or ends it): only tokens with a byte
        // in common at either end are tried, looked up by those bytes.
        for (token_sk, brand, token_plain) in brands.skeletons_at_ends(&plain, &part_sk) {
            let whole = parts.len() == 1 && whole_label_counts;
            let exact = plain == token_plain;
            if exact && parts.len() > 1 && among.is_none() {
                among = Some((brand, token_plain));
            }
            let spoofed = !exact && part_sk == token_sk;
            // the name with a short random tag (`jppost-ab`, `amazon-x1`): kits make many
            // such hosts; a brand word among real words (`big-apple-pizza`) is not one
            let tagged = parts.len() == 2 && parts.iter().all(|p| p.len() <= 3 || *p == *part);
            if ((exact || spoofed) && (whole || has_lure_part || tagged))
                || glued(&plain, token_plain)
            {
                let why = if spoofed {
                    format!("{part:?} spells {token_plain:?} with look-alike letters")
                } else {
                    format!("brand name {token_plain:?} inside the domain")
                };
                return Some(Lookalike {
                    brand,
                    why,
                    letter_off: false,
                    among_words: false,
                });
            }
            if spoofed || glued(&part_sk, token_sk) {
                return Some(Lookalike {
                    brand,
                    why: format!("{part:?} spells {token_plain:?} with look-alike letters"),
                    letter_off: false,
                    among_words: false,
                });
            }
        }
    }
    // the whole label spelt like a brand with hyphens or letters changed (ama-zon)
    let joined = label_sk.replace('-', "");
    if label_sk.len() >= 5 && parts.len() > 1 {
        for (token_sk, brand, _) in brands.skeletons() {
            if joined == token_sk {
                return Some(Lookalike {
                    brand,
                    why: format!("{label:?} imitates a brand name"),
                    letter_off: false,
                    among_words: false,
                });
            }
        }
    }
    among.map(|(brand, token)| Lookalike {
        brand,
        why: format!("brand name {token:?} among other words in the domain"),
        letter_off: false,
        among_words: true,
    })
}

/// Is `d` a look-alike of some brand? Domains a brand owns never are. With `whole_host`
/// the sub-domain labels count too (`amazon.co.jp.example.net`, `amazon-login.example.net`
/// for a link); without, only the registrable domain's own name (a sender's sub-domains
/// are often a mail service's customer names).
pub fn lookalike(brands: &BrandSet, d: &DomainInfo, whole_host: bool) -> Option<Lookalike> {
    if d.is_ip || brands.is_owned(d) {
        return None;
    }
    let (label, _) = idna::domain_to_unicode(d.registrable_label());
    // a brand word among other words is the weakest finding: look on for a stronger one
    let mut among_words = None;
    for l in label.split('.') {
        match label_imitates(brands, l, true) {
            Some(l) if l.among_words => among_words = among_words.or(Some(l)),
            Some(l) => return Some(l),
            None => {}
        }
    }
    if whole_host {
        let sub = d.subdomain();
        // only a host with a hyphen can glue an official domain to more with one
        let dashed = d.ascii.contains('-');
        // where the host's hyphens are: a domain glued on by one ends at one of them
        let dashes: Vec<usize> = if dashed {
            memchr::memchr_iter(b'-', d.ascii.as_bytes()).collect()
        } else {
            Vec::new()
        };
        // an official domain written out in front of another (amazon.co.jp.example.net)
        for (b, brand) in brands.brands().iter().enumerate() {
            for off in brand.domains.sender.iter().chain(&brand.domains.link) {
                // the first three tests need at least `off`'s length in the sub-domain
                // (most links have `www` or nothing in front of the registrable domain)
                let in_sub = sub.len() >= off.len()
                    && (sub == off.as_str()
                        || ends_with_domain(sub, off)
                        || has_domain_label_run(sub, off));
                if in_sub
                    || (dashed
                        && ends_before_dash(&d.ascii, &dashes, off)
                        && has_domain_then_dash(&d.ascii, off))
                {
                    return Some(Lookalike {
                        brand: b,
                        why: format!("{off} written in front of {}", d.registrable),
                        letter_off: false,
                        among_words: false,
                    });
                }
            }
        }
        // a brand's bare name as a sub-domain counts only on a domain named for account
        // chores (amazon.verify-jp-account.com); elsewhere it is often a customer's name
        // at a service (brand.example-esp.com)
        let chore_domain = d
            .registrable_label()
            .split('-')
            .any(|p| ACCOUNT_CHORE_WORDS.contains(&p));
        let (sub_u, _) = idna::domain_to_unicode(sub);
        for l in sub_u.split('.') {
            match label_imitates(brands, l, chore_domain) {
                Some(l) if l.among_words => among_words = among_words.or(Some(l)),
                Some(l) => return Some(l),
                None => {}
            }
        }
    }
    // one letter off an official domain's name (amazom.co.jp)
    let label = d.registrable_label();
    if label.len() >= 5 {
        for (official, brand, domain) in brands.official_labels() {
            if official.len().abs_diff(label.len()) <= 1 && one_edit_apart(official, label) {
                return Some(Lookalike {
                    brand: *brand,
                    why: format!("one letter off {domain}"),
                    letter_off: true,
                    among_words: false,
                });
            }
        }
    }
    among_words
}

/// `host` ends with `.domain`.
fn ends_with_domain(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.ends_with('.'))
}

/// `host` has a label run that is `domain` glued to more by a hyphen
/// (`amazon.co.jp-account.example`: the reader sees `amazon.co.jp` and stops reading).
fn has_domain_then_dash(host: &str, domain: &str) -> bool {
    host.match_indices(domain).any(|(i, _)| {
        let starts_label = i == 0 || host.as_bytes().get(i - 1) == Some(&b'.');
        starts_label && host.as_bytes().get(i + domain.len()) == Some(&b'-')
    })
}

/// Does `domain` stand right before one of `host`'s hyphens (at `dashes`)? Needed for
/// [`has_domain_then_dash`] (its matches are some of these), and a few byte compares
/// instead of a substring search per official domain.
fn ends_before_dash(host: &str, dashes: &[usize], domain: &str) -> bool {
    let (h, n) = (host.as_bytes(), domain.len());
    dashes
        .iter()
        .any(|&p| p >= n && h.get(p - n..p) == Some(domain.as_bytes()))
}

/// `host` contains `domain.` (the official name written in front of more labels).
fn has_domain_label_run(host: &str, domain: &str) -> bool {
    host.match_indices(domain)
        .any(|(i, _)| host.as_bytes().get(i + domain.len()) == Some(&b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_prefilter_changes_nothing() {
        let brands = BrandSet::builtin().unwrap();
        let hosts = [
            "amazon.co.jp-account.example",
            "www.amazon.co.jp-login.example.net",
            "xamazon.co.jp-a.example",
            "a-amazon.co.jp-.example",
            "amazon.co.jp-amazon.co.jp-x.example",
            "paypal.com-secure-login.example",
            "-paypal.com",
            "paypal.com-",
            "my-paypal.com-x.example",
            "jpx.jpx.jp-evil.example",
            "a-b-c-d.example",
            "no-dashes-here",
            "",
            "-",
        ];
        let mut glued = 0;
        for host in hosts {
            let dashes: Vec<usize> = memchr::memchr_iter(b'-', host.as_bytes()).collect();
            for brand in brands.brands() {
                for off in brand.domains.sender.iter().chain(&brand.domains.link) {
                    // the prefilter never rules out a host the search would find
                    let want = has_domain_then_dash(host, off);
                    assert!(
                        !want || ends_before_dash(host, &dashes, off),
                        "{host} {off}"
                    );
                    glued += usize::from(want);
                }
                // an official domain glued on by a hyphen, in every brand
                for off in &brand.domains.sender {
                    let h = format!("x.{off}-{off}.example");
                    let dashes: Vec<usize> = memchr::memchr_iter(b'-', h.as_bytes()).collect();
                    assert!(has_domain_then_dash(&h, off), "{h}");
                    assert!(ends_before_dash(&h, &dashes, off), "{h}");
                }
            }
        }
        assert!(glued >= 3, "{glued}");
    }

    fn check(host: &str) -> Option<Lookalike> {
        let brands = BrandSet::builtin().unwrap();
        lookalike(&brands, &DomainInfo::parse(host).unwrap(), true)
    }

    // label_imitates without the end-byte shortcut
    fn reference_label_imitates(
        brands: &BrandSet,
        label: &str,
        whole_label_counts: bool,
    ) -> Option<Lookalike> {
        let label_sk = skeleton_lower(label);
        let parts: Vec<&str> = label.split('-').filter(|p| !p.is_empty()).collect();
        let has_lure_part = parts
            .iter()
            .any(|p| LURE_WORDS.contains(&p.to_ascii_lowercase().as_str()));
        let mut among = None;
        for part in parts.iter().filter(|p| p.len() >= 3) {
            let part_sk = skeleton_lower(part);
            let plain = part.to_ascii_lowercase();
            for (token_sk, brand, token_plain) in brands.skeletons() {
                let whole = parts.len() == 1 && whole_label_counts;
                let exact = plain == token_plain;
                if exact && parts.len() > 1 && among.is_none() {
                    among = Some((brand, token_plain));
                }
                let spoofed = !exact && part_sk == token_sk;
                // the name with a short random tag (`jppost-ab`, `amazon-x1`): kits make many
                // such hosts; a brand word among real words (`big-apple-pizza`) is not one
                let tagged = parts.len() == 2 && parts.iter().all(|p| p.len() <= 3 || *p == *part);
                if ((exact || spoofed) && (whole || has_lure_part || tagged))
                    || glued(&plain, token_plain)
                {
                    let why = if spoofed {
                        format!("{part:?} spells {token_plain:?} with look-alike letters")
                    } else {
                        format!("brand name {token_plain:?} inside the domain")
                    };
                    return Some(Lookalike {
                        brand,
                        why,
                        letter_off: false,
                        among_words: false,
                    });
                }
                if spoofed || glued(&part_sk, token_sk) {
                    return Some(Lookalike {
                        brand,
                        why: format!("{part:?} spells {token_plain:?} with look-alike letters"),
                        letter_off: false,
                        among_words: false,
                    });
                }
            }
        }
        // the whole label spelt like a brand with hyphens or letters changed (ama-zon)
        let joined = label_sk.replace('-', "");
        if label_sk.len() >= 5 && parts.len() > 1 {
            for (token_sk, brand, _) in brands.skeletons() {
                if joined == token_sk {
                    return Some(Lookalike {
                        brand,
                        why: format!("{label:?} imitates a brand name"),
                        letter_off: false,
                        among_words: false,
                    });
                }
            }
        }
        among.map(|(brand, token)| Lookalike {
            brand,
            why: format!("brand name {token:?} among other words in the domain"),
            letter_off: false,
            among_words: true,
        })
    }

    #[test]
    fn end_byte_shortcut_changes_nothing() {
        let brands = BrandSet::builtin().unwrap();
        let mut labels: Vec<String> = [
            "amazon",
            "arnazon",
            "amaz0n",
            "amazon-support",
            "info-amazon-membership",
            "amazonsecure",
            "secureamazon",
            "amazon123",
            "123amazon",
            "big-apple-pizza",
            "apple-x1",
            "jppost-ab",
            "ama-zon",
            "a-m-a-z-o-n",
            "\u{0430}mazon",
            "paypa1",
            "rnicrosoft",
            "micros0ft-login",
            "x",
            "",
            "-",
            "--amazon--",
            "amazonas-turismo",
            "login",
            "verify-account",
            "mufg-card",
            "smbc-login",
            "rakuten-pay1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // every brand token as it is, glued, tagged, with a lure word, and misspelt
        for (sk, _, plain) in brands.skeletons() {
            for l in [
                plain.to_string(),
                sk.to_string(),
                format!("{plain}login"),
                format!("login{plain}"),
                format!("{plain}-ab"),
                format!("secure-{plain}"),
                format!("{plain}42"),
                format!("x{plain}y"),
                plain.replace('o', "0"),
                plain.replacen(|c: char| c.is_ascii_alphabetic(), "-", 1),
            ] {
                labels.push(l);
            }
        }
        for label in &labels {
            for whole in [true, false] {
                assert_eq!(
                    format!("{:?}", label_imitates(&brands, label, whole)),
                    format!("{:?}", reference_label_imitates(&brands, label, whole)),
                    "label: {label}"
                );
            }
        }
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
        assert!(check("amazon.co.jp-account-verify.com").is_some());
        assert!(check("www.amazon.co.jp-login.example").is_some());
        assert!(check("jppost-ab.duckdns.org").is_some());
    }

    #[test]
    fn leaves_genuine_and_unrelated_domains() {
        assert!(check("www.amazon.co.jp").is_none());
        assert!(check("bounces.amazonses.com").is_none());
        assert!(check("s3.amazonaws.com").is_none());
        assert!(check("example.com").is_none());
        assert!(check("amazonas-turismo.com.br").is_none());
        assert!(check("amazing.com").is_none());
        assert!(check("apple.slashdot.org").is_none());
        // a brand word among other words is only a weak finding, left to the message
        for host in ["big-apple-pizza.com", "epos-systems.com"] {
            assert!(check(host).is_none_or(|l| l.among_words), "{host}");
        }
    }
}
