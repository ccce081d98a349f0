//! `sender_address_invalid`: the From address is not one mail could be sent back to (two
//! `@`, brackets or spaces inside, a domain without a dot or with characters no domain
//! has). A domain without a dot is not counted: local mail systems
//! write those. Mail systems write valid addresses; a made-up one hides who sent the mail.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let Some(address) = &from.address else {
        return Vec::new();
    };
    match address_problem(address) {
        Some(problem) => vec![party_evidence(from).with_detail(problem)],
        None => Vec::new(),
    }
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
