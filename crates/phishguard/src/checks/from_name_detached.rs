//! `from_name_detached`: the From header puts the shown name in an entry of its own,
//! without an address (`Brand Team, <x@elsewhere.example>`). No mail program writes
//! that; senders do it so that the reader sees the name while filters that read the
//! name beside the address find none.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    match &cx.msg.from {
        Some(from) if from.detached_name && from.name.is_some() => vec![
            party_evidence(from)
                .with_detail("the name and the address are separate entries of the header"),
        ],
        _ => Vec::new(),
    }
}
