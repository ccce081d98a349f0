//! `link_off_brand`: the message claims a brand, but links go to domains that are not the
//! brand's. Where a link really goes cannot be spoofed, so this weighs heavily.

use super::{Context, link_evidence};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some((ix, brand)) = cx.asserted_brand() else {
        return Vec::new();
    };
    // From an official sender, links to the brand's own infrastructure (image buckets,
    // click tracking) are its own; from anyone else they may be phishing pages hosted there.
    let official_sender = cx
        .msg
        .from
        .as_ref()
        .and_then(|f| f.domain.as_ref())
        .is_some_and(|d| cx.brands.is_official_sender(ix, d));
    // Mail from a person at the company (jane@apple.com on a mailing list) links wherever
    // the conversation goes: only a message that also presents itself as the brand (name,
    // subject, logo) is held to the brand's links.
    let presented = cx.claim.is_some_and(|c| {
        c.via
            .iter()
            .any(|w| matches!(*w, "display_name" | "subject" | "alt_text"))
    });
    if official_sender && !presented {
        return Vec::new();
    }
    // The brand's own signature, verified by a trusted host: the brand sent it, and where
    // its links go (a mailing service's click tracking) is its own choice. Without trusted
    // results an official From may be forged, so the links are still held to its sites.
    if official_sender
        && cx.auth.is_some()
        && matches!(cx.from_auth(), crate::auth::FromAuth::Authenticated(_))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let (mut off, mut total) = (0usize, 0usize);
    for (i, l) in cx.web_links() {
        let Some(host) = &l.host else { continue };
        // an app listing or the brand's social profile is neither its site nor a lure
        if cx.is_profile_link(l) {
            continue;
        }
        total += 1;
        // a redirector on the brand's own name goes wherever its link says, unless the
        // brand itself sent the mail
        let redirect = !official_sender && cx.is_redirect(l);
        if !redirect
            && (cx.brands.is_official_link(ix, host)
                || (official_sender && cx.brands.owner(host).is_some_and(|(b, _)| b == ix)))
        {
            continue;
        }
        off += 1;
        if out.len() < 8 {
            out.push(
                link_evidence(i, l)
                    .with_detail(format!("{} is not a {} domain", host.unicode, brand.id)),
            );
        }
    }
    // From an official sender, a stray third-party link among the brand's own (a help
    // article, a partner) is not the lure; most links going elsewhere is.
    if official_sender && off * 3 < total {
        return Vec::new();
    }
    out
}
