//! `official_sender_official_links` (genuine side): the message comes from an official
//! sender domain of the brand it claims, every web link goes to that brand's official
//! domains, and the envelope sender (when present) belongs to the brand too. Real
//! suspension and payment notices look like this; wording alone must not outweigh it.
//! When trusted sender authentication says the From is forged, this does not fire
//! (`official_sender_auth_fail` does); when it says the From's domain signed the mail,
//! `official_sender_authenticated` adds to this.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, brand)) = cx.brand() else {
        return Vec::new();
    };
    let Some((from, d)) = cx.from_with_domain() else {
        return Vec::new();
    };
    if !cx.brands.is_official_sender(ix, d)
        || matches!(cx.from_auth(), crate::auth::FromAuth::Failed(_))
    {
        return Vec::new();
    }
    let path_ok = cx.msg.return_path.iter().chain(&cx.msg.sender).all(|p| {
        p.domain
            .as_ref()
            .is_none_or(|pd| cx.brands.owner(pd).is_some_and(|(b, _)| b == ix))
    });
    if !path_ok {
        return Vec::new();
    }
    let Some(links) = cx.only_official_links(ix) else {
        return Vec::new();
    };
    vec![super::party_evidence(from).with_detail(format!(
        "official {} sender; {links} link(s), all to official {} domains",
        brand.id, brand.id
    ))]
}
