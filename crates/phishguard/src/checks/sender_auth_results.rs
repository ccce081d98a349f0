//! `sender_auth_results` (weight 0, information): the trusted SPF, DKIM, DMARC and ARC
//! results, each with the header (or the live check) it came from, so the reader sees
//! what the verdict rests on.

use super::{Context, auth_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(auth) = cx.auth else {
        return Vec::new();
    };
    auth.results
        .iter()
        .take(8)
        .map(|r| auth_evidence(auth, r))
        .collect()
}
