//! `sms_official_links` (genuine side): a text message that names a brand and links only
//! to that brand's official sites. An SMS has no sender address to check, so its links are
//! the one thing that cannot be dressed up; genuine notices from banks and carriers ("we
//! stopped a suspicious charge, check it in the app") look like this and must not be
//! flagged for their wording alone.

use super::Context;
use crate::message::Kind;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    if cx.msg.kind != Kind::Sms {
        return Vec::new();
    }
    let Some((ix, brand)) = cx.brand() else {
        return Vec::new();
    };
    // every link, whatever its scheme, must be a web link to the brand
    if cx.msg.links.iter().any(|l| !l.is_web()) {
        return Vec::new();
    }
    cx.official_links_evidence(ix, &brand.id)
}
