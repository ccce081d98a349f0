//! `official_sender_auth_fail`: From uses a brand's official sender domain, but the
//! trusted sender authentication says that domain did not send it: DMARC failed, or DKIM
//! was checked and no signature of the From's domain verified (nor an aligned SPF pass).
//! The From is forged. A check that could not be completed (`temperror`, a DNS failure)
//! is never evidence; without trusted results this check says nothing.

use super::{Context, auth_evidence, party_evidence};
use crate::auth::FromAuth;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let (Some(auth), Some((from, from_d))) = (cx.auth, cx.from_with_domain()) else {
        return Vec::new();
    };
    let Some((_, crate::brands::Ownership::Sender)) = cx.brands.owner(from_d) else {
        return Vec::new();
    };
    let FromAuth::Failed(results) = cx.from_auth() else {
        return Vec::new();
    };
    let mut out = vec![party_evidence(from)];
    let dkim_checked = results
        .iter()
        .any(|r| r.method == crate::auth::Method::Dkim);
    out.extend(results.iter().map(|r| auth_evidence(auth, r)));
    if !dkim_checked {
        out.push(
            Evidence::whole(auth.location.clone(), "dkim")
                .with_detail(format!("no DKIM signature of {}", from_d.registrable)),
        );
    }
    out
}
