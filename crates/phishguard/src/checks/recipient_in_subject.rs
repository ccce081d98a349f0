//! `recipient_in_subject`: the recipient's own address is pasted into the subject or the
//! sender's display name — "john.doe@example.com, your account …" — the mark of a
//! bulk mail merged from an address list, not of a company that knows its customer.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut out = Vec::new();
    for to in &cx.msg.to {
        let Some(addr) = &to.address else { continue };
        // the whole address: a user name alone may be a list's name ("[exmh-users] …")
        let needle = addr.to_ascii_lowercase();
        if !needle.contains('@') || needle.len() < 6 {
            continue;
        }
        let needle = needle.as_str();
        let subject = cx.msg.subject.to_ascii_lowercase();
        if let Some(pos) = subject.find(needle) {
            out.push(
                Evidence::span("header:Subject", &cx.msg.subject, pos, pos + needle.len())
                    .with_detail(format!("recipient {addr}")),
            );
        }
        if let Some(from) = &cx.msg.from
            && from
                .name
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(needle))
        {
            out.push(
                party_evidence(from).with_detail(format!("recipient {addr} in the sender's name")),
            );
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}
