//! `freemail_sender_as_organisation`: the display name speaks as an organisation's
//! department — support, billing, security, invoice, 事務局, カスタマーセンター — but the
//! address is a personal free-mail one. (For known brands `freemail_sender_for_brand`
//! says more; this covers the rest.)

use super::{Context, party_evidence};
use crate::report::Evidence;
use crate::text::NormText;

/// Words that make a sender name an organisation's function rather than a person.
const ORG_WORDS: &[&str] = &[
    "support",
    "service",
    "customer service",
    "billing",
    "invoice",
    "security",
    "account team",
    "administrator",
    "admin",
    "helpdesk",
    "help desk",
    "department",
    "notification",
    "no-reply",
    "noreply",
    "bank",
    "compliance",
    "fatura",
    "rechnung",
    "facture",
    "factura",
    "kundenservice",
    "atendimento",
    "カスタマー",
    "サポート",
    "事務局",
    "センター",
    "お客様窓口",
    "セキュリティ",
    "運営",
];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let Some(from) = &cx.msg.from else {
        return Vec::new();
    };
    let (Some(name), Some(d)) = (&from.name, &from.domain) else {
        return Vec::new();
    };
    if !cx.freemail.contains(d) || cx.brands.owner(d).is_some_and(|(b, _)| cx.from_is_brand(b)) {
        return Vec::new();
    }
    let n = NormText::new(name, 256).text;
    let word = ORG_WORDS.iter().find(|w| {
        n.match_indices(*w).any(|(i, m)| {
            let before = n.get(..i).and_then(|p| p.chars().last());
            let after = n.get(i + m.len()..).and_then(|p| p.chars().next());
            !(w.is_ascii()
                && (before.is_some_and(|c| c.is_ascii_alphanumeric())
                    || after.is_some_and(|c| c.is_ascii_alphanumeric())))
        })
    });
    match word {
        Some(w) => vec![party_evidence(from).with_detail(format!("{w:?} from {}", d.registrable))],
        None => Vec::new(),
    }
}
