//! `official_sender_authenticated` (genuine side): a DKIM signature of the From's own
//! (official brand) domain verified, by a trusted verifier, every web link goes to that
//! brand's official domains, and nothing asks for secrets. This is what genuine brand
//! mail looks like and what a forger cannot produce; it adds to
//! `official_sender_official_links`, which judges by the envelope path alone.

use super::{Context, auth_evidence, party_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let (Some(auth), Some((from, from_d))) = (cx.auth, cx.from_with_domain()) else {
        return Vec::new();
    };
    let Some((ix, crate::brands::Ownership::Sender)) = cx.brands.owner(from_d) else {
        return Vec::new();
    };
    let Some(dkim) = auth.aligned_dkim_pass(from_d) else {
        return Vec::new();
    };
    // a verified signature, but DMARC says otherwise: believe neither
    if !matches!(cx.from_auth(), crate::auth::FromAuth::Authenticated(_)) {
        return Vec::new();
    }
    let Some(links) = cx.only_official_links(ix) else {
        return Vec::new();
    };
    let brand = cx.brands.get(ix).map_or("", |b| b.id.as_str());
    vec![
        party_evidence(from).with_detail(format!(
            "official {brand} sender; {links} link(s), all to official {brand} domains"
        )),
        auth_evidence(auth, dkim),
    ]
}
