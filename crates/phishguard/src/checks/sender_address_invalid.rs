//! `sender_address_invalid`: the From address is not one mail could be sent back to (two
//! `@`, brackets or spaces inside, a broken domain or one with characters no domain has,
//! or a domain without a dot under a display name). Local mail systems write dotless
//! domains for their daemons and their users' own addresses; those are not counted.
//! Mail systems write valid addresses; a made-up one hides who sent the mail.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let Some(address) = &from.address else {
        return Vec::new();
    };
    match address_problem(address).or_else(|| dotless_problem(cx, from, address)) {
        Some(problem) => vec![party_evidence(from).with_detail(problem)],
        None => Vec::new(),
    }
}

/// A domain without a dot under a display name (`Correios <no-reply@correios952>`): no
/// internet domain, dressed up as a company. Local systems write dotless domains too, but
/// for their own daemons (`MAILER-DAEMON@mailhub`) or for the recipient's own address
/// (mail the reader forwarded to themselves), so those are left alone.
fn dotless_problem(
    cx: &Context,
    from: &crate::message::Party,
    address: &str,
) -> Option<&'static str> {
    let (local, domain) = address.rsplit_once('@')?;
    if domain.is_empty() || domain.contains('.') || domain.starts_with('[') {
        return None;
    }
    from.name.as_ref()?;
    let daemon = ["mailer-daemon", "postmaster", "root", "nobody", "daemon"]
        .iter()
        .any(|d| local.eq_ignore_ascii_case(d));
    let own = cx.msg.to.iter().any(|t| {
        t.address
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(address))
    });
    (!daemon && !own && !cx.msg.is_delivery_report)
        .then_some("the domain has no dot: it is no internet domain")
}

/// What makes `address` impossible as a sender address, if anything.
pub fn address_problem(address: &str) -> Option<&'static str> {
    if address.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',')) {
        return Some("the address holds brackets, commas or spaces");
    }
    let (local, domain) = address.rsplit_once('@')?;
    if local.is_empty() || local.contains('@') {
        return Some("the address has no single @");
    }
    // a domain without a dot is left alone: local hosts (`MAILER-DAEMON@mailhub`) write
    // those, and so do corpora that blank out addresses
    if domain.is_empty()
        || domain.starts_with(['.', '-'])
        || domain.ends_with(['.', '-'])
        || domain.contains("..")
    {
        return Some("the domain name is broken");
    }
    if domain
        .chars()
        .any(|c| !(c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return Some("the domain holds characters no domain name has");
    }
    None
}
