//! Parse and normalise: raw mail or SMS text → [`Message`], the one model every check reads.

use crate::domain::{DomainInfo, address_domain};
use crate::html;
use crate::text::{NormText, is_japanese, truncate_at_char};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde::Serialize;
use std::sync::LazyLock;

/// Limits on what is analysed, so hostile input stays bounded in time and memory.
/// When a limit is hit the report says so (`truncated`), it never silently analyses less.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of a raw message that are parsed.
    pub max_message_bytes: usize,
    /// Bytes of text (subject, body) that are normalised and matched.
    pub max_text_bytes: usize,
    /// Bytes of HTML that are tokenized.
    pub max_html_bytes: usize,
    /// Links that are analysed.
    pub max_links: usize,
    /// MIME parts looked at for text, HTML and attachments.
    pub max_parts: usize,
    /// Attached messages (a forward of a forward) are analysed this many levels deep.
    pub max_nesting: usize,
    /// Time for one message's checks; when it runs out the remaining checks are skipped
    /// and the report says `time_budget`. Parsing itself is bounded by the size limits.
    pub time_budget: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 64 << 20,
            max_text_bytes: 1 << 20,
            max_html_bytes: 4 << 20,
            max_links: 1000,
            max_parts: 1000,
            max_nesting: 2,
            time_budget: std::time::Duration::from_secs(2),
        }
    }
}

/// Mail or SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Mail,
    Sms,
}

/// One address header (From, Reply-To, Sender, Return-Path) or an SMS sender id.
#[derive(Debug, Clone)]
pub struct Party {
    /// Header name as used in evidence locations (`From`).
    pub header: &'static str,
    /// The decoded value as the reader would see it: `Name <addr>`.
    pub shown: String,
    pub name: Option<String>,
    pub address: Option<String>,
    pub domain: Option<DomainInfo>,
    /// The name stood in the header as a separate entry without an address
    /// (`Name, <addr>`): invalid, and a trick to show a name the address does not carry.
    pub detached_name: bool,
}

impl Party {
    fn new(header: &'static str, name: Option<&str>, address: Option<&str>) -> Party {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let address = address
            .map(|a| a.trim().trim_matches(['<', '>']).to_string())
            .filter(|a| !a.is_empty());
        let shown = match (&name, &address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (Some(n), None) => n.clone(),
            (None, Some(a)) => a.clone(),
            (None, None) => String::new(),
        };
        let domain = address
            .as_deref()
            .and_then(address_domain)
            .and_then(DomainInfo::parse);
        Party {
            header,
            shown,
            name,
            address,
            domain,
            detached_name: false,
        }
    }

    /// The From header as a reader's mail program shows it. A From like
    /// `Brand Team, <x@elsewhere>` parses as two entries, a name without an address and an
    /// address; the reader still sees the name, so the party keeps both. `raw` (the header
    /// as written) is searched for an address when the parser found none, as in
    /// `Name,(<x@elsewhere>)`, where the address sits in a comment.
    fn from_header(
        header: &'static str,
        list: &mail_parser::Address,
        raw: Option<&str>,
    ) -> Option<Party> {
        // (name, address) entries in order; a group's name is an entry without an address
        let mut entries: Vec<(Option<&str>, Option<&str>)> = Vec::new();
        match list {
            mail_parser::Address::List(l) => {
                entries.extend(l.iter().take(16).map(|a| (a.name(), a.address())));
            }
            mail_parser::Address::Group(groups) => {
                for g in groups.iter().take(16) {
                    if g.name.is_some() {
                        entries.push((g.name.as_deref(), None));
                    }
                    entries.extend(g.addresses.iter().take(16).map(|a| (a.name(), a.address())));
                }
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for (name, address) in entries {
            let name = name
                .map(str::trim)
                .filter(|n| n.chars().any(char::is_alphanumeric));
            match address.map(str::trim).filter(|a| !a.is_empty()) {
                Some(address) if address.contains('@') => {
                    if names.is_empty() {
                        return Some(Party::new(header, name, Some(address)));
                    }
                    names.extend(name);
                    let mut party = Party::new(header, Some(&names.join(", ")), Some(address));
                    party.detached_name = true;
                    return Some(party);
                }
                // `<Name>, <addr>`: what stands in brackets without an @ is read as a name
                Some(not_address) => {
                    names.extend(name);
                    names.push(not_address);
                }
                None => names.extend(name),
            }
        }
        let address = raw.and_then(address_in_raw_header);
        let name = (!names.is_empty()).then(|| {
            let name = names.join(", ");
            match address {
                // the parser kept the commented-out address in the name
                Some(a) => name
                    .replace(&format!("<{a}>"), "")
                    .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
                    .to_string(),
                None => name,
            }
        });
        let mut party = Party::new(header, name.as_deref(), address);
        party.detached_name = address.is_some() && party.name.is_some();
        Some(party).filter(|p| !p.shown.is_empty())
    }
}

/// The last `<…@…>` in a raw address header, wherever it stands (even in a comment).
fn address_in_raw_header(raw: &str) -> Option<&str> {
    let end = raw.rfind('>')?;
    let before = raw.get(..end)?;
    let start = before.rfind('<')? + 1;
    let candidate = before.get(start..)?.trim();
    (candidate.contains('@') && !candidate.contains(char::is_whitespace) && candidate.len() <= 254)
        .then_some(candidate)
}

/// Where a link was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkOrigin {
    /// `<a href>` / `<area href>` in HTML.
    Html,
    /// `<form action>` in HTML.
    Form,
    /// A URL written in plain text.
    Text,
    /// A link target inside an attached document (a PDF's link annotation).
    Attachment,
}

/// One link, normalised.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    /// What the reader sees for it (anchor text); None for plain-text URLs.
    pub text: Option<String>,
    pub origin: LinkOrigin,
    /// Lower-case scheme (`https`, `mailto`, …), empty if none could be parsed.
    pub scheme: String,
    pub host: Option<DomainInfo>,
    /// The URL carries `user@` (or `user:pass@`) before the host.
    pub userinfo: Option<String>,
    /// Path, query and fragment.
    pub rest: String,
    /// For plain-text URLs: byte range in the body text.
    pub body_span: Option<(usize, usize)>,
}

impl Link {
    /// A web link (http/https) with a host.
    pub fn is_web(&self) -> bool {
        (self.scheme == "http" || self.scheme == "https") && self.host.is_some()
    }
}

/// An attachment's name and type.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: String,
    pub size: usize,
}

/// The normalised message every check reads.
#[derive(Debug, Clone)]
pub struct Message {
    pub kind: Kind,
    pub from: Option<Party>,
    /// The first few To addresses (the recipient, as the sender addressed them).
    pub to: Vec<Party>,
    pub reply_to: Vec<Party>,
    pub sender: Option<Party>,
    pub return_path: Option<Party>,
    pub subject: String,
    pub subject_norm: NormText,
    /// The text the reader reads: text/plain parts, or the visible text of the HTML.
    pub body: String,
    pub body_norm: NormText,
    pub body_from_html: bool,
    /// `<img alt>` and `<title>` texts.
    pub alt_texts: Vec<String>,
    pub links: Vec<Link>,
    pub attachments: Vec<Attachment>,
    /// HTML inputs asking for secrets.
    pub secret_inputs: Vec<String>,
    /// Characters of text the HTML hides from the reader, and a sample of it.
    pub hidden_chars: usize,
    pub hidden_sample: String,
    /// Images in the HTML body.
    pub images: usize,
    /// Hosts the HTML body's pictures are loaded from (see `html::HtmlDoc::image_hosts`).
    pub image_hosts: Vec<String>,
    /// Letters and digits in the HTML body's visible text (what a mail client shows,
    /// whatever the plain-text alternative says).
    pub html_letters: usize,
    /// Tags the HTML repeats as padding (see `html::HtmlDoc::padding_tags`).
    pub padding_tags: Vec<String>,
    /// A style declaration that pushes content far out of sight (`css::offscreen_push`).
    pub offscreen_push: Option<String>,
    /// Raw bytes of attached messages (message/rfc822): a forwarded phish, a report.
    pub attached_messages: Vec<Vec<u8>>,
    /// The last of `attached_messages` is not an attachment but a mail forwarded inline
    /// in the body, rebuilt under its quoted sender and subject ([`crate::forward`]).
    pub forwarded_inline: bool,
    /// A delivery status notification (bounce): its attached message is the recipient's
    /// own mail coming back, not something sent to them.
    pub is_delivery_report: bool,
    pub japanese: bool,
    /// `Authentication-Results` and `ARC-Authentication-Results` headers, parsed, in
    /// header order (top first), whoever wrote them: [`crate::auth::pick_trusted`]
    /// chooses the ones to believe.
    pub auth_results: Vec<crate::auth::AuthResults>,
    /// `Received` header values, unfolded, top first (the first few).
    pub received: Vec<String>,
    /// The mail names an earlier one it answers or forwards (`In-Reply-To` or
    /// `References`). Its absence proves nothing alone: pasted mail has no headers.
    pub threaded: bool,
    /// Names of the limits that were hit.
    pub truncated: Vec<&'static str>,
    /// Parser warnings (e.g. undecodable charset).
    pub warnings: Vec<String>,
}

/// Why a raw input could not be analysed at all.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ParseError {
    #[error("empty input")]
    Empty,
    #[error("not a mail message: no header or body could be parsed")]
    NotMail,
    #[error("binary data, not a mail message or text")]
    Binary,
}

/// Whether the start of an input is binary (control bytes other than tab, line ends, form
/// feed and the ISO-2022-JP escape): a mail's header section is always text.
pub fn looks_binary(buf: &[u8]) -> bool {
    let sample = buf.get(..buf.len().min(8192)).unwrap_or(buf);
    if sample.is_empty() {
        return false;
    }
    ctrl_bytes(sample) * 10 > sample.len()
}

/// How many bytes of `sample` are control bytes other than tab, line ends, form feed and
/// escape (DEL included). Counted without branches in chunks of 255 bytes (a chunk's
/// count fits a byte), so that the compiler counts many bytes at once.
fn ctrl_bytes(sample: &[u8]) -> usize {
    let mut total = 0usize;
    for chunk in sample.chunks(255) {
        let mut n: u8 = 0;
        for &b in chunk {
            let ctrl =
                (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') & (b != 0x1b) & (b != 0x0c)
                    | (b == 0x7f);
            n = n.wrapping_add(u8::from(ctrl));
        }
        total += usize::from(n);
    }
    total
}

static MAIL_PARSER: LazyLock<MessageParser> = LazyLock::new(MessageParser::default);

/// Parse a raw RFC 5322 message.
pub fn parse_mail(raw: &[u8], limits: &Limits) -> Result<Message, ParseError> {
    let mut parse_time = std::time::Duration::ZERO;
    parse_mail_timed(raw, limits, &mut parse_time)
}

/// [`parse_mail`], adding the time spent in the MIME parser itself (structure, transfer
/// encodings, charsets) to `parse_time`; the rest of the call is normalisation.
pub fn parse_mail_timed(
    raw: &[u8],
    limits: &Limits,
    parse_time: &mut std::time::Duration,
) -> Result<Message, ParseError> {
    parse_mail_keep_parsed(raw, limits, parse_time).map(|(m, _)| m)
}

/// [`parse_mail_timed`], also handing back mail-parser's parse of the message, for
/// callers that need more of it (triage: the date, the `Received` chain, attachment
/// contents) without parsing the message a second time.
pub fn parse_mail_keep_parsed<'x>(
    raw: &'x [u8],
    limits: &Limits,
    parse_time: &mut std::time::Duration,
) -> Result<(Message, mail_parser::Message<'x>), ParseError> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Empty);
    }
    if looks_binary(raw) {
        return Err(ParseError::Binary);
    }
    let mut truncated = Vec::new();
    let raw = if raw.len() > limits.max_message_bytes {
        truncated.push("max_message_bytes");
        raw.get(..limits.max_message_bytes).unwrap_or(raw)
    } else {
        raw
    };
    let started = std::time::Instant::now();
    let parsed = MAIL_PARSER.parse(raw);
    *parse_time += started.elapsed();
    let parsed = parsed.ok_or(ParseError::NotMail)?;
    let mut warnings = Vec::new();

    let party = |header: &'static str, a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first())
            .map(|a| Party::new(header, a.name(), a.address()))
            .filter(|p| !p.shown.is_empty())
    };
    let from = parsed
        .from()
        .and_then(|a| Party::from_header("From", a, parsed.header_raw("From")));
    let sender = party("Sender", parsed.sender());
    // the first few of an address list (a message to thousands names only some)
    let list = |header: &'static str, a: Option<&mail_parser::Address>, max: usize| -> Vec<Party> {
        a.map(|a| {
            a.iter()
                .take(max)
                .map(|x| Party::new(header, x.name(), x.address()))
                .filter(|p| p.address.is_some())
                .collect()
        })
        .unwrap_or_default()
    };
    let to = list("To", parsed.to(), 4);
    let reply_to = list("Reply-To", parsed.reply_to(), 8);
    let return_path = parsed
        .return_address()
        .map(|a| Party::new("Return-Path", None, Some(a)))
        .filter(|p| p.address.is_some());
    let subject = parsed.subject().unwrap_or("").trim().to_string();
    let (auth_results, received) = auth_headers(&parsed, raw);
    let threaded = parsed
        .header_raw("In-Reply-To")
        .or_else(|| parsed.header_raw("References"))
        .is_some_and(|v| !v.trim().is_empty());

    let mut plain = String::new();
    let mut html_doc: Option<html::HtmlDoc> = None;
    let mut html_budget = limits.max_html_bytes;
    let mut offscreen_push = None;
    let mut parts_seen = 0usize;
    // An HTML-only message lists its HTML part among both the text and the HTML bodies:
    // take each part once.
    let mut seen_offsets = Vec::new();
    for part in parsed.text_bodies().chain(parsed.html_bodies()) {
        if seen_offsets.contains(&part.offset_header) {
            continue;
        }
        seen_offsets.push(part.offset_header);
        parts_seen += 1;
        if parts_seen > limits.max_parts {
            truncated.push("max_parts");
            break;
        }
        if part.is_encoding_problem {
            warnings.push("a body part could not be decoded cleanly".to_string());
        }
        match &part.body {
            PartType::Text(t) if plain.len() < limits.max_text_bytes => {
                if !plain.is_empty() {
                    plain.push('\n');
                }
                plain.push_str(t);
            }
            PartType::Html(h) if html_budget > 0 => {
                if h.len() > html_budget {
                    truncated.push("max_html_bytes");
                }
                if offscreen_push.is_none() {
                    let scanned = h.as_bytes();
                    offscreen_push =
                        crate::css::offscreen_push(scanned.get(..html_budget).unwrap_or(scanned));
                }
                let doc = html::extract(h, html_budget, limits.max_links);
                html_budget = html_budget.saturating_sub(h.len());
                if doc.links_truncated {
                    truncated.push("max_links");
                }
                match html_doc.as_mut() {
                    Some(d) => {
                        d.text.push('\n');
                        d.text.push_str(&doc.text);
                        d.links.extend(doc.links);
                        d.alt_texts.extend(doc.alt_texts);
                        d.secret_inputs.extend(doc.secret_inputs);
                        d.hidden_chars += doc.hidden_chars;
                        d.images += doc.images;
                        for h in doc.image_hosts {
                            if d.image_hosts.len() < 16 && !d.image_hosts.contains(&h) {
                                d.image_hosts.push(h);
                            }
                        }
                        d.padding_tags.extend(doc.padding_tags);
                    }
                    None => html_doc = Some(doc),
                }
            }
            _ => {}
        }
    }
    let is_delivery_report = parsed.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    }) || from
        .as_ref()
        .and_then(|f| f.address.as_deref())
        .is_some_and(|a| {
            let local = a.split('@').next().unwrap_or("").to_ascii_lowercase();
            local == "mailer-daemon" || local == "postmaster"
        });
    let mut attachments = Vec::new();
    let mut attached_messages = Vec::new();
    let mut attachment_links = Vec::new();
    for part in parsed.attachments().take(limits.max_parts) {
        if let Some(inner) = part.message()
            && attached_messages.len() < 3
            && !inner.raw_message().is_empty()
        {
            attached_messages.push(inner.raw_message().to_vec());
        }
        let content_type = content_type_of(part);
        if attachment_links.len() < limits.max_links {
            let data = part.contents();
            if crate::pdf::is_pdf(data) {
                let room = limits.max_links - attachment_links.len();
                attachment_links.extend(crate::pdf::link_targets(data, room));
            }
        }
        attachments.push(Attachment {
            name: part.attachment_name().map(str::to_string),
            content_type,
            size: part.len(),
        });
    }

    // counted only where the body shown is the plain part (else the body is this text)
    let html_letters = match html_doc.as_ref() {
        Some(d) if !plain.trim().is_empty() => {
            d.text.chars().filter(|c| c.is_alphanumeric()).count()
        }
        _ => 0,
    };
    let (body, body_from_html) = if plain.trim().is_empty() {
        (
            html_doc
                .as_ref()
                .map(|d| d.text.clone())
                .unwrap_or_default(),
            html_doc.is_some(),
        )
    } else {
        (plain, false)
    };
    let body = tidy_body(&body);
    let mut links = Vec::new();
    let mut alt_texts = Vec::new();
    let mut secret_inputs = Vec::new();
    let mut hidden_chars = 0;
    let mut hidden_sample = String::new();
    let mut images = 0;
    let mut image_hosts = Vec::new();
    let mut padding_tags = Vec::new();
    if let Some(doc) = html_doc {
        images = doc.images;
        image_hosts = doc.image_hosts;
        padding_tags = doc.padding_tags;
        hidden_chars = doc.hidden_chars;
        hidden_sample = doc.hidden_sample;
        for l in doc.links {
            let origin = if l.tag == "form" {
                LinkOrigin::Form
            } else {
                LinkOrigin::Html
            };
            let text = Some(l.text).filter(|t| !t.is_empty());
            links.push(normalise_link(&l.href, text, origin, None));
        }
        alt_texts = doc.alt_texts;
        secret_inputs = doc.secret_inputs;
    }
    if !body_from_html {
        add_text_links(&body, &mut links, limits, &mut truncated);
    }
    // after the body's links, so that their indexes do not depend on the attachments
    for href in attachment_links {
        if links.len() >= limits.max_links {
            truncated.push("max_links");
            break;
        }
        if !links.iter().any(|l| l.href == href) {
            links.push(normalise_link(&href, None, LinkOrigin::Attachment, None));
        }
    }
    // a mail forwarded inline is read again under its own sender (see `forward`)
    let mut forwarded_inline = false;
    if !is_delivery_report && attached_messages.len() < 3 {
        let outer = from.as_ref().and_then(|f| f.address.as_deref());
        if let Some(f) = crate::forward::find(&subject, &body, outer) {
            attached_messages.push(crate::forward::synthesize(raw, &f));
            forwarded_inline = true;
        }
    }
    let msg = finish(
        Message {
            kind: Kind::Mail,
            from,
            to,
            reply_to,
            sender,
            return_path,
            subject,
            subject_norm: NormText::default(),
            body,
            body_norm: NormText::default(),
            body_from_html,
            alt_texts,
            links,
            attachments,
            secret_inputs,
            hidden_chars,
            hidden_sample,
            images,
            image_hosts,
            padding_tags,
            offscreen_push,
            html_letters,
            attached_messages,
            forwarded_inline,
            is_delivery_report,
            japanese: false,
            auth_results,
            received,
            threaded,
            truncated,
            warnings,
        },
        limits,
    );
    Ok((msg, parsed))
}

/// Parse SMS (or pasted) text. An optional first line `From: <sender>` names the sender.
pub fn parse_sms(text: &str, sender: Option<&str>, limits: &Limits) -> Result<Message, ParseError> {
    let mut text = text.trim_start_matches('\u{FEFF}');
    let mut sender = sender.map(str::to_string);
    if let Some(first) = text.lines().next() {
        let lower = first.to_ascii_lowercase();
        if lower.starts_with("from:") {
            if sender.is_none() {
                sender = first.get(5..).map(|s| s.trim().to_string());
            }
            text = text.get(first.len()..).unwrap_or("");
        }
    }
    if looks_binary(text.as_bytes()) {
        return Err(ParseError::Binary);
    }
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    let mut truncated = Vec::new();
    let body = tidy_body(text);
    let mut links = Vec::new();
    add_text_links(&body, &mut links, limits, &mut truncated);
    let from = sender.filter(|s| !s.is_empty()).map(|s| {
        if s.contains('@') {
            let (name, addr) = match s.rsplit_once('<') {
                Some((n, a)) => (Some(n.trim().trim_matches('"')), a),
                None => (None, s.as_str()),
            };
            Party::new("From", name, Some(addr))
        } else {
            Party::new("From", Some(&s), None)
        }
    });
    Ok(finish(
        Message {
            kind: Kind::Sms,
            from,
            to: Vec::new(),
            reply_to: Vec::new(),
            sender: None,
            return_path: None,
            subject: String::new(),
            subject_norm: NormText::default(),
            body,
            body_norm: NormText::default(),
            body_from_html: false,
            alt_texts: Vec::new(),
            links,
            attachments: Vec::new(),
            secret_inputs: Vec::new(),
            hidden_chars: 0,
            hidden_sample: String::new(),
            images: 0,
            image_hosts: Vec::new(),
            padding_tags: Vec::new(),
            offscreen_push: None,
            html_letters: 0,
            attached_messages: Vec::new(),
            forwarded_inline: false,
            is_delivery_report: false,
            japanese: false,
            auth_results: Vec::new(),
            received: Vec::new(),
            threaded: false,
            truncated,
            warnings: Vec::new(),
        },
        limits,
    ))
}

/// The authentication results headers (parsed) and the `Received` values (unfolded) of
/// the top-level header, top first, each list bounded.
fn auth_headers(
    parsed: &mail_parser::Message,
    raw: &[u8],
) -> (Vec<crate::auth::AuthResults>, Vec<String>) {
    use mail_parser::HeaderName;
    const MAX_RECEIVED: usize = 16;
    let mut results = Vec::new();
    let mut received = Vec::new();
    for h in parsed.headers() {
        let arc = match h.name {
            HeaderName::AuthenticationResults => false,
            HeaderName::ArcAuthenticationResults => true,
            HeaderName::Received if received.len() < MAX_RECEIVED => {
                if let Some(v) = raw_value(raw, h) {
                    received.push(v);
                }
                continue;
            }
            _ => continue,
        };
        if results.len() >= crate::auth::MAX_HEADERS {
            continue;
        }
        if let Some(r) = raw_value(raw, h).and_then(|v| crate::auth::parse_header(&v, arc)) {
            results.push(r);
        }
    }
    (results, received)
}

/// A header's value as written, unfolded (at most 8 KiB of it).
fn raw_value(raw: &[u8], h: &mail_parser::Header) -> Option<String> {
    let (start, end) = (h.offset_start as usize, h.offset_end as usize);
    let bytes = raw.get(start..end.min(start.saturating_add(8192)))?;
    // (valid UTF-8, nearly always: checked with `from_utf8`'s ASCII fast path, not the
    // slower chunk-by-chunk walk of `from_utf8_lossy`, which gives the same text)
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    Some(join_words(&text))
}

/// `s.split_whitespace()` joined with single spaces, without the intermediate vector.
fn join_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    if s.is_ascii() {
        // byte by byte: the ASCII white space of `char::is_whitespace`
        let b = s.as_bytes();
        let space = |i: usize| {
            b.get(i)
                .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        };
        let mut i = 0;
        while i < b.len() {
            while space(i) {
                i += 1;
            }
            let start = i;
            while i < b.len() && !space(i) {
                i += 1;
            }
            if let Some(w) = s.get(start..i).filter(|w| !w.is_empty()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(w);
            }
        }
        return out;
    }
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn finish(mut m: Message, limits: &Limits) -> Message {
    if m.body.len() > limits.max_text_bytes {
        m.truncated.push("max_text_bytes");
    }
    m.subject_norm = NormText::new(&m.subject, limits.max_text_bytes);
    m.body_norm = NormText::new(&m.body, limits.max_text_bytes);
    m.japanese = is_japanese(&m.subject) || is_japanese(&m.body);
    m.truncated.sort_unstable();
    m.truncated.dedup();
    m
}

/// A MIME part's content type as `type/subtype`, lower case (`application/octet-stream`
/// when the part names none).
pub fn content_type_of(part: &mail_parser::MessagePart) -> String {
    part.content_type()
        .map(|c| match c.subtype() {
            Some(s) => format!("{}/{}", c.ctype(), s),
            None => c.ctype().to_string(),
        })
        .unwrap_or_else(|| "application/octet-stream".into())
        .to_ascii_lowercase()
}

/// Collapse the blank-line runs that HTML conversion leaves, keep the text otherwise as is
/// (evidence offsets point into this text).
fn tidy_body(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank_lines = 0;
    // (the lines of `str::lines`, found with memchr: a `\r` before the `\n` goes with the
    // trailing white space trimmed anyway)
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', s.as_bytes()).chain(std::iter::once(s.len()));
    for end in ends {
        let line = s.get(start..end).unwrap_or("");
        if end == s.len() && line.is_empty() {
            break;
        }
        start = end + 1;
        let l = line.trim_end();
        if l.is_empty() {
            blank_lines += 1;
            if blank_lines > 1 {
                continue;
            }
            out.push('\n');
        } else {
            blank_lines = 0;
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Characters a URL in running text is made of (`URL_CHAR` in the regex): it ends at
/// white space, quotes, brackets or Japanese.
#[cfg(test)]
const URL_CHAR: &str =
    r#"[^\s<>"'`「」『』【】（）()\[\]{}\x{3000}-\x{30FF}\x{4E00}-\x{9FFF}\x{FF00}-\x{FFEF}]"#;

/// `URL_CHAR` as a function.
fn is_url_char(c: char) -> bool {
    !(c.is_whitespace()
        || matches!(
            c,
            '<' | '>'
                | '"'
                | '\''
                | '`'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '（'
                | '）'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '\u{3000}'..='\u{30FF}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{FF00}'..='\u{FFEF}'
        ))
}

/// A URL in running text: with a scheme, starting with www., or a bare domain followed by a
/// path (`amzn.to/abc`, common in SMS). What [`url_start_in_run`] finds; the tests' reference.
#[cfg(test)]
static TEXT_URL: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    const CH: &str = URL_CHAR;
    regex::Regex::new(&format!(
        r"(?i)(?:https?://{CH}+|www\.{CH}+|(?:[a-z0-9](?:[a-z0-9-]{{0,62}}[a-z0-9])?\.)+[a-z]{{2,24}}/{CH}*)"
    ))
    .ok()
});

/// The stretches of `text` (byte ranges, in order) that can hold a `TEXT_URL` match.
///
/// Every character the regex matches is a `URL_CHAR` and it has no anchors or word
/// boundaries, so its matches in `text` are its matches in the maximal runs of URL
/// characters, run by run. Every match holds a `/` or `www.`: only runs with one of
/// those are searched, found with memchr, instead of running the regex over all the text.
fn url_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut done = 0;
    memchr::memchr2_iter(b'/', b'.', b).filter_map(move |p| {
        let www = p >= 3
            && b.get(p - 3..p)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"www"));
        if p < done || (b.get(p) == Some(&b'.') && !www) {
            return None;
        }
        // ('/' and '.' are URL characters, and ASCII, so `p` is a character boundary)
        let start = text.get(..p).map_or(p, |before| {
            before
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_url_char(*c))
                .last()
                .map_or(p, |(i, _)| i)
        });
        let end = text.get(p..).map_or(p, |after| {
            after
                .char_indices()
                .find(|(_, c)| !is_url_char(*c))
                .map_or(text.len(), |(i, _)| p + i)
        });
        done = end;
        Some((start, end))
    })
}

/// Where the `TEXT_URL` match in `run` starts, if there is one. `run` is one of
/// [`url_runs`]: all URL characters, so each alternative's `{CH}+` / `{CH}*` runs to its
/// end, and the regex's one match there is from the leftmost position where any
/// alternative can begin to the end of the run. Found here without the regex, whose lazy
/// DFA searched every run forwards and back again (tested against it).
fn url_start_in_run(run: &str) -> Option<usize> {
    let b = run.as_bytes();
    // `https?://` and `www.` followed by at least one character
    let scheme_or_www = (0..b.len()).find(|&i| {
        let rest = b.get(i..).unwrap_or(&[]);
        if rest.len() >= 4
            && rest
                .get(..4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"http"))
        {
            let tail = rest.get(4..).unwrap_or(&[]);
            let tail = match tail {
                [b's' | b'S', t @ ..] => [tail, t],
                // U+017F LATIN SMALL LETTER LONG S, `s` case-folded
                [0xC5, 0xBF, t @ ..] => [tail, t],
                _ => [tail, tail],
            };
            tail.iter()
                .any(|t| t.len() > 3 && t.get(..3) == Some(b"://"))
        } else {
            rest.len() > 4
                && rest
                    .get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b"www."))
        }
    });
    // (a stretch before a `/` begins after the `/` before it)
    let mut prev = None;
    let domain = memchr::memchr_iter(b'/', b)
        .take_while(|&q| {
            let open = scheme_or_www.is_none_or(|s| prev.is_none_or(|p| p < s));
            prev = Some(q);
            open
        })
        .find_map(|q| domain_start_before(run.get(..q).unwrap_or("")));
    match (scheme_or_www, domain) {
        (Some(a), Some(d)) => Some(a.min(d)),
        (a, d) => a.or(d),
    }
}

/// `(?i)[a-z0-9-]`: ASCII letters and digits, `-`, and the two non-ASCII letters that
/// fold to ASCII ones (KELVIN SIGN, LONG S).
fn is_label_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '\u{212A}' || c == '\u{17F}'
}

/// The leftmost position in `before` (the text up to a `/`) from which it reads
/// `(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+[a-z]{2,24}` (case-insensitive) to its end.
fn domain_start_before(before: &str) -> Option<usize> {
    // the stretch of label characters and dots that ends at the `/`
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c == '.' || is_label_char(c))
        .last()
        .map_or(before.len(), |(i, _)| i);
    let stretch = before.get(start..)?;
    let last_dot = stretch.rfind('.')?;
    let tld = stretch.get(last_dot + 1..)?;
    let tld_len = tld.chars().count();
    if !(2..=24).contains(&tld_len) || !tld.chars().all(|c| c != '-' && !c.is_ascii_digit()) {
        return None;
    }
    let labels = stretch.get(..last_dot)?;
    let valid = |l: &str| {
        let n = l.chars().count();
        (1..=64).contains(&n) && !l.starts_with('-') && !l.ends_with('-')
    };
    // the labels after the last one that is not a whole label must all be; the match
    // begins in that one (at its leftmost valid ending) or else just after it
    let parts: Vec<(usize, &str)> = labels
        .split('.')
        .scan(0, |at, l| {
            let p = (*at, l);
            *at += l.len() + 1;
            Some(p)
        })
        .collect();
    let first = parts.iter().rposition(|(_, l)| !valid(l)).unwrap_or(0);
    for &(at, l) in parts.get(first..)? {
        if l.is_empty() || l.ends_with('-') {
            continue;
        }
        // the leftmost start leaving at most 64 characters, not on a `-`
        let n = l.chars().count();
        let o = l
            .char_indices()
            .skip(n.saturating_sub(64))
            .find(|&(_, c)| c != '-')
            .map(|(i, _)| i)?;
        return Some(start + at + o);
    }
    None
}

fn add_text_links(
    body: &str,
    links: &mut Vec<Link>,
    limits: &Limits,
    truncated: &mut Vec<&'static str>,
) {
    let text = truncate_at_char(body, limits.max_text_bytes);
    let matches = url_runs(text).filter_map(|(start, end)| {
        url_start_in_run(text.get(start..end).unwrap_or("")).map(|s| (start + s, end))
    });
    for (m_start, m_end) in matches {
        let m_str = text.get(m_start..m_end).unwrap_or("");
        // not glued to a preceding word, address or URL
        let before = text.get(..m_start).and_then(|p| p.chars().last());
        if before
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '/' | '-' | '_'))
        {
            continue;
        }
        let url = m_str.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '>', '\'', '"']);
        if url.len() < 4 {
            continue;
        }
        if links.iter().any(|l| l.href == url) {
            continue;
        }
        if links.len() >= limits.max_links {
            truncated.push("max_links");
            return;
        }
        let span = (m_start, m_start + url.len());
        links.push(normalise_link(url, None, LinkOrigin::Text, Some(span)));
    }
}

/// Parse one link target into its parts.
pub fn normalise_link(
    href: &str,
    text: Option<String>,
    origin: LinkOrigin,
    body_span: Option<(usize, usize)>,
) -> Link {
    let href = href
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || crate::text::is_invisible(c));
    let mut link = Link {
        href: href.to_string(),
        text,
        origin,
        scheme: String::new(),
        host: None,
        userinfo: None,
        rest: String::new(),
        body_span,
    };
    let lower = href.to_ascii_lowercase();
    let with_scheme;
    let candidate =
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.contains(':') {
            href
        } else if lower.starts_with("//") {
            with_scheme = format!("http:{href}");
            &with_scheme
        } else {
            with_scheme = format!("http://{href}");
            &with_scheme
        };
    if let Ok(u) = url::Url::parse(candidate) {
        link.scheme = u.scheme().to_ascii_lowercase();
        if !u.username().is_empty() || u.password().is_some() {
            link.userinfo = Some(match u.password() {
                Some(p) => format!("{}:{}", u.username(), p),
                None => u.username().to_string(),
            });
        }
        link.host = u.host_str().and_then(DomainInfo::parse);
        let mut rest = u.path().to_string();
        if let Some(q) = u.query() {
            rest.push('?');
            rest.push_str(q);
        }
        link.rest = rest;
    }
    link
}

/// If a link's shown text is itself a URL or domain name, the host it names.
pub fn shown_host(text: &str) -> Option<DomainInfo> {
    let t = NormText::new(text, 2048).text;
    let t = t.trim().trim_end_matches(['.', ',', '/', ')', '>', ']']);
    if t.is_empty() || t.contains(' ') || !t.contains('.') {
        return None;
    }
    let with_scheme = if t.starts_with("http://") || t.starts_with("https://") {
        t.to_string()
    } else {
        format!("http://{t}")
    };
    let u = url::Url::parse(&with_scheme).ok()?;
    let host = u.host_str()?;
    let d = DomainInfo::parse(host)?;
    // "www.example.com" or "example.com": the last label must be a known public suffix
    // (so "file.pdf" or "v1.2" are not taken for domains)
    if !d.is_ip && psl::suffix(d.ascii.as_bytes()).is_none_or(|s| !s.is_known()) {
        return None;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn join_words_matches_split_whitespace() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "a  b\t\tc\r\n d",
            "\x0b\x0cx\x0b\x0cy\x0b",
            "from mx.example (1.2.3.4)\r\n\tby mx2; Tue, 24 Nov 2026",
            "\u{a0}non-ASCII\u{2003}spaces\u{3000}全角 x",
            "\x1c\x1d\x1e\x1f are separators, not white space in ASCII",
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(super::join_words(s), want, "{s:?}");
        }
    }

    #[test]
    fn ctrl_count_matches_the_filter() {
        let reference = |s: &[u8]| {
            s.iter()
                .filter(|b| {
                    (**b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x1b | 0x0c))
                        || **b == 0x7f
                })
                .count()
        };
        let all: Vec<u8> = (0..=255u8).collect();
        let mut samples: Vec<Vec<u8>> = vec![Vec::new(), all.clone(), all.repeat(40)];
        // a cheap generator: every byte value in runs of varying length
        let mut x: u32 = 12345;
        let mut noise = Vec::new();
        for _ in 0..9000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push((x >> 16) as u8);
        }
        for len in [1, 127, 128, 129, 254, 255, 256, 510, 511, 1000, 8192, 9000] {
            samples.push(noise.iter().take(len).copied().collect());
            samples.push(vec![0x1f; len]);
            samples.push(vec![0x7f; len]);
            samples.push(vec![b'\t'; len]);
        }
        for s in &samples {
            assert_eq!(super::ctrl_bytes(s), reference(s));
        }
    }

    use super::*;
    use regex::Regex;

    #[test]
    fn tidy_body_is_the_line_by_line_tidy() {
        fn reference(s: &str) -> String {
            let mut out = String::new();
            let mut blank_lines = 0;
            for line in s.lines() {
                let l = line.trim_end();
                if l.trim().is_empty() {
                    blank_lines += 1;
                    if blank_lines > 1 {
                        continue;
                    }
                    out.push('\n');
                } else {
                    blank_lines = 0;
                    out.push_str(l);
                    out.push('\n');
                }
            }
            out
        }
        let pieces = [
            "a", " ", "\n", "\r", "\r\n", "\t", "\u{3000}", "\u{a0}", "x y", "\u{85}",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x5851_f42d_4c95_7f2du64);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..50_000 {
            let s: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(tidy_body(&s), reference(&s), "{s:?}");
        }
    }

    #[test]
    fn join_words_is_split_whitespace_joined() {
        for s in [
            "",
            "   ",
            "a",
            " from  mx.example.jp\r\n\t(by x)  ;  Tue,\u{3000}1 Jan ",
            "x\u{a0}y\u{2028}z\u{85}w",
            "\x0bvt\x0cff\x1fus\x1c fs",
            "by mx.example.jp with ESMTP id 12345;\r\n\tTue, 24 Nov 2026 07:20:32 +0900",
        ] {
            assert_eq!(
                join_words(s),
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }

    /// The text-URL matches as the regex finds them over the whole text.
    fn reference_url_matches(text: &str) -> Vec<(usize, usize)> {
        let Some(re) = TEXT_URL.as_ref() else {
            return Vec::new();
        };
        re.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    fn url_matches(text: &str) -> Vec<(usize, usize)> {
        url_runs(text)
            .filter_map(|(s, e)| url_start_in_run(&text[s..e]).map(|m| (s + m, e)))
            .collect()
    }

    #[test]
    fn url_start_in_run_is_the_regex_match() {
        let re = TEXT_URL.as_ref().unwrap();
        let pieces = [
            "a",
            "b",
            "z",
            "0",
            "9",
            "-",
            ".",
            "/",
            ":",
            "h",
            "t",
            "p",
            "s",
            "w",
            "H",
            "T",
            "P",
            "S",
            "W",
            "K",
            "\u{212A}",
            "\u{17F}",
            "é",
            "_",
            "?",
            "co",
            "m",
            "http",
            "https://",
            "HTTP://",
            "www.",
            "WwW.",
            ".com/",
            ".jp",
            "://",
            "-a",
            "a-",
            "..",
            ".-",
            "-.",
            "x.y",
            "1.",
            "ab.cd/",
            "\u{17F}://",
        ];
        let mut rng = crate::test_rng::XorShift::new(0x9e37_79b9_7f4a_7c15u64);
        let mut next = |n: usize| rng.below(n);
        let mut found = 0;
        for _ in 0..60_000 {
            let mut run = String::new();
            for _ in 0..next(24) {
                if next(40) == 0 {
                    run.push_str(&"x".repeat(55 + next(15)));
                } else {
                    run.push_str(pieces[next(pieces.len())]);
                }
            }
            let want: Vec<(usize, usize)> =
                re.find_iter(&run).map(|m| (m.start(), m.end())).collect();
            let got: Vec<(usize, usize)> = url_start_in_run(&run)
                .map(|s| (s, run.len()))
                .into_iter()
                .collect();
            found += want.len();
            assert_eq!(got, want, "{run:?}");
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn url_char_is_the_regex_class() {
        let class = Regex::new(&format!("^{URL_CHAR}$")).unwrap();
        for c in (0..0x11000u32)
            .chain(0xE0000..0xE0200)
            .filter_map(char::from_u32)
        {
            assert_eq!(
                is_url_char(c),
                class.is_match(c.encode_utf8(&mut [0u8; 4])),
                "{c:?}"
            );
        }
    }

    #[test]
    fn text_urls_are_found_run_by_run_as_in_the_whole_text() {
        for text in [
            "",
            "no links here. none at all",
            "Go to https://bit.ly/abc. or amzn.to/xyz\n",
            "HTTPS://EXAMPLE.COM/A WWW.Example.com www.x wwww.y ww.z",
            "see(www.a.example)and[http://b.example/c]「https://c.example/日本」",
            "a.b.c.d.e.f.example.co.jp/path?q=1&r=2#frag trailing/ /lead //x ://y",
            "x@mail.example/path user.name@www.example.com/p foo/bar/baz",
            "http://\u{212A}elvin.example/ \u{17F}hop.example/x https://\u{3042}.example/",
            "テキストhttps://a.example/x。次はwww.b.exampleです\u{3000}https://c.example/",
            "https://a.example/\u{a0}https://b.example/\u{2028}www.c.example\u{85}www.d",
            "end with www.",
            "www.",
            "/",
            "ends.with.slash.example/",
            "https://x.example/ü/ö?ß=1 http://[::1]/ http://user:pw@host.example:8080/p",
            "0123456789-abcdefghij.klmnopqrstuvwxyz.example/\u{1F600}",
        ] {
            assert_eq!(
                url_matches(text),
                reference_url_matches(text),
                "text: {text}"
            );
        }
        let long_label = format!("{}.example/x", "a".repeat(100));
        assert_eq!(url_matches(&long_label), reference_url_matches(&long_label));
    }

    #[test]
    fn parses_headers_and_text_links() {
        let raw = b"From: =?UTF-8?B?QW1hem9u?= <info@amazon-support.jp>\r\nReply-To: x@gmail.com\r\nSubject: test\r\n\r\nGo to https://bit.ly/abc. or amzn.to/xyz\r\n";
        let m = parse_mail(raw, &Limits::default()).unwrap();
        let from = m.from.unwrap();
        assert_eq!(from.name.as_deref(), Some("Amazon"));
        assert_eq!(from.domain.unwrap().registrable, "amazon-support.jp");
        assert_eq!(m.reply_to.len(), 1);
        assert_eq!(m.links.len(), 2);
        assert_eq!(m.links[0].href, "https://bit.ly/abc");
        assert_eq!(m.links[1].host.as_ref().unwrap().registrable, "amzn.to");
        let (s, e) = m.links[0].body_span.unwrap();
        assert_eq!(&m.body[s..e], "https://bit.ly/abc");
    }

    #[test]
    fn sms_with_sender_line() {
        let m = parse_sms(
            "From: Amazon\n【Amazon】お支払いに失敗しました https://amaz0n-jp.example/x",
            None,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(m.kind, Kind::Sms);
        assert_eq!(m.from.unwrap().name.as_deref(), Some("Amazon"));
        assert_eq!(m.links.len(), 1);
        assert_eq!(m.links[0].href, "https://amaz0n-jp.example/x");
        assert!(m.japanese);
    }

    #[test]
    fn link_parts() {
        let l = normalise_link(
            "https://www.amazon.co.jp@198.51.100.7/login",
            None,
            LinkOrigin::Html,
            None,
        );
        assert_eq!(l.userinfo.as_deref(), Some("www.amazon.co.jp"));
        assert!(l.host.unwrap().is_ip);
        let l = normalise_link("mailto:a@b.example", None, LinkOrigin::Html, None);
        assert_eq!(l.scheme, "mailto");
        assert!(!l.is_web());
    }

    #[test]
    fn shown_text_as_host() {
        assert_eq!(
            shown_host("https://www.amazon.co.jp/").unwrap().registrable,
            "amazon.co.jp"
        );
        assert_eq!(
            shown_host("Amazon.co.jp").unwrap().registrable,
            "amazon.co.jp"
        );
        assert!(shown_host("Click here").is_none());
        assert!(shown_host("report.pdf").is_none());
    }

    #[test]
    fn empty_and_garbage() {
        assert!(matches!(
            parse_mail(b"", &Limits::default()),
            Err(ParseError::Empty)
        ));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        // best effort: either a result or a clear error, never a panic
        let _ = parse_mail(&garbage, &Limits::default());
    }
}
