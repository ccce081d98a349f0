//! The checks. Each is one module with one job, a stable id (its module name) and a
//! `run` that returns the evidence it found; a check fires when it returns evidence.
//! Weights live in `data/weights.toml`, reader-facing texts in `data/texts.*.toml`.
//!
//! Adding a check: write `checks/<id>.rs` with `pub fn run(cx: &Context) -> Vec<Evidence>`,
//! add it to [`CHECKS`], give it a weight and texts.

use crate::auth::{AuthResults, FromAuth, MethodResult};
use crate::brands::{Brand, BrandSet};
use crate::claim::Claim;
use crate::lexicon::PhraseHit;
use crate::lists::DomainList;
use crate::message::{Link, Message};
use crate::report::Evidence;

mod abused_tld;
mod account_suspension_wording;
mod advance_fee_wording;
mod auth_results_forged;
mod brand_name_disguised;
mod callback_dispute_lure;
mod celebrity_endorsement_lure;
mod chinese_glyphs_in_japanese;
mod credential_form;
mod credential_request_wording;
mod crypto_claim_wording;
mod crypto_lure_wording;
mod deadline_wording;
mod delivery_lure_wording;
mod display_name_address_mismatch;
mod display_name_brand_mismatch;
mod document_link_lure;
mod extortion_wording;
mod free_hosting;
mod freemail_health_offer;
mod freemail_money_offer;
mod freemail_sender_as_organisation;
mod freemail_sender_for_brand;
mod from_name_detached;
mod generic_greeting;
mod health_miracle_wording;
mod hidden_text;
mod image_free_host;
mod image_only_lure;
mod insurance_quote_wording;
mod large_sum_offer;
mod link_brand_in_path;
mod link_ip_host;
mod link_lookalike_domain;
mod link_mixed_script_host;
mod link_off_brand;
mod link_redirector;
mod link_shortener;
mod link_text_mismatch;
mod link_userinfo_trick;
mod loss_threat_wording;
mod mailbox_lure_wording;
mod markup_padding;
mod money_in_subject;
mod official_from_unaligned_path;
mod official_links_only;
mod official_sender_auth_fail;
mod official_sender_authenticated;
mod official_sender_official_links;
mod offscreen_layout;
mod payment_failure_wording;
mod prize_lure_wording;
mod recipient_address_as_name;
mod recipient_in_subject;
mod reply_to_mismatch;
mod reward_claim_pressure;
mod risky_attachment;
mod security_alert_wording;
mod send_only_notice;
mod sender_address_invalid;
mod sender_auth_results;
mod sender_domain_imitates_name;
mod sender_local_part_random;
mod sender_lookalike_domain;
mod sender_not_official;
mod sms_lure_link;
mod sms_nothing_to_act_on;
mod sms_official_links;
mod spam_topic_wording;
mod stranger_intimacy_lure;
mod subject_random_token;
mod template_placeholder;
mod text_obfuscation;
mod username_carries_offer;
mod wallet_verification_request;
mod wording_pattern;
mod yield_promise;

/// Wording that makes a message a lure rather than news: a parcel held back, a locked
/// account, a failed payment, a request for secrets, an alarm, a loss, a prize. (Deadlines
/// alone are too common in ordinary mail.)
pub const LURE_WORDING: &[&str] = &[
    "delivery_lure_wording",
    "account_suspension_wording",
    "payment_failure_wording",
    "credential_request_wording",
    "security_alert_wording",
    "loss_threat_wording",
    "prize_lure_wording",
    "mailbox_lure_wording",
];

/// Everything a check may read. Built once per message by the analyzer.
pub struct Context<'a> {
    pub msg: &'a Message,
    pub brands: &'a BrandSet,
    pub claim: Option<&'a Claim>,
    /// The brand the From display name claims (`claim::display_name_brand`), if any.
    pub name_brand: Option<usize>,
    pub freemail: &'a DomainList,
    pub shorteners: &'a DomainList,
    /// Phrase matches in the subject and the body (normalised offsets).
    pub subject_phrases: &'a [PhraseHit],
    pub body_phrases: &'a [PhraseHit],
    /// The From display name, folded, and the phrases in it (a name written as a
    /// headline counts like the subject).
    pub sender_name: &'a str,
    pub sender_name_norm: &'a crate::text::NormText,
    pub sender_name_phrases: &'a [PhraseHit],
    /// The words of the subject and the body that may spell a word with look-alike
    /// characters (`text::lookalike_candidates`), with their byte offsets.
    pub subject_lookalike_words: &'a [(usize, &'a str)],
    pub body_lookalike_words: &'a [(usize, &'a str)],
    pub lexicon: &'a crate::lexicon::Lexicon,
    pub hosting: &'a crate::lists::HostList,
    /// App-store and social-network hosts (`data/profile_hosts.txt`).
    pub profile_hosts: &'a crate::lists::HostList,
    /// Free picture-sharing hosts (`data/image_hosts.txt`).
    pub image_hosts: &'a crate::lists::ImageHostList,
    /// Open redirectors on trusted names (`data/redirectors.txt`).
    pub redirectors: &'a crate::lists::RedirectorList,
    pub abused_tlds: &'a DomainList,
    /// Sender authentication results to believe: verified live, or a header from a
    /// trusted authserv-id. None when there are none.
    pub auth: Option<&'a AuthResults>,
    /// The authserv-ids the user trusts.
    pub trusted_authserv_ids: &'a [String],
}

impl<'a> Context<'a> {
    /// The number of web links when every one goes to brand `ix`'s official link domains
    /// and the message has no form and asks for no secret; None otherwise.
    pub fn only_official_links(&self, ix: usize) -> Option<usize> {
        let mut links = 0;
        for (_, l) in self.web_links() {
            if self.is_profile_link(l) {
                continue;
            }
            match &l.host {
                Some(h) if self.brands.is_official_link(ix, h) && !self.is_redirect(l) => {
                    links += 1
                }
                _ => return None,
            }
        }
        let form = self
            .msg
            .links
            .iter()
            .any(|l| l.origin == crate::message::LinkOrigin::Form);
        (!form && self.msg.secret_inputs.is_empty()).then_some(links)
    }

    /// Evidence that every web link of the mail goes to brand `ix`'s official sites (at
    /// least one link; see `only_official_links`), pointing at the first link.
    pub fn official_links_evidence(&self, ix: usize, brand_id: &str) -> Vec<Evidence> {
        match self.only_official_links(ix) {
            Some(n) if n > 0 => self
                .web_links()
                .take(1)
                .map(|(i, l)| {
                    link_evidence(i, l)
                        .with_detail(format!("{n} link(s), all to official {brand_id} domains"))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Is `l` a link to an app listing or a social-network profile (a notice's "get our
    /// app" / "follow us" footer)? Not when it carries another URL, as redirectors do.
    pub fn is_profile_link(&self, l: &crate::message::Link) -> bool {
        let Some(host) = &l.host else { return false };
        if self.profile_hosts.matching(host).is_none() {
            return false;
        }
        let rest = l.rest.to_ascii_lowercase();
        !(rest.contains("http") || rest.contains("%3a%2f") || rest.contains("redirect"))
    }

    /// Is `l` a link through an open redirector (`google.com/url?q=…`), which says
    /// nothing of where it ends?
    pub fn is_redirect(&self, l: &crate::message::Link) -> bool {
        l.host
            .as_ref()
            .is_some_and(|h| self.redirectors.matches(h, &l.rest))
    }

    /// Does a look-alike count here? One letter off a brand's domain counts only in a
    /// message that speaks for that brand.
    /// A brand word among other words in a host counts in a message that speaks for that
    /// brand or carries lure wording.
    pub fn counts(&self, look: &crate::lookalike::Lookalike) -> bool {
        let speaks_for = self.claim.is_some_and(|c| c.brand == look.brand);
        if look.letter_off {
            speaks_for
        } else if look.among_words {
            speaks_for || self.lure_worded()
        } else {
            true
        }
    }

    /// Does the subject or body carry lure wording (any phrase of the groups in
    /// [`LURE_WORDING`])?
    pub fn lure_worded(&self) -> bool {
        self.subject_phrases
            .iter()
            .chain(self.body_phrases)
            .chain(self.sender_name_phrases)
            .any(|h| LURE_WORDING.contains(&h.check.as_str()))
    }

    /// The first sender party (From, then Reply-To) on a personal free-mail domain; a From
    /// address that speaks for the brand owning the domain does not count.
    pub fn freemail_party(&self) -> Option<&crate::message::Party> {
        let from = self.msg.from.iter().filter(|p| {
            p.domain.as_ref().is_some_and(|d| {
                !self
                    .brands
                    .owner(d)
                    .is_some_and(|(b, _)| self.from_is_brand(b))
            })
        });
        from.chain(self.msg.reply_to.iter())
            .find(|p| p.domain.as_ref().is_some_and(|d| self.freemail.contains(d)))
    }

    /// The distinct phrases (normalised) of the group feeding `check` found in the subject
    /// and body.
    pub fn distinct_phrases(&self, check: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (norm, hits) in [
            (&self.msg.subject_norm, self.subject_phrases),
            (&self.msg.body_norm, self.body_phrases),
        ] {
            for h in hits.iter().filter(|h| h.check == check) {
                let p = norm.text.get(h.start..h.end).unwrap_or("");
                if !p.is_empty() && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// The claimed brand, if any.
    pub fn brand(&self) -> Option<(usize, &Brand)> {
        let c = self.claim?;
        self.brands.get(c.brand).map(|b| (c.brand, b))
    }

    /// The claimed brand, when the claim is strong (sender identity) or corroborated by
    /// lure wording (suspension, payment, credentials, security alert, loss threat), by a
    /// link whose text names the brand or by a greeting on its behalf. Checks that call a sender or link "not the brand's"
    /// use this, so a newsletter *about* a brand is not taken for one *from* it.
    pub fn asserted_brand(&self) -> Option<(usize, &Brand)> {
        let c = self.claim?;
        let lure = [
            "account_suspension_wording",
            "payment_failure_wording",
            "credential_request_wording",
            "security_alert_wording",
            "loss_threat_wording",
        ];
        // lure wording in the subject, or two kinds of it in the body (news about a brand
        // mentions security or payments in passing)
        let in_subject = self
            .subject_phrases
            .iter()
            .any(|h| lure.contains(&h.check.as_str()));
        let mut body_kinds: Vec<&str> = self
            .body_phrases
            .iter()
            .map(|h| h.check.as_str())
            .filter(|c| lure.contains(c))
            .collect();
        body_kinds.sort_unstable();
        body_kinds.dedup();
        let worded = in_subject || body_kinds.len() >= 2;
        let link_named = c.via.contains(&"link_text");
        // greeting the reader as the brand's customer is speaking for it, not about it
        let greeted = c.via.contains(&"body_salutation");
        if c.strong || worded || link_named || greeted {
            self.brand()
        } else {
            None
        }
    }

    /// The From party and its domain, when it has an address (an SMS sender id or a
    /// pasted text has none, and a missing sender is not evidence).
    pub fn from_with_domain(&self) -> Option<(&crate::message::Party, &crate::domain::DomainInfo)> {
        let from = self.msg.from.as_ref()?;
        Some((from, from.domain.as_ref()?))
    }

    /// What the trusted authentication results say about the From domain (Unknown when
    /// there are none, or no From domain).
    pub fn from_auth(&self) -> FromAuth<'a> {
        match (self.auth, self.from_with_domain()) {
            (Some(auth), Some((_, d))) => auth.from_status(d),
            _ => FromAuth::Unknown,
        }
    }

    /// Authentication headers written by hosts the user does not trust (what the sender,
    /// or any relay on the way, claims).
    pub fn untrusted_auth(&self) -> impl Iterator<Item = &AuthResults> {
        self.msg
            .auth_results
            .iter()
            .filter(|h| !h.is_trusted_by(self.trusted_authserv_ids))
    }

    /// Does the From address speak for brand `ix`? An official sender domain does; so does
    /// the postmaster or mailer-daemon of any domain the brand runs (outlook.com's bounces
    /// come from Microsoft, though outlook.com addresses belong to anyone).
    pub fn from_is_brand(&self, ix: usize) -> bool {
        let Some(from) = &self.msg.from else {
            return false;
        };
        let Some(d) = &from.domain else { return false };
        if self.brands.is_official_sender(ix, d) {
            return true;
        }
        let local = from
            .address
            .as_deref()
            .and_then(|a| a.split('@').next())
            .unwrap_or("")
            .to_ascii_lowercase();
        matches!(local.as_str(), "postmaster" | "mailer-daemon")
            && self.brands.owner(d).is_some_and(|(b, _)| b == ix)
    }

    /// Do `offending` links of a kind matter among the message's web links? In a digest
    /// with hundreds of links to everyone's sites (a weblog directory, a link roundup), a
    /// few on IP addresses or free hosts are the web as it is, not the lure.
    pub fn links_matter(&self, offending: usize) -> bool {
        let total = self.web_links().count();
        offending > 0 && (total <= 20 || offending * 10 >= total)
    }

    /// Web links with their index in the message's link list.
    pub fn web_links(&self) -> impl Iterator<Item = (usize, &Link)> {
        self.msg
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_web())
    }

    /// Evidence for every phrase hit that feeds `check`, in subject, sender name and body;
    /// empty when fewer distinct phrases than the group needs were found. A phrase in the
    /// subject or the sender name counts twice: that is what the message is about.
    pub fn phrase_evidence(&self, check: &str) -> Vec<Evidence> {
        let mut out = Vec::new();
        let mut distinct: Vec<&str> = Vec::new();
        let mut in_subject = 0;
        let sources = [
            (
                "header:Subject",
                self.msg.subject.as_str(),
                &self.msg.subject_norm,
                self.subject_phrases,
            ),
            (
                "header:From",
                self.sender_name,
                self.sender_name_norm,
                self.sender_name_phrases,
            ),
            (
                "body.text",
                self.msg.body.as_str(),
                &self.msg.body_norm,
                self.body_phrases,
            ),
        ];
        for (location, original, norm, hits) in sources {
            for h in hits.iter().filter(|h| h.check == check) {
                let phrase = norm.text.get(h.start..h.end).unwrap_or("");
                if !distinct.contains(&phrase) {
                    distinct.push(phrase);
                    if location.starts_with("header:") {
                        in_subject += 1;
                    }
                }
                if let Some((s, e)) = norm.original_range(h.start, h.end) {
                    let ev = Evidence::span(location, original, s, e);
                    if !out
                        .iter()
                        .any(|o: &Evidence| o.location == ev.location && o.text == ev.text)
                    {
                        out.push(ev);
                    }
                }
                if out.len() >= 8 {
                    break;
                }
            }
        }
        // (no phrase of the check found: nothing to weigh against its minimum)
        if distinct.is_empty() {
            return out;
        }
        if distinct.len() + in_subject < self.lexicon.min_hits(check) {
            return Vec::new();
        }
        out
    }
}

/// Evidence for a link: where it goes, and what it shows.
pub fn link_evidence(index: usize, link: &Link) -> Evidence {
    let mut ev = Evidence::whole(format!("link[{index}].href"), link.href.clone());
    if let Some(t) = &link.text {
        ev = ev.with_detail(format!("shown: {t}"));
    } else if link.origin == crate::message::LinkOrigin::Attachment {
        ev = ev.with_detail("inside an attached document".to_string());
    }
    ev
}

/// Evidence for one authentication result: where it was read, what it says, who said it.
pub fn auth_evidence(auth: &AuthResults, r: &MethodResult) -> Evidence {
    Evidence::whole(auth.location.clone(), r.text.clone()).with_detail(auth.source_note())
}

/// Evidence for an address header.
pub fn party_evidence(p: &crate::message::Party) -> Evidence {
    let location = match p.header {
        "From" if p.address.is_none() => "sms.sender".to_string(),
        h => format!("header:{h}"),
    };
    Evidence::whole(location, p.shown.clone())
}

pub type CheckFn = fn(&Context) -> Vec<Evidence>;

/// All checks, in report order: sender, links, wording, content, genuine side.
pub const CHECKS: &[(&str, CheckFn)] = &[
    (
        "display_name_brand_mismatch",
        display_name_brand_mismatch::run,
    ),
    (
        "display_name_address_mismatch",
        display_name_address_mismatch::run,
    ),
    ("from_name_detached", from_name_detached::run),
    ("sender_address_invalid", sender_address_invalid::run),
    ("sender_local_part_random", sender_local_part_random::run),
    ("sender_not_official", sender_not_official::run),
    ("freemail_sender_for_brand", freemail_sender_for_brand::run),
    ("sender_lookalike_domain", sender_lookalike_domain::run),
    (
        "sender_domain_imitates_name",
        sender_domain_imitates_name::run,
    ),
    (
        "freemail_sender_as_organisation",
        freemail_sender_as_organisation::run,
    ),
    ("reply_to_mismatch", reply_to_mismatch::run),
    (
        "official_from_unaligned_path",
        official_from_unaligned_path::run,
    ),
    ("official_sender_auth_fail", official_sender_auth_fail::run),
    ("auth_results_forged", auth_results_forged::run),
    ("link_text_mismatch", link_text_mismatch::run),
    ("link_off_brand", link_off_brand::run),
    ("link_lookalike_domain", link_lookalike_domain::run),
    ("link_brand_in_path", link_brand_in_path::run),
    ("link_shortener", link_shortener::run),
    ("link_redirector", link_redirector::run),
    ("link_ip_host", link_ip_host::run),
    ("link_userinfo_trick", link_userinfo_trick::run),
    ("link_mixed_script_host", link_mixed_script_host::run),
    ("free_hosting", free_hosting::run),
    (
        "chinese_glyphs_in_japanese",
        chinese_glyphs_in_japanese::run,
    ),
    ("image_free_host", image_free_host::run),
    ("abused_tld", abused_tld::run),
    (
        "account_suspension_wording",
        account_suspension_wording::run,
    ),
    ("payment_failure_wording", payment_failure_wording::run),
    ("loss_threat_wording", loss_threat_wording::run),
    ("deadline_wording", deadline_wording::run),
    (
        "credential_request_wording",
        credential_request_wording::run,
    ),
    ("security_alert_wording", security_alert_wording::run),
    ("send_only_notice", send_only_notice::run),
    ("prize_lure_wording", prize_lure_wording::run),
    ("advance_fee_wording", advance_fee_wording::run),
    ("large_sum_offer", large_sum_offer::run),
    ("freemail_money_offer", freemail_money_offer::run),
    ("stranger_intimacy_lure", stranger_intimacy_lure::run),
    ("extortion_wording", extortion_wording::run),
    ("crypto_lure_wording", crypto_lure_wording::run),
    ("crypto_claim_wording", crypto_claim_wording::run),
    (
        "wallet_verification_request",
        wallet_verification_request::run,
    ),
    ("yield_promise", yield_promise::run),
    ("reward_claim_pressure", reward_claim_pressure::run),
    ("callback_dispute_lure", callback_dispute_lure::run),
    ("username_carries_offer", username_carries_offer::run),
    (
        "celebrity_endorsement_lure",
        celebrity_endorsement_lure::run,
    ),
    ("spam_topic_wording", spam_topic_wording::run),
    ("health_miracle_wording", health_miracle_wording::run),
    ("insurance_quote_wording", insurance_quote_wording::run),
    ("freemail_health_offer", freemail_health_offer::run),
    ("money_in_subject", money_in_subject::run),
    ("delivery_lure_wording", delivery_lure_wording::run),
    ("mailbox_lure_wording", mailbox_lure_wording::run),
    ("sms_lure_link", sms_lure_link::run),
    ("recipient_in_subject", recipient_in_subject::run),
    ("recipient_address_as_name", recipient_address_as_name::run),
    ("template_placeholder", template_placeholder::run),
    ("generic_greeting", generic_greeting::run),
    ("subject_random_token", subject_random_token::run),
    ("text_obfuscation", text_obfuscation::run),
    ("brand_name_disguised", brand_name_disguised::run),
    ("hidden_text", hidden_text::run),
    ("markup_padding", markup_padding::run),
    ("offscreen_layout", offscreen_layout::run),
    ("image_only_lure", image_only_lure::run),
    ("risky_attachment", risky_attachment::run),
    ("document_link_lure", document_link_lure::run),
    ("credential_form", credential_form::run),
    (
        "official_sender_official_links",
        official_sender_official_links::run,
    ),
    (
        "official_sender_authenticated",
        official_sender_authenticated::run,
    ),
    ("official_links_only", official_links_only::run),
    ("sms_official_links", sms_official_links::run),
    ("sms_nothing_to_act_on", sms_nothing_to_act_on::run),
    ("sender_auth_results", sender_auth_results::run),
];

/// The ids of all checks.
pub fn ids() -> Vec<&'static str> {
    CHECKS.iter().map(|(id, _)| *id).collect()
}
