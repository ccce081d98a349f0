//! `sms_lure_link`: a text message with lure wording (a parcel held back, a locked account,
//! a failed payment, a prize) and a link to a site that belongs to no known brand.
//! Companies that text their customers link to their own sites; smishing links anywhere
//! else (a fresh domain, a short URL), and an SMS gives no sender address to check, so
//! the link is the one thing to judge. In mail the same pair is common in ordinary
//! newsletters, so this is for SMS only.

use super::{Context, LURE_WORDING, link_evidence};
use crate::message::Kind;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    if cx.msg.kind != Kind::Sms {
        return Vec::new();
    }
    let unowned = cx
        .web_links()
        .find(|(_, l)| l.host.as_ref().is_some_and(|h| !cx.brands.is_owned(h)));
    let Some((i, link)) = unowned else {
        return Vec::new();
    };
    let Some(wording) = LURE_WORDING
        .iter()
        .find(|c| !cx.phrase_evidence(c).is_empty())
    else {
        return Vec::new();
    };
    let host = link.host.as_ref().map_or("", |h| h.unicode.as_str());
    vec![link_evidence(i, link).with_detail(format!(
        "{host} belongs to no known company, in a text with {}",
        wording.trim_end_matches("_wording").replace('_', " ")
    ))]
}
