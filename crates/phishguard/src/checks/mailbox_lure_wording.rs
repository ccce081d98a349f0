//! `mailbox_lure_wording`: account-maintenance lures for a mailbox or work account — the
//! mailbox is full, messages are held back, a voicemail, fax or shared document waits, the
//! password expires. Each one leads to a sign-in page. Phrases: the `mailbox_lure` group of
//! `data/phrases.toml`.

use super::Context;
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    // a bounce says the *recipient's* mailbox is full: that is news, not bait
    if cx.msg.is_delivery_report {
        return Vec::new();
    }
    cx.phrase_evidence("mailbox_lure_wording")
}
