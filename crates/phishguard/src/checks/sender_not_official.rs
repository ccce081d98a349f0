//! `sender_not_official`: the message claims a brand, but the sender's domain is not one the
//! brand sends from. A missing From (pasted text) is not evidence.

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, brand)) = cx.asserted_brand() else {
        return Vec::new();
    };
    let Some((from, domain)) = cx.from_with_domain() else {
        return Vec::new();
    };
    if cx.from_is_brand(ix) {
        return Vec::new();
    }
    vec![party_evidence(from).with_detail(format!(
        "{} is not an official sender domain of {}",
        domain.registrable, brand.id
    ))]
}
