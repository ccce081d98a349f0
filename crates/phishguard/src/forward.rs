//! Inline forwards: a mail whose body is another mail, forwarded by a person ("Fw: …",
//! "---------- Forwarded message ---------", then `From:` / `Sent:` / `To:` / `Subject:`
//! lines). Security desks receive suspect mail this way: the reporter's own address is
//! the sender, and the mail to judge is the one quoted. We read the quoted sender and
//! subject, and the mail is then analysed a second time as if that sender had sent it
//! (like an attached message), so that the sender checks look at the real sender.

use regex::Regex;
use std::sync::LazyLock;

/// Subject prefixes that mean "forwarded", in the languages mail clients write them.
const FORWARD_PREFIXES: &[&str] = &[
    "fw:",
    "fwd:",
    "fw :",
    "fwd :",
    "enc:",
    "wg:",
    "tr:",
    "rv:",
    "i:",
    "doorst:",
    "vs:",
    "vb:",
    "fs:",
    "転送:",
    "転送：",
    "fw：",
    "fwd：",
    "转发:",
    "轉寄:",
];

/// Separator lines mail clients put above a forwarded mail ("Original Message" is left
/// out: Outlook writes it above quoted mail in replies too).
const FORWARD_SEPARATORS: &[&str] = &[
    "forwarded message",
    "begin forwarded message",
    "mensagem encaminhada",
    "mensaje reenviado",
    "weitergeleitete nachricht",
    "message transféré",
    "messaggio inoltrato",
    "doorgestuurd bericht",
    "転送メッセージ",
    "転送されたメッセージ",
];

/// Finds any of [`FORWARD_SEPARATORS`], ASCII case ignored, in one pass.
static SEPARATORS: LazyLock<Option<aho_corasick::AhoCorasick>> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(FORWARD_SEPARATORS)
        .ok()
});

/// A `From:` line of a quoted header block (labels of common mail clients in several
/// languages, possibly in bold or after a rule of dashes or underscores).
static FROM_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?mi)^[ \t>*_\-]*(?:from|de|von|da|van|från|fra|od|差出人|送信者|发件人|寄件者)[ \t*]*[:：][ \t*]*([^\r\n]+)$",
    )
    .ok()
});

/// The other labels of a quoted header block: the date, the recipients, the subject.
static OTHER_LABEL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?mi)^[ \t>*_]*(sent|date|enviado|enviada|data|fecha|gesendet|datum|envoyé|date d'envoi|inviato|verzonden|skickat|sendt|送信日時|日付|发送时间|to|para|an|à|a|aan|till|til|宛先|收件人|cc|subject|assunto|asunto|betreff|objet|oggetto|onderwerp|ämne|emne|件名|主题)[ \t*]*[:：][ \t*]*([^\r\n]*)$",
    )
    .ok()
});

static ADDRESS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+=\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}").ok()
});

/// Letters the forwarder may write above the forwarded mail (a note, a signature); a
/// longer text is a letter of its own that quotes an older one.
const MAX_NOTE_LETTERS: usize = 500;
/// How far into the body the quoted header block may start.
const MAX_BLOCK_START: usize = 6000;

/// The quoted mail's sender and subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineForward {
    /// `From` as `"Name" <address>` (or the bare address).
    pub from: String,
    pub address: String,
    pub subject: Option<String>,
}

/// The mail forwarded inline in `body`, if the mail is a forward (its subject or a
/// separator line says so) whose quoted header block names a sender other than
/// `outer_from` and comes after at most a short note.
pub fn find(subject: &str, body: &str, outer_from: Option<&str>) -> Option<InlineForward> {
    let (from_re, other_re, addr_re) = (
        FROM_LINE.as_ref()?,
        OTHER_LABEL.as_ref()?,
        ADDRESS.as_ref()?,
    );
    let head = crate::text::truncate_at_char(body, MAX_BLOCK_START);
    let subj: String = subject
        .trim_start()
        .chars()
        .take(8)
        .collect::<String>()
        .to_lowercase();
    let marked = FORWARD_PREFIXES.iter().any(|p| subj.starts_with(p))
        || SEPARATORS.as_ref().is_some_and(|ac| ac.is_match(head));
    if !marked {
        return None;
    }
    let caps = from_re.captures(head)?;
    let whole = caps.get(0)?;
    let value = caps.get(1)?.as_str();
    let note = head.get(..whole.start()).unwrap_or("");
    if note.chars().filter(|c| c.is_alphabetic()).count() > MAX_NOTE_LETTERS {
        return None;
    }
    let addr_m = addr_re.find(value)?;
    let address = addr_m.as_str().trim_matches('.').to_string();
    if outer_from.is_some_and(|o| o.eq_ignore_ascii_case(&address)) {
        return None;
    }
    // the block: the next few lines must hold at least two more header labels
    let block: String = head
        .get(whole.end()..)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("\n");
    let mut labels = 0;
    let mut quoted_subject = None;
    for c in other_re.captures_iter(&block) {
        labels += 1;
        let label = c.get(1).map_or("", |m| m.as_str()).to_lowercase();
        if matches!(
            label.as_str(),
            "subject"
                | "assunto"
                | "asunto"
                | "betreff"
                | "objet"
                | "oggetto"
                | "onderwerp"
                | "ämne"
                | "emne"
                | "件名"
                | "主题"
        ) && quoted_subject.is_none()
        {
            quoted_subject = c
                .get(2)
                .map(|m| m.as_str().trim().to_string())
                .filter(|s| !s.is_empty());
        }
    }
    if labels < 2 {
        return None;
    }
    // the name: what stands before the address, without quotes, brackets, "mailto:"
    let name = value
        .get(..addr_m.start())
        .unwrap_or("")
        .trim()
        .trim_end_matches(['<', '[', '(', ' '])
        .trim_end_matches("mailto:")
        .trim_end_matches(['<', '[', '(', ' '])
        .trim()
        .trim_matches(['"', '\'', '*'])
        .trim();
    let from = if name.is_empty() {
        address.clone()
    } else {
        format!("\"{}\" <{address}>", name.replace(['"', '\\'], ""))
    };
    Some(InlineForward {
        from,
        address,
        subject: quoted_subject,
    })
}

/// A message to analyse in place of the quoted one: `raw`'s MIME body under the quoted
/// sender and subject. The carrier's other headers (its route, its authentication, its
/// recipients) belong to the forward, not to the quoted mail, and are left out.
pub fn synthesize(raw: &[u8], fwd: &InlineForward) -> Vec<u8> {
    let (head, body) = split_header(raw);
    let mut out = Vec::with_capacity(raw.len() + 256);
    out.extend_from_slice(b"From: ");
    out.extend_from_slice(one_line(&fwd.from).as_bytes());
    out.extend_from_slice(b"\r\n");
    if let Some(s) = &fwd.subject {
        out.extend_from_slice(b"Subject: ");
        out.extend_from_slice(one_line(s).as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let mut keep = false;
    for line in head.split(|&b| b == b'\n') {
        let starts_field = line.first().is_some_and(|b| !b.is_ascii_whitespace());
        if starts_field {
            let name = line
                .split(|&b| b == b':')
                .next()
                .unwrap_or(b"")
                .to_ascii_lowercase();
            keep = matches!(
                name.as_slice(),
                b"content-type" | b"content-transfer-encoding" | b"mime-version"
            );
        }
        if keep && !line.is_empty() {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The header section and the body of a raw message (split at the first empty line).
fn split_header(raw: &[u8]) -> (&[u8], &[u8]) {
    let mut i = 0;
    while i < raw.len() {
        let end = memchr::memchr(b'\n', raw.get(i..).unwrap_or(&[])).map_or(raw.len(), |p| i + p);
        let line = raw.get(i..end).unwrap_or(&[]);
        if line.is_empty() || line == b"\r" {
            return (
                raw.get(..i).unwrap_or(&[]),
                raw.get((end + 1).min(raw.len())..).unwrap_or(&[]),
            );
        }
        i = end + 1;
    }
    (raw, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlook_forward_in_portuguese() {
        let body = "\n________________________________\nDe: Conta Segura <alerta@seguro-conta.example>\nEnviado: segunda-feira, 3 de abril de 2023 10:00\nPara: Eu <eu@mail.example>\nAssunto: Sua conta foi bloqueada\n\nClique aqui.";
        let f = find(
            "ENC: Sua conta foi bloqueada",
            body,
            Some("eu@mail.example"),
        );
        assert_eq!(
            f,
            Some(InlineForward {
                from: "\"Conta Segura\" <alerta@seguro-conta.example>".into(),
                address: "alerta@seguro-conta.example".into(),
                subject: Some("Sua conta foi bloqueada".into()),
            })
        );
    }

    #[test]
    fn gmail_and_outlook_english_forms() {
        let gmail = "FYI\n\n---------- Forwarded message ---------\nFrom: Bank Team <team@bank-alerts.example>\nDate: Mon, 3 Apr 2023 at 10:00\nSubject: Verify now\nTo: <me@mail.example>\n\nBody";
        let f = find("Verify now", gmail, Some("me@mail.example"));
        assert_eq!(
            f.map(|f| f.address),
            Some("team@bank-alerts.example".into())
        );
        let outlook =
            "\nFrom: Shop [mailto:news@shop.example]\nSent: Monday\nTo: me\nSubject: Offer\n";
        let f = find("FW: Offer", outlook, None);
        assert_eq!(
            f.map(|f| f.from),
            Some("\"Shop\" <news@shop.example>".into())
        );
        let ja = "転送します。\n\n差出人: 楽天カード <info@rakuten-card.example>\n送信日時: 2024年1月1日\n宛先: me@mail.example\n件名: 【重要】ご利用確認\n";
        let f = find("転送: 【重要】ご利用確認", ja, None);
        assert_eq!(f.and_then(|f| f.subject), Some("【重要】ご利用確認".into()));
    }

    #[test]
    fn replies_letters_and_lone_lines_are_not_forwards() {
        // a reply quoting the earlier mail is not marked as a forward
        let reply = "Thanks, see you then.\n\nFrom: Ann <ann@example.org>\nSent: Monday\nTo: Bob\nSubject: Meeting\n";
        assert!(find("RE: Meeting", reply, Some("bob@example.org")).is_none());
        // a long letter above the quoted block is a letter of its own
        let letter = format!(
            "{}\n---------- Forwarded message ---------\nFrom: Ann <ann@example.org>\nDate: Monday\nSubject: Minutes\nTo: Bob\n",
            "We discussed the budget and the timeline at length. ".repeat(20)
        );
        assert!(find("Fwd: Minutes", &letter, None).is_none());
        // a lone "From:" line without a header block
        let lone = "Fwd: a note\nFrom: ann@example.org, with thanks for all the fish.\n";
        assert!(find("Fwd: note", lone, None).is_none());
        // the quoted sender is the carrier's own sender: nothing new to read
        let own = "---------- Forwarded message ---------\nFrom: Ann <ann@example.org>\nDate: Monday\nSubject: x\n";
        assert!(find("Fwd: x", own, Some("ANN@example.org")).is_none());
    }

    #[test]
    fn synthesized_message_keeps_the_mime_body_only() {
        let raw = b"Received: from x\r\nFrom: me@mail.example\r\nSubject: Fw: hi\r\nContent-Type: multipart/alternative;\r\n boundary=\"b\"\r\nDKIM-Signature: v=1\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n";
        let fwd = InlineForward {
            from: "\"Shop\" <news@shop.example>".into(),
            address: "news@shop.example".into(),
            subject: Some("Offer".into()),
        };
        let out = String::from_utf8(synthesize(raw, &fwd)).unwrap_or_default();
        assert!(out.starts_with("From: \"Shop\" <news@shop.example>\r\nSubject: Offer\r\n"));
        assert!(out.contains("Content-Type: multipart/alternative;\r\n boundary=\"b\"\r\n"));
        assert!(!out.contains("Received") && !out.contains("DKIM") && !out.contains("Fw: hi"));
        assert!(out.ends_with("\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n"));
        // no header/body split: still a message
        let _ = synthesize(b"just text", &fwd);
    }
}
