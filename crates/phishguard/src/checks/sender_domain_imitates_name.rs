//! `sender_domain_imitates_name`: the sender registered a domain dressed up as the name it
//! shows — "Trust Wallet <noreply@support-trustwallet.example>", "Ledger <x@ledger-secure.example>" —
//! the display name's words glued to a lure word (support, secure, verify, login …). This
//! catches the look-alike trick for brands phishguard has no file for. A company's own
//! domain is its name alone (`booking.com`), without the lure word.

use super::{Context, party_evidence};
use crate::report::Evidence;

/// Words that dress a name up as an official service (a subset of the look-alike lure
/// words: "mail", "info", "online" are ordinary in companies' own sending domains).
const DRESSING: &[&str] = &[
    "support",
    "secure",
    "security",
    "login",
    "signin",
    "verify",
    "verification",
    "update",
    "account",
    "accounts",
    "auth",
    "billing",
    "helpdesk",
    "official",
    "validation",
    "wallet",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let (Some(name), Some(d)) = (&from.name, &from.domain) else {
        return Vec::new();
    };
    if cx.brands.is_owned(d) {
        return Vec::new();
    }
    let joined: String = crate::text::NormText::new(name, 256)
        .text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    if joined.len() < 5 {
        return Vec::new();
    }
    let label = d.registrable_label().to_ascii_lowercase();
    let parts: Vec<&str> = label.split('-').collect();
    let lure_part = parts.iter().any(|p| DRESSING.contains(p));
    let name_part = parts.iter().any(|p| *p == joined);
    // `label` is the word and the name glued either way (compared in place, no strings)
    let glued = DRESSING.iter().any(|w| {
        label.len() == w.len() + joined.len()
            && ((label.starts_with(w) && label.ends_with(joined.as_str()))
                || (label.starts_with(joined.as_str()) && label.ends_with(w)))
    });
    if (lure_part && name_part && parts.len() > 1) || glued {
        return vec![party_evidence(from).with_detail(format!(
            "{} dresses the name {name:?} with a lure word",
            d.registrable
        ))];
    }
    Vec::new()
}
