//! `reward_claim_pressure`: a prize said to be set aside for the reader and waiting to be
//! collected — "your reward is waiting", "you haven't claimed your gift yet", "you have
//! been selected to receive", "you are our winner", a free product for answering a short
//! survey — or a prize mail that calls itself the "3rd attempt" to reach the reader. Shops
//! announce offers; they do not chase a stranger to collect a gift. The "attempt" wording
//! counts only beside prize wording (a thread about a second attempt at a patch is not one).

use super::Context;
use super::wording_pattern::{SplitRegex, evidence, matches, preceded_by};
use crate::report::Evidence;
use regex::Regex;
use std::sync::LazyLock;

const GIFT_EN: &str = r"(?:reward|gift|prize|bonus|voucher|winnings)s?";

/// The alternatives, a group per language (searched group by group, see [`SplitRegex`]).
fn waiting_groups() -> [Vec<String>; 6] {
    let g = GIFT_EN;
    let en: Vec<String> = vec![
        format!(
            r"(?-u:\b)your (?:[0-9a-z_à-ÿ-]+ ){{0,3}}{g} (?:is|are|has been|have been) (?:still |now )?(?:waiting|ready|on hold|reserved|pending|unclaimed|awaiting|approved|confirmed)(?-u:\b)"
        ),
        format!(r"(?-u:\b){g} (?:is|are) (?:still )?waiting for you"),
        r"(?-u:\b)your (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:money|cash|funds) (?:is|are) (?:still )?waiting(?-u:\b)".to_string(),
        format!(r"(?-u:\b)your (?:[0-9a-z_à-ÿ-]+ ){{0,2}}{g} (?:has|have) (?:just )?arrived(?-u:\b)"),
        format!(r"(?-u:\b)you['’]?(?:ve| have) been (?:selected|chosen) for (?:an? |our )?(?:[0-9a-z_à-ÿ-]+ ){{0,2}}{g}(?-u:\b)"),
        r"(?-u:\b)(?:haven['’]t|have not|did not|didn['’]t) (?:yet )?(?:claimed|opened|accepted|accessed|redeemed|collected) (?:your|the) ".to_string(),
        r"(?-u:\b)you['’]?(?:ve| have) been (?:selected|chosen|picked) to (?:receive|win|get)(?-u:\b)".to_string(),
        r"(?-u:\b)you are (?:one of )?our (?:[0-9a-z_à-ÿ-]+ )?winners?(?-u:\b)|(?-u:\b)you['’]re our (?:[0-9a-z_à-ÿ-]+ )?winner(?-u:\b)".to_string(),
        r"(?-u:\b)your name came up(?-u:\b)".to_string(),
        // free tokens set aside: "your SCR tokens are ready", "eligible to claim"
        r"(?-u:\b)your (?:[0-9a-z_à-ÿ$-]+ ){0,2}(?:tokens?|coins?|airdrop|allocation) (?:is|are) (?:now )?(?:ready|live|available|waiting|unlocked)(?-u:\b)".to_string(),
        r"(?-u:\b)(?:you are|you['’]re|you have been|you['’]ve been) (?:now )?(?:eligible|qualified|approved) to (?:claim|receive|collect)(?-u:\b)".to_string(),
        r"(?-u:\b)register to claim(?-u:\b)".to_string(),
        r"(?-u:\b)(?:answer|complete|take|fill (?:in|out)) (?:a |our |this |the )?(?:[0-9a-z_à-ÿ-]+ ){0,3}(?:survey|questionnaire|questions)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,12}(?:to (?:receive|claim|get|win)|and (?:receive|claim|get|win))".to_string(),
        r"(?-u:\b)answer (?:&|and) win(?-u:\b)".to_string(),
    ];
    let de: Vec<String> = vec![
        r"(?-u:\b)ihre? (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:belohnung|prämie|geschenk|gewinn|preis|gutschein) (?:wartet|ist bereit|liegt bereit|steht bereit)".to_string(),
        r"(?-u:\b)sie wurden (?:[0-9a-z_à-ÿ-]+ )?ausgewählt,? (?:um )?(?:[0-9a-z_à-ÿ-]+ ){0,6}zu (?:erhalten|gewinnen)".to_string(),
        r"(?-u:\b)um (?:[0-9a-z_à-ÿ-]+ ){0,3}(?:gewinn|geschenk|preis|prämie|produkt) zu erhalten".to_string(),
        r"(?-u:\b)(?:nehmen sie an|beantworten sie) (?:unserer |einer |der )?(?:kurzen )?(?:umfrage|fragen)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,10}(?:erhalten|gewinnen)".to_string(),
    ];
    let fr: Vec<String> = vec![
        r"(?-u:\b)votre (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:cadeau|récompense|prix|lot|bon) (?:vous attend|est prêt|est disponible|est réservé)".to_string(),
        r"(?-u:\b)vous avez été (?:sélectionnée?|choisie?) pour (?:recevoir|gagner)".to_string(),
    ];
    let nl: Vec<String> = vec![
        r"(?-u:\b)(?:je|jouw|uw) (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:beloning|cadeau|prijs|cadeaukaart|cadeaubon) (?:wacht|staat klaar|ligt klaar|is gereserveerd)".to_string(),
        r"(?-u:\b)(?:je bent|u bent|bent u|ben je) (?:[0-9a-z_à-ÿ-]+ )?(?:geselecteerd|gekozen) om (?:[0-9a-z_à-ÿ-]+ ){0,6}(?:te ontvangen|te winnen)".to_string(),
        r"(?-u:\b)(?:neem|vul) (?:deel aan )?(?:een|onze|de) (?:korte )?(?:enquête|vragenlijst)[^0-9a-z_à-ÿ]+(?:[0-9a-z_à-ÿ-]+[^0-9a-z_à-ÿ]+){0,8}(?:win|ontvang)".to_string(),
    ];
    let pt_es_it: Vec<String> = vec![
        r"(?-u:\b)seu (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:prêmio|presente|brinde|recompensa) (?:está (?:esperando|aguardando|disponível|reservado)|aguarda|espera)".to_string(),
        r"(?-u:\b)você foi (?:selecionad[oa]|escolhid[oa]) para (?:receber|ganhar)".to_string(),
        r"(?-u:\b)tu (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:premio|regalo|recompensa) (?:te espera|está (?:esperando|listo|disponible|reservado))".to_string(),
        r"(?-u:\b)(?:has|ha) sido (?:seleccionad[oa]|elegid[oa]) para (?:recibir|ganar)".to_string(),
        r"(?-u:\b)il tuo (?:[0-9a-z_à-ÿ-]+ ){0,2}(?:premio|regalo|omaggio) (?:ti aspetta|è pronto|è disponibile)".to_string(),
        r"(?-u:\b)sei stat[oa] (?:selezionat[oa]|scelt[oa]) per (?:ricevere|vincere)".to_string(),
    ];
    let ja: Vec<String> = vec![
        r"(?:特典|景品|賞品|プレゼント|ギフト)(?:が|を)(?:お待ち|受け取り待ち|未受け取り|保留)"
            .to_string(),
        r"(?:アンケート|質問)に(?:回答|答え)[^。]{0,20}(?:プレゼント|もらえ|受け取|当た)"
            .to_string(),
    ];
    [en, de, fr, nl, pt_es_it, ja]
}

static WAITING: LazyLock<Option<SplitRegex>> = LazyLock::new(|| {
    let [en, de, fr, nl, pt_es_it, ja] = waiting_groups();
    SplitRegex::new(&[
        (&en, None),
        (&de, None),
        (&fr, None),
        (&nl, None),
        (&pt_es_it, None),
        (&ja, None),
    ])
});

/// "3rd attempt", "final attempt", "letzter Versuch", and an invitation to a survey
/// ("you have been selected to take part in our survey"): these count beside prize wording
/// only (genuine research surveys invite people too).
static BESIDE_PRIZE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)you['’]?(?:ve| have) been (?:selected|chosen|invited) to (?:participate|take part) in (?:a|our|this) (?:[0-9a-z_à-ÿ-]+ ){0,3}(?:survey|questionnaire)|(?-u:\b)sie wurden (?:[0-9a-z_à-ÿ-]+ )?ausgewählt,? (?:um )?(?:[0-9a-z_à-ÿ-]+ ){0,6}teilzunehmen|(?-u:\b)(?:je bent|u bent|bent u|ben je) (?:[0-9a-z_à-ÿ-]+ )?(?:geselecteerd|gekozen) om deel te nemen|(?-u:\b)\d\s?(?:st|nd|rd|th) (?:attempt|notice|reminder)(?-u:\b)|(?-u:\b)(?:final|last) attempt(?-u:\b)|(?-u:\b)letzter versuch(?-u:\b)|(?-u:\b)dernière tentative(?-u:\b)|(?-u:\b)última tentativa(?-u:\b)|(?-u:\b)último intento(?-u:\b)|(?-u:\b)laatste poging(?-u:\b)|(?-u:\b)ultimo tentativo(?-u:\b)",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_groups_find_what_the_whole_alternation_finds() {
        let split = WAITING.as_ref().unwrap();
        crate::checks::wording_pattern::assert_split_is_whole(
            split,
            &waiting_groups().concat(),
            &[
                "your reward is waiting for you, your gift has arrived",
                "congratulations! you have been selected to receive a gift. you are our winner",
                "you haven't claimed your prize yet. register to claim",
                "take our short survey about your visit and receive a free gift",
                "ihr geschenk wartet. sie wurden ausgewählt, um ein iphone zu gewinnen",
                "votre cadeau vous attend. vous avez été sélectionné pour recevoir",
                "je beloning wacht. je bent geselecteerd om een cadeau te ontvangen",
                "seu prêmio está esperando. você foi selecionado para receber. tu regalo te espera",
                "il tuo premio ti aspetta. sei stato selezionato per ricevere",
                "プレゼントがお待ちです。アンケートに回答してプレゼント",
                "your tokens are ready. you are now eligible to claim. answer & win",
                "nothing to see here, just a newsletter about rewards and gifts",
            ],
        );
    }
}
