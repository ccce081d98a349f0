//! `official_links_only` (genuine side): a mail that claims a brand and whose every link
//! goes to that brand's official sites, with nothing else to act on (no attachment, no
//! phone number, no address to write to). Where a link goes cannot be faked, so this
//! tempers the sender checks when the brand writes from a domain phishguard does not list.
//! From an official sender `official_sender_official_links` says more, and this stays out.

use super::Context;
use crate::message::Kind;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let m = cx.msg;
    if m.kind != Kind::Mail || !m.attachments.is_empty() || !m.attached_messages.is_empty() {
        return Vec::new();
    }
    let Some((ix, brand)) = cx.brand() else {
        return Vec::new();
    };
    if cx
        .msg
        .from
        .as_ref()
        .and_then(|f| f.domain.as_ref())
        .is_some_and(|d| cx.brands.is_official_sender(ix, d))
    {
        return Vec::new();
    }
    // a reply or a call is the way out of callback scams that link only to the brand
    if !m.reply_to.is_empty()
        || m.links.iter().any(|l| !l.is_web())
        || super::sms_nothing_to_act_on::has_phone_number(&m.body_norm.text)
    {
        return Vec::new();
    }
    cx.official_links_evidence(ix, &brand.id)
}
