//! `reward_claim_pressure`: a prize said to be set aside for the reader and waiting to be
//! collected — "your reward is waiting", "you haven't claimed your gift yet", "you have
//! been selected to receive", "you are our winner", a free product for answering a short
//! survey — or a prize mail that calls itself the "3rd attempt" to reach the reader. Shops
//! announce offers; they do not chase a stranger to collect a gift. The "attempt" wording
//! counts only beside prize wording (a thread about a second attempt at a patch is not one).

use super::Context;
use super::wording_pattern::{evidence, matches, preceded_by};
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

const GIFT_EN: &str = r"(?:reward|gift|prize|bonus|voucher|winnings)s?";

static WAITING: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let g = GIFT_EN;
    let pattern = [
        // en
        format!(
            r"\byour (?:[\w-]+ ){{0,3}}{g} (?:is|are|has been|have been) (?:still |now )?(?:waiting|ready|on hold|reserved|pending|unclaimed|awaiting|approved|confirmed)\b"
        ),
        format!(r"\b{g} (?:is|are) (?:still )?waiting for you"),
        r"\byour (?:[\w-]+ ){0,2}(?:money|cash|funds) (?:is|are) (?:still )?waiting\b".to_string(),
        format!(r"\byour (?:[\w-]+ ){{0,2}}{g} (?:has|have) (?:just )?arrived\b"),
        format!(r"\byou['’]?(?:ve| have) been (?:selected|chosen) for (?:an? |our )?(?:[\w-]+ ){{0,2}}{g}\b"),
        r"\b(?:haven['’]t|have not|did not|didn['’]t) (?:yet )?(?:claimed|opened|accepted|accessed|redeemed|collected) (?:your|the) ".to_string(),
        r"\byou['’]?(?:ve| have) been (?:selected|chosen|picked) to (?:receive|win|get)\b".to_string(),
        r"\byou are (?:one of )?our (?:[\w-]+ )?winners?\b|\byou['’]re our (?:[\w-]+ )?winner\b".to_string(),
        r"\byour name came up\b".to_string(),
        // free tokens set aside: "your SCR tokens are ready", "eligible to claim"
        r"\byour (?:[\w$-]+ ){0,2}(?:tokens?|coins?|airdrop|allocation) (?:is|are) (?:now )?(?:ready|live|available|waiting|unlocked)\b".to_string(),
        r"\b(?:you are|you['’]re|you have been|you['’]ve been) (?:now )?(?:eligible|qualified|approved) to (?:claim|receive|collect)\b".to_string(),
        r"\bregister to claim\b".to_string(),
        r"\b(?:answer|complete|take|fill (?:in|out)) (?:a |our |this |the )?(?:[\w-]+ ){0,3}(?:survey|questionnaire|questions)\W+(?:[\w-]+\W+){0,12}(?:to (?:receive|claim|get|win)|and (?:receive|claim|get|win))".to_string(),
        r"\banswer (?:&|and) win\b".to_string(),
        // de
        r"\bihre? (?:[\w-]+ ){0,2}(?:belohnung|prämie|geschenk|gewinn|preis|gutschein) (?:wartet|ist bereit|liegt bereit|steht bereit)".to_string(),
        r"\bsie wurden (?:[\w-]+ )?ausgewählt,? (?:um )?(?:[\w-]+ ){0,6}zu (?:erhalten|gewinnen)".to_string(),
        r"\bum (?:[\w-]+ ){0,3}(?:gewinn|geschenk|preis|prämie|produkt) zu erhalten".to_string(),
        r"\b(?:nehmen sie an|beantworten sie) (?:unserer |einer |der )?(?:kurzen )?(?:umfrage|fragen)\W+(?:[\w-]+\W+){0,10}(?:erhalten|gewinnen)".to_string(),
        // fr
        r"\bvotre (?:[\w-]+ ){0,2}(?:cadeau|récompense|prix|lot|bon) (?:vous attend|est prêt|est disponible|est réservé)".to_string(),
        r"\bvous avez été (?:sélectionnée?|choisie?) pour (?:recevoir|gagner)".to_string(),
        // nl
        r"\b(?:je|jouw|uw) (?:[\w-]+ ){0,2}(?:beloning|cadeau|prijs|cadeaukaart|cadeaubon) (?:wacht|staat klaar|ligt klaar|is gereserveerd)".to_string(),
        r"\b(?:je bent|u bent|bent u|ben je) (?:[\w-]+ )?(?:geselecteerd|gekozen) om (?:[\w-]+ ){0,6}(?:te ontvangen|te winnen)".to_string(),
        r"\b(?:neem|vul) (?:deel aan )?(?:een|onze|de) (?:korte )?(?:enquête|vragenlijst)\W+(?:[\w-]+\W+){0,8}(?:win|ontvang)".to_string(),
        // pt / es / it
        r"\bseu (?:[\w-]+ ){0,2}(?:prêmio|presente|brinde|recompensa) (?:está (?:esperando|aguardando|disponível|reservado)|aguarda|espera)".to_string(),
        r"\bvocê foi (?:selecionad[oa]|escolhid[oa]) para (?:receber|ganhar)".to_string(),
        r"\btu (?:[\w-]+ ){0,2}(?:premio|regalo|recompensa) (?:te espera|está (?:esperando|listo|disponible|reservado))".to_string(),
        r"\b(?:has|ha) sido (?:seleccionad[oa]|elegid[oa]) para (?:recibir|ganar)".to_string(),
        r"\bil tuo (?:[\w-]+ ){0,2}(?:premio|regalo|omaggio) (?:ti aspetta|è pronto|è disponibile)".to_string(),
        r"\bsei stat[oa] (?:selezionat[oa]|scelt[oa]) per (?:ricevere|vincere)".to_string(),
        // ja
        r"(?:特典|景品|賞品|プレゼント|ギフト)(?:が|を)(?:お待ち|受け取り待ち|未受け取り|保留)".to_string(),
        r"(?:アンケート|質問)に(?:回答|答え)[^。]{0,20}(?:プレゼント|もらえ|受け取|当た)".to_string(),
    ]
    .join("|");
    Regex::new(&pattern).ok()
});

/// "3rd attempt", "final attempt", "letzter Versuch", and an invitation to a survey
/// ("you have been selected to take part in our survey"): these count beside prize wording
/// only (genuine research surveys invite people too).
static BESIDE_PRIZE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\byou['’]?(?:ve| have) been (?:selected|chosen|invited) to (?:participate|take part) in (?:a|our|this) (?:[\w-]+ ){0,3}(?:survey|questionnaire)|\bsie wurden (?:[\w-]+ )?ausgewählt,? (?:um )?(?:[\w-]+ ){0,6}teilzunehmen|\b(?:je bent|u bent|bent u|ben je) (?:[\w-]+ )?(?:geselecteerd|gekozen) om deel te nemen|\b\d\s?(?:st|nd|rd|th) (?:attempt|notice|reminder)\b|\b(?:final|last) attempt\b|\bletzter versuch\b|\bdernière tentative\b|\búltima tentativa\b|\búltimo intento\b|\blaatste poging\b|\bultimo tentativo\b",
    )
    .ok()
});

/// Words that make the sentence a report about the lure, not the lure.
const DISCUSSION: &[&str] = &["scam", "fraud", "beware", "phishing ", "詐欺"];

pub fn run(cx: &Context) -> Vec<Evidence> {
    let mut found = Vec::new();
    if let Some(re) = WAITING.as_ref() {
        found = matches(cx, re, true, 4)
            .into_iter()
            .filter(|m| !preceded_by(&m.norm.text, m.start, DISCUSSION, 60))
            .collect();
    }
    // prize wording as `prize_lure_wording` counts it (two phrases, or one in the subject)
    let prize_worded = !cx.phrase_evidence("prize_lure_wording").is_empty();
    if let (true, Some(re)) = (prize_worded, BESIDE_PRIZE.as_ref()) {
        found.extend(matches(cx, re, false, 1));
    }
    evidence(&found, 3)
}
