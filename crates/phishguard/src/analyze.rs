//! The pipeline: parse → normalise → checks → score → verdict + advice.

use crate::advice::advise;
use crate::auth::{AuthResults, pick_trusted};
use crate::brands::{BrandError, BrandSet};
use crate::checks::{self, CHECKS, Context};
use crate::claim::{find_claim_with, from_name_brand};
use crate::data;
use crate::lexicon::Lexicon;
use crate::lists::DomainList;
use crate::message::{Kind, Limits, Message, ParseError, parse_mail_keep_parsed, parse_sms};
use crate::report::{LinkSummary, Reason, Report, SenderSummary, Verdict};
use crate::texts::{Lang, Texts, fill};
use crate::weights::Weights;
use std::time::{Duration, Instant};

/// Something wrong with phishguard's own data (brand files, weights, texts).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("brand data: {0}")]
    Brand(#[from] BrandError),
    #[error("{0}")]
    Data(String),
}

/// Time spent per pipeline stage, summed over the messages analysed with it (for
/// `--stats` and benchmarks). `parse`: the MIME parser (structure, transfer encodings,
/// charsets); `normalise`: addresses, links, HTML, text folding; `checks`: brand claim,
/// phrase matching and every check; `score`: weights, verdict, advice and the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub parse: Duration,
    pub normalise: Duration,
    pub checks: Duration,
    pub score: Duration,
}

impl StageTimes {
    pub fn total(&self) -> Duration {
        self.parse + self.normalise + self.checks + self.score
    }

    /// Add another run's times (e.g. from another thread).
    pub fn add(&mut self, o: &StageTimes) {
        self.parse += o.parse;
        self.normalise += o.normalise;
        self.checks += o.checks;
        self.score += o.score;
    }
}

/// Holds everything that is built once (brand lookups, phrase automata, weights, texts)
/// and analyses any number of messages, from any number of threads.
#[derive(Debug)]
pub struct Analyzer {
    brands: BrandSet,
    lexicon: Lexicon,
    weights: Weights,
    freemail: DomainList,
    shorteners: DomainList,
    hosting: crate::lists::HostList,
    profile_hosts: crate::lists::HostList,
    image_hosts: crate::lists::ImageHostList,
    redirectors: crate::lists::RedirectorList,
    abused_tlds: DomainList,
    texts_ja: Texts,
    texts_en: Texts,
    pub limits: Limits,
    /// authserv-ids whose `Authentication-Results` headers are believed (the user's own
    /// receiving MTA, e.g. `mx.example.jp`); headers from anyone else are ignored.
    pub trusted_authserv_ids: Vec<String>,
}

impl Analyzer {
    /// An analyzer with the built-in brands and data.
    pub fn new() -> Result<Analyzer, SetupError> {
        Analyzer::with_brands(BrandSet::builtin()?)
    }

    /// An analyzer with another brand set (e.g. `BrandSet::load_dir`).
    pub fn with_brands(brands: BrandSet) -> Result<Analyzer, SetupError> {
        let ids = checks::ids();
        let lexicon = Lexicon::with_aliases(data::PHRASES, brands.alias_patterns())
            .map_err(SetupError::Data)?;
        for c in lexicon.checks() {
            if !ids.contains(&c) {
                return Err(SetupError::Data(format!("phrases: {c:?} is not a check")));
            }
        }
        Ok(Analyzer {
            brands,
            lexicon,
            weights: Weights::parse(data::WEIGHTS, &ids).map_err(SetupError::Data)?,
            freemail: DomainList::parse(data::FREEMAIL),
            shorteners: DomainList::parse(data::SHORTENERS),
            hosting: crate::lists::HostList::parse(data::HOSTING),
            profile_hosts: crate::lists::HostList::parse(data::PROFILE_HOSTS),
            image_hosts: crate::lists::ImageHostList::parse(data::IMAGE_HOSTS),
            redirectors: crate::lists::RedirectorList::parse(data::REDIRECTORS),
            abused_tlds: DomainList::parse(data::ABUSED_TLDS),
            texts_ja: Texts::parse(data::TEXTS_JA, "ja", &ids).map_err(SetupError::Data)?,
            texts_en: Texts::parse(data::TEXTS_EN, "en", &ids).map_err(SetupError::Data)?,
            limits: Limits::default(),
            trusted_authserv_ids: Vec::new(),
        })
    }

    pub fn brands(&self) -> &BrandSet {
        &self.brands
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Analyse a raw RFC 5322 message, and the messages attached to it (a forwarded
    /// phish, a user's report): the verdict is the worse of the two.
    pub fn analyze_mail(
        &self,
        raw: &[u8],
        source: &str,
        lang: Option<Lang>,
    ) -> Result<Report, ParseError> {
        self.analyze_mail_nested(raw, source, lang, None, 0, &mut StageTimes::default())
    }

    /// [`Analyzer::analyze_mail`] with sender authentication results verified elsewhere
    /// (live, over DNS: the `phishguard-auth` crate). They take the place of any
    /// `Authentication-Results` header of the message; attached messages are judged on
    /// their own headers.
    pub fn analyze_mail_with_auth(
        &self,
        raw: &[u8],
        source: &str,
        lang: Option<Lang>,
        auth: Option<&AuthResults>,
    ) -> Result<Report, ParseError> {
        self.analyze_mail_nested(raw, source, lang, auth, 0, &mut StageTimes::default())
    }

    fn analyze_mail_nested(
        &self,
        raw: &[u8],
        source: &str,
        lang: Option<Lang>,
        auth: Option<&AuthResults>,
        depth: usize,
        times: &mut StageTimes,
    ) -> Result<Report, ParseError> {
        self.analyze_mail_nested_parsed(raw, source, lang, auth, depth, false, times)
            .map(|(r, _)| r)
    }

    /// [`Analyzer::analyze_mail_nested`], handing back mail-parser's parse of the message
    /// when `keep` (else it is dropped as soon as the message model is built).
    #[allow(clippy::too_many_arguments)]
    fn analyze_mail_nested_parsed<'x>(
        &self,
        raw: &'x [u8],
        source: &str,
        lang: Option<Lang>,
        auth: Option<&AuthResults>,
        depth: usize,
        keep: bool,
        times: &mut StageTimes,
    ) -> Result<(Report, Option<mail_parser::Message<'x>>), ParseError> {
        let started = Instant::now();
        let mut parse_time = Duration::ZERO;
        let parsed = parse_mail_keep_parsed(raw, &self.limits, &mut parse_time);
        times.parse += parse_time;
        times.normalise += started.elapsed().saturating_sub(parse_time);
        let (msg, parsed) = parsed?;
        let parsed = keep.then_some(parsed);
        let mut report = self.analyze_full(&msg, source, lang, auth, times);
        if msg.attached_messages.is_empty() {
            return Ok((report, parsed));
        }
        if depth >= self.limits.max_nesting {
            report.mark_truncated("max_nesting");
            return Ok((report, parsed));
        }
        let inline_at = msg
            .forwarded_inline
            .then(|| msg.attached_messages.len().saturating_sub(1));
        for (i, inner_raw) in msg.attached_messages.iter().enumerate() {
            let inner_source = if Some(i) == inline_at {
                format!("{source} forwarded")
            } else {
                format!("{source} attachment[{i}]")
            };
            if let Ok(inner) = self.analyze_mail_nested(
                inner_raw,
                &inner_source,
                Some(report_lang(&report)),
                None,
                depth + 1,
                times,
            ) {
                // what was cut inside an attached message was cut from this one too
                for limit in inner.limits_hit.clone() {
                    report.mark_truncated(limit);
                }
                report.attached.push(inner);
            }
        }
        if !msg.is_delivery_report {
            // an inner message that failed to parse is missing from `attached`: the inline
            // forward is the last one only if all were read
            let inline_at =
                inline_at.filter(|_| report.attached.len() == msg.attached_messages.len());
            self.adopt_attached_verdict(&mut report, inline_at);
        }
        Ok((report, parsed))
    }

    /// When an attached message is worse than the message that carries it, the carrier
    /// takes its verdict: a forwarded phish is still a phish.
    fn adopt_attached_verdict(&self, report: &mut Report, inline_at: Option<usize>) {
        let Some((i, worst)) = report.attached.iter().enumerate().max_by(|a, b| {
            (a.1.verdict, a.1.score)
                .partial_cmp(&(b.1.verdict, b.1.score))
                .unwrap_or(std::cmp::Ordering::Equal)
        }) else {
            return;
        };
        if worst.verdict <= report.verdict {
            return;
        }
        let lang = report_lang(report);
        let texts = self.texts(lang);
        let (verdict, score, brand, brand_name) = (
            worst.verdict,
            worst.score,
            worst.brand.clone(),
            worst.brand_name.clone(),
        );
        let ids: Vec<&str> = worst.reasons.iter().map(|r| r.id).collect();
        let evidence = crate::report::Evidence::whole(
            if Some(i) == inline_at {
                "body.forwarded".to_string()
            } else {
                format!("attachment[{i}]")
            },
            worst.subject.clone(),
        )
        .with_detail(format!("{}: {}", verdict.as_str(), ids.join(", ")));
        report.reasons.push(Reason {
            id: "attached_message",
            weight: 0.0,
            summary: texts
                .reasons
                .get("attached_message")
                .cloned()
                .unwrap_or_default(),
            evidence: vec![evidence],
        });
        report.verdict = verdict;
        report.score = report.score.max(score);
        report.verdict_text = texts.verdict_line(verdict.as_str(), report.kind == Kind::Sms);
        if report.brand.is_none() {
            report.brand = brand;
            report.brand_name = brand_name;
        }
        let brand = report
            .brand
            .as_deref()
            .and_then(|id| self.brands.index_of(id))
            .and_then(|ix| self.brands.get(ix));
        report.advice = advise(texts, lang, verdict, brand, report.kind);
    }

    fn texts(&self, lang: Lang) -> &Texts {
        match lang {
            Lang::Ja => &self.texts_ja,
            Lang::En => &self.texts_en,
        }
    }

    /// Analyse SMS or pasted text; `sender` is the SMS sender id or number, if known.
    pub fn analyze_sms(
        &self,
        text: &str,
        sender: Option<&str>,
        source: &str,
        lang: Option<Lang>,
    ) -> Result<Report, ParseError> {
        self.analyze_sms_timed(text, sender, source, lang, &mut StageTimes::default())
    }

    fn analyze_sms_timed(
        &self,
        text: &str,
        sender: Option<&str>,
        source: &str,
        lang: Option<Lang>,
        times: &mut StageTimes,
    ) -> Result<Report, ParseError> {
        let started = Instant::now();
        let msg = parse_sms(text, sender, &self.limits);
        times.normalise += started.elapsed();
        Ok(self.analyze_full(&msg?, source, lang, None, times))
    }

    /// Analyse one item read by [`crate::input`]; `sms_sender` is used for SMS items that
    /// carry no sender of their own.
    pub fn analyze_item(
        &self,
        item: &crate::input::Item,
        lang: Option<Lang>,
        sms_sender: Option<&str>,
    ) -> Result<Report, ParseError> {
        self.analyze_item_with_auth(item, lang, sms_sender, None)
    }

    /// [`Analyzer::analyze_item`] with live authentication results for a mail item (see
    /// [`Analyzer::analyze_mail_with_auth`]); SMS items ignore them.
    pub fn analyze_item_with_auth(
        &self,
        item: &crate::input::Item,
        lang: Option<Lang>,
        sms_sender: Option<&str>,
        auth: Option<&AuthResults>,
    ) -> Result<Report, ParseError> {
        self.analyze_item_timed(item, lang, sms_sender, auth, &mut StageTimes::default())
    }

    /// [`Analyzer::analyze_item_with_auth`], adding the time of each stage to `times`.
    pub fn analyze_item_timed(
        &self,
        item: &crate::input::Item,
        lang: Option<Lang>,
        sms_sender: Option<&str>,
        auth: Option<&AuthResults>,
        times: &mut StageTimes,
    ) -> Result<Report, ParseError> {
        self.analyze_item_parsed(item, lang, sms_sender, auth, false, times)
            .map(|(r, _)| r)
    }

    /// [`Analyzer::analyze_item_timed`], also handing back mail-parser's parse of a mail
    /// item (None for SMS), so that a caller needing more of the message does not parse
    /// it again.
    pub fn analyze_item_keep_parsed<'x>(
        &self,
        item: &'x crate::input::Item,
        lang: Option<Lang>,
        sms_sender: Option<&str>,
        auth: Option<&AuthResults>,
        times: &mut StageTimes,
    ) -> Result<(Report, Option<mail_parser::Message<'x>>), ParseError> {
        self.analyze_item_parsed(item, lang, sms_sender, auth, true, times)
    }

    fn analyze_item_parsed<'x>(
        &self,
        item: &'x crate::input::Item,
        lang: Option<Lang>,
        sms_sender: Option<&str>,
        auth: Option<&AuthResults>,
        keep_parsed: bool,
        times: &mut StageTimes,
    ) -> Result<(Report, Option<mail_parser::Message<'x>>), ParseError> {
        let mut parsed = None;
        let mut report = match &item.body {
            crate::input::ItemBody::Mail(raw) => {
                let (report, p) = self.analyze_mail_nested_parsed(
                    raw,
                    &item.source,
                    lang,
                    auth,
                    0,
                    keep_parsed,
                    times,
                )?;
                parsed = p;
                report
            }
            crate::input::ItemBody::Sms { text, sender } => self.analyze_sms_timed(
                text,
                sender.as_deref().or(sms_sender),
                &item.source,
                lang,
                times,
            )?,
        };
        if item.cut {
            report.mark_truncated("max_message_bytes");
        }
        Ok((report, parsed))
    }

    /// Run the checks on a parsed message. `lang` None: Japanese for a Japanese message,
    /// English otherwise.
    pub fn analyze(&self, msg: &Message, source: &str, lang: Option<Lang>) -> Report {
        self.analyze_with_auth(msg, source, lang, None)
    }

    /// The authentication results the checks will believe for `msg`: `live` when given,
    /// else the message's own header from a trusted authserv-id, if any.
    pub fn trusted_auth<'a>(
        &self,
        msg: &'a Message,
        live: Option<&'a AuthResults>,
    ) -> Option<&'a AuthResults> {
        live.or_else(|| pick_trusted(&msg.auth_results, &self.trusted_authserv_ids))
    }

    /// [`Analyzer::analyze`] with live authentication results (see
    /// [`Analyzer::analyze_mail_with_auth`]).
    pub fn analyze_with_auth(
        &self,
        msg: &Message,
        source: &str,
        lang: Option<Lang>,
        live: Option<&AuthResults>,
    ) -> Report {
        self.analyze_full(msg, source, lang, live, &mut StageTimes::default())
    }

    fn analyze_full(
        &self,
        msg: &Message,
        source: &str,
        lang: Option<Lang>,
        live: Option<&AuthResults>,
        times: &mut StageTimes,
    ) -> Report {
        let started = Instant::now();
        let lang = lang.unwrap_or(if msg.japanese { Lang::Ja } else { Lang::En });
        let texts = self.texts(lang);
        let name_brand = from_name_brand(&self.brands, msg);
        // phrases and brand aliases, one pass over each text
        let aliases = |norm, found: Option<Vec<_>>| match found {
            Some(found) => self.brands.resolve_aliases(norm, found),
            None => self.brands.find_aliases(norm),
        };
        let (subject_phrases, found) = self.lexicon.scan(&msg.subject_norm);
        let subject_aliases = aliases(&msg.subject_norm, found);
        let (body_phrases, found) = self.lexicon.scan(&msg.body_norm);
        let body_aliases = aliases(&msg.body_norm, found);
        let claim = find_claim_with(&self.brands, msg, name_brand, subject_aliases, body_aliases);
        // a sender name written as a headline ("Your account is blocked") is read like the
        // subject
        let sender_name = msg
            .from
            .as_ref()
            .and_then(|f| f.name.as_deref())
            .unwrap_or("");
        let sender_name_norm = crate::text::NormText::new(sender_name, 1024);
        let sender_name_phrases = if sender_name.is_empty() {
            Vec::new()
        } else {
            self.lexicon.find(&sender_name_norm)
        };
        let subject_lookalike_words = crate::text::lookalike_candidates(&msg.subject);
        let body_lookalike_words = crate::text::lookalike_candidates(&msg.body);
        let cx = Context {
            msg,
            brands: &self.brands,
            claim: claim.as_ref(),
            name_brand,
            freemail: &self.freemail,
            shorteners: &self.shorteners,
            subject_phrases: &subject_phrases,
            body_phrases: &body_phrases,
            sender_name,
            sender_name_norm: &sender_name_norm,
            sender_name_phrases: &sender_name_phrases,
            subject_lookalike_words: &subject_lookalike_words,
            body_lookalike_words: &body_lookalike_words,
            lexicon: &self.lexicon,
            hosting: &self.hosting,
            profile_hosts: &self.profile_hosts,
            image_hosts: &self.image_hosts,
            redirectors: &self.redirectors,
            abused_tlds: &self.abused_tlds,
            auth: self.trusted_auth(msg, live),
            trusted_authserv_ids: &self.trusted_authserv_ids,
        };
        let brand = cx.brand().map(|(_, b)| b);
        let brand_name = brand.map(|b| b.display_name(lang.code()).to_string());
        let mut reasons = Vec::new();
        let mut score = 0.0;
        let mut truncated = msg.truncated.clone();
        for (id, run) in CHECKS {
            // each check is bounded by the size limits; the budget is the last guard
            if started.elapsed() > self.limits.time_budget {
                truncated.push("time_budget");
                break;
            }
            let evidence = run(&cx);
            if evidence.is_empty() {
                continue;
            }
            let weight = self.weights.of(id);
            score += weight;
            let summary = fill(
                texts.reasons.get(*id).map_or("", String::as_str),
                &[("brand", brand_name.as_deref().unwrap_or("?"))],
            );
            reasons.push(Reason {
                id,
                weight,
                summary,
                evidence,
            });
        }
        let checked = Instant::now();
        times.checks += checked.duration_since(started);
        let score = (score * 100.0).round() / 100.0;
        let t = &self.weights.thresholds;
        let verdict = if score >= t.phishing {
            Verdict::Phishing
        } else if score >= t.suspicious {
            Verdict::Suspicious
        } else {
            Verdict::Legitimate
        };
        let advice = advise(texts, lang, verdict, brand, msg.kind);
        let report = Report {
            source: source.to_string(),
            kind: msg.kind,
            verdict,
            verdict_text: texts.verdict_line(verdict.as_str(), msg.kind == Kind::Sms),
            score,
            brand: brand.map(|b| b.id.clone()),
            brand_name,
            lang: lang.code(),
            message_japanese: msg.japanese,
            sender: msg.from.as_ref().map(|p| SenderSummary {
                shown: p.shown.clone(),
                address: p.address.clone(),
                domain: p.domain.as_ref().map(|d| d.registrable.clone()),
            }),
            subject: msg.subject.clone(),
            reasons,
            advice,
            links: msg
                .links
                .iter()
                .enumerate()
                .map(|(index, l)| LinkSummary {
                    index,
                    href: l.href.clone(),
                    text: l.text.clone(),
                    host: l.host.as_ref().map(|h| h.unicode.clone()),
                    domain: l.host.as_ref().map(|h| h.registrable.clone()),
                    origin: l.origin,
                })
                .collect(),
            truncated: !truncated.is_empty(),
            limits_hit: truncated,
            warnings: msg.warnings.clone(),
            attached: Vec::new(),
        };
        times.score += checked.elapsed();
        report
    }
}

fn report_lang(r: &Report) -> Lang {
    if r.lang == "ja" { Lang::Ja } else { Lang::En }
}
