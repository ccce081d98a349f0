//! `callback_dispute_lure`: a receipt for an order, renewal or charge the reader never made,
//! with a telephone number to call "if you did not authorise this" or "to cancel or get a
//! refund". The receipt is invented; the number reaches the scammer, who talks the caller
//! into remote access or a "refund" payment. Genuine receipts point to the account page or
//! the number on the back of the card, not a number near the dispute sentence.

use super::Context;
use super::wording_pattern::{Match, matches};
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

/// How close (in normalised bytes) the telephone number must be to the dispute sentence.
const NEAR: usize = 300;

/// "If you did not make this purchase", "to cancel your subscription", "for a refund".
static DISPUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let pattern = [
        // en
        r"(?-u:\b)if (?:you )?(?:did not|didn['’]t|do not|don['’]t|have not|haven['’]t) (?:make|made|authori[sz]e|authori[sz]ed|place|placed|order|ordered|request|requested|recogni[sz]e|initiate|initiated|approve|approved)(?-u:\b)",
        r"(?-u:\b)if this (?:was not|wasn['’]t|is not|isn['’]t) (?:you|your (?:order|purchase|transaction|doing))",
        r"(?-u:\b)to (?:cancel|dispute|stop|reverse) (?:this|your|the) (?:[0-9a-z_à-ÿ-]+ )?(?:order|subscription|renewal|payment|transaction|charge|purchase|membership|plan)",
        r"(?-u:\b)(?:for|request|claim) (?:a |an |your )?(?:full |instant )?refund(?-u:\b)",
        r"(?-u:\b)unauthori[sz]ed (?:charge|transaction|purchase|payment|order)",
        // de / fr / nl
        r"(?-u:\b)falls sie (?:diese|den|die) (?:[0-9a-z_à-ÿ-]+ ){0,2}nicht (?:getätigt|autorisiert|bestellt|veranlasst)",
        r"(?-u:\b)(?:zur|für eine) (?:stornierung|rückerstattung)(?-u:\b)",
        r"(?-u:\b)si vous n['’]avez pas (?:effectué|autorisé|passé|commandé|reconnu)",
        r"(?-u:\b)pour (?:annuler|contester|obtenir un remboursement)",
        r"(?-u:\b)als (?:u|je) (?:deze|dit) (?:[0-9a-z_à-ÿ-]+ ){0,2}niet (?:heeft|hebt|hebben) (?:gedaan|geplaatst|goedgekeurd)",
        r"(?-u:\b)om (?:deze|uw|je) (?:[0-9a-z_à-ÿ-]+ ){0,2}te annuleren",
        // pt / es / it
        r"(?-u:\b)se (?:você )?não (?:fez|realizou|autorizou|reconhece|solicitou) (?:esta|essa|este|esse)",
        r"(?-u:\b)para (?:cancelar|contestar|solicitar (?:o )?reembolso)",
        r"(?-u:\b)si (?:usted )?no (?:realizó|autorizó|reconoce|solicitó|realizaste|autorizaste|reconoces|solicitaste)",
        r"(?-u:\b)se non (?:hai|ha) (?:effettuato|autorizzato|richiesto|riconosci)",
        r"(?-u:\b)per (?:annullare|contestare|richiedere (?:il )?rimborso)",
        // ja
        r"身に覚えのない|心当たりのない|心当たりがない|キャンセルをご希望|返金をご希望",
    ]
    .join("|");
    Regex::new(&pattern).ok()
});

/// A telephone number written to be dialled: international (+1 808 555 0134), or North
/// American with separators (1-888-555-0134, (808) 555-0134), or a Japanese free dial.
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,3}(?-u:\b)|(?-u:\b)1[\s.-]?\(?[2-9]\d{2}\)?[\s.-]\d{3}[\s.-]\d{4}(?-u:\b)|\(\d{3}\)\s?\d{3}[\s.-]\d{4}(?-u:\b)|(?-u:\b)[2-9]\d{2}[.-]\d{3}[.-]\d{4}(?-u:\b)|(?-u:\b)0120[\s-]?\d{2,3}[\s-]?\d{3,4}(?-u:\b)",
    )
    .ok()
});

/// Receipt wording: the mail must be about an order, charge or renewal.
static RECEIPT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:order|invoice|receipt|renewal|subscription|purchase|transaction|payment|charged|billing|membership|pedido|fatura|factura|recibo|assinatura|suscripción|bestellung|rechnung|abonnement|commande|facture|bestelling|factuur|ordine|fattura|abbonamento)(?-u:\b)|ご注文|ご請求|領収|更新料|決済",
    )
    .ok()
});

pub fn run(cx: &Context) -> Vec<Evidence> {
    // (each pattern is built when a mail first gets that far)
    let Some(receipt) = RECEIPT.as_ref() else {
        return Vec::new();
    };
    let body = &cx.msg.body_norm.text;
    if !(receipt.is_match(body) || receipt.is_match(&cx.msg.subject_norm.text)) {
        return Vec::new();
    }
    let Some(phone) = PHONE.as_ref() else {
        return Vec::new();
    };
    let phones: Vec<(usize, usize)> = phone
        .find_iter(body)
        .filter(|m| m.as_str().chars().filter(char::is_ascii_digit).count() >= 10)
        .map(|m| (m.start(), m.end()))
        .take(20)
        .collect();
    if phones.is_empty() {
        return Vec::new();
    }
    let Some(dispute) = DISPUTE.as_ref() else {
        return Vec::new();
    };
    let found: Vec<Match> = matches(cx, dispute, true, 8)
        .into_iter()
        .filter(|m| m.location == "body.text")
        .collect();
    for m in &found {
        let near = phones
            .iter()
            .find(|(s, e)| *s < m.end + NEAR && m.start < *e + NEAR);
        if let Some(&(s, e)) = near {
            let mut out: Vec<Evidence> = m.evidence().into_iter().collect();
            if let Some((os, oe)) = cx.msg.body_norm.original_range(s, e) {
                out.push(
                    Evidence::span("body.text", &cx.msg.body, os, oe)
                        .with_detail("a number to call about a charge you did not make"),
                );
            }
            return out;
        }
    }
    Vec::new()
}
