//! `display_name_address_mismatch`: the display name is itself a mail address
//! (`"service@bank.example" <x@elsewhere.example>`) at another domain than the real sender —
//! mail programs show the name, so the reader sees a sender that is not the sender.

use super::{Context, party_evidence};
use crate::domain::{DomainInfo, address_domain};
use crate::report::Evidence;

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let (Some(name), Some(real)) = (&from.name, &from.domain) else {
        return Vec::new();
    };
    let shown = name
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '(' | ')' | ','))
        .find_map(|tok| {
            // an address, not a bare domain: "Booking.com <…@mailer.example>" style names
            // are everyday ESP practice, and new TLDs make many words look like domains
            let host = address_domain(tok)?;
            let host = host.trim_matches(|c: char| !c.is_alphanumeric());
            if !host.contains('.') {
                return None;
            }
            let d = DomainInfo::parse(host)?;
            // a real public suffix, not "Mr.Smith" or "v1.2"
            psl::suffix(d.ascii.as_bytes()).filter(|s| s.is_known())?;
            Some(d)
        });
    let Some(shown) = shown else {
        return Vec::new();
    };
    if shown.registrable == real.registrable {
        return Vec::new();
    }
    if let (Some((a, _)), Some((b, _))) = (cx.brands.owner(&shown), cx.brands.owner(real))
        && a == b
    {
        return Vec::new();
    }
    vec![party_evidence(from).with_detail(format!(
        "shows {} but the address is at {}",
        shown.unicode, real.registrable
    ))]
}
