//! `auth_results_forged`: an `Authentication-Results` header written by a host the user
//! does not trust claims that a brand's official From domain passed (DKIM, DMARC or
//! SPF), while the trusted results for the same message say it did not. Someone put a
//! fake "verified" stamp into the mail. Without trusted results nothing can be told
//! forged from genuine, and this check says nothing.

use super::{Context, auth_evidence};
use crate::auth::{FromAuth, Outcome};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((_, from_d)) = cx.from_with_domain() else {
        return Vec::new();
    };
    if !matches!(
        cx.brands.owner(from_d),
        Some((_, crate::brands::Ownership::Sender))
    ) {
        return Vec::new();
    }
    let FromAuth::Failed(_) = cx.from_auth() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for h in cx.untrusted_auth() {
        for r in &h.results {
            if r.result == Outcome::Pass && r.aligned_with(from_d) {
                out.push(auth_evidence(h, r).with_detail(format!(
                    "{}; claims pass for {}, which the trusted results contradict",
                    h.source_note(),
                    from_d.registrable
                )));
            }
            if out.len() >= 4 {
                return out;
            }
        }
    }
    out
}
