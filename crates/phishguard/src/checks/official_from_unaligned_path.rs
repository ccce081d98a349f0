//! `official_from_unaligned_path`: From uses a brand's official domain, but the envelope
//! sender (Return-Path) or Sender header is an unrelated domain — the From may be forged.
//! A missing Return-Path is not evidence, and neither is an unrelated path when trusted
//! sender authentication shows the From's domain signed the mail (a brand's mail sent
//! through a mailing service).

use super::{Context, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((from, from_d)) = cx.from_with_domain() else {
        return Vec::new();
    };
    let Some((brand, crate::brands::Ownership::Sender)) = cx.brands.owner(from_d) else {
        return Vec::new();
    };
    if matches!(cx.from_auth(), crate::auth::FromAuth::Authenticated(_)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in cx.msg.return_path.iter().chain(&cx.msg.sender) {
        let Some(d) = &p.domain else { continue };
        if cx.brands.owner(d).is_some_and(|(b, _)| b == brand) {
            continue;
        }
        out.push(party_evidence(p).with_detail(format!(
            "From is {}, but {} is {}",
            from_d.registrable, p.header, d.registrable
        )));
    }
    if !out.is_empty() {
        out.insert(0, party_evidence(from));
    }
    out
}
