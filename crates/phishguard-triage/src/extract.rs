//! What triage keeps of one message beyond the analysis report: content hash, date,
//! sending IP, attachment hashes, and the text that campaigns are clustered on.

use mail_parser::MimeHeaders;
use phishguard::{Analyzer, Item, ItemBody, Report};
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// An attachment with its content hash.
#[derive(Debug, Clone)]
pub struct AttachmentInfo {
    pub name: Option<String>,
    pub content_type: String,
    pub size: usize,
    /// SHA-256 of the decoded content, lower-case hex.
    pub sha256: String,
}

/// One analysed message, ready to store.
#[derive(Debug, Clone)]
pub struct Record {
    /// SHA-256 of the raw bytes, lower-case hex.
    pub sha256: String,
    pub size: usize,
    pub report: Report,
    pub date_ts: Option<i64>,
    /// `date_ts`, or the time of ingestion.
    pub seen_ts: i64,
    pub sending_ip: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    /// MinHash signature of the normalised text (None: too little text).
    pub minhash: Option<Vec<u32>>,
}

/// Raw bytes of an item (mail as read, SMS as UTF-8 text).
pub fn raw_bytes(item: &Item) -> &[u8] {
    match &item.body {
        ItemBody::Mail(raw) => raw,
        ItemBody::Sms { text, .. } => text.as_bytes(),
    }
}

/// SHA-256 of an item's raw bytes, with line ends as LF and trailing white space
/// dropped: the same message stored as an `.eml` file (CRLF or LF) and inside an mbox
/// (which may end it differently) has one hash.
pub fn digest(item: &Item) -> [u8; 32] {
    let raw = raw_bytes(item);
    let end = raw
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);
    let raw = raw.get(..end).unwrap_or(raw);
    let mut h = Sha256::new();
    let mut start = 0;
    for (i, w) in raw.windows(2).enumerate() {
        if w == b"\r\n" {
            h.update(raw.get(start..i).unwrap_or_default());
            start = i + 1;
        }
    }
    h.update(raw.get(start..).unwrap_or_default());
    h.finalize().into()
}

/// Text budget for clustering: the start of a lure is what identifies it.
const CLUSTER_TEXT_CHARS: usize = 4000;

/// Analyse an item and collect what triage stores. `now` is used as `seen_ts` when the
/// message has no sane date. The message is parsed once: the analysis hands back its
/// parse for the date, the sending IP, the attachments and the clustering text.
pub fn analyse(
    analyzer: &Analyzer,
    item: &Item,
    sha: [u8; 32],
    now: i64,
    stages: &mut phishguard::StageTimes,
) -> Result<Record, String> {
    let (report, parsed) = analyzer
        .analyze_item_keep_parsed(item, None, None, None, stages)
        .map_err(|e| e.to_string())?;
    let mut rec = Record {
        sha256: crate::db::hex(&sha),
        size: raw_bytes(item).len(),
        report,
        date_ts: None,
        seen_ts: now,
        sending_ip: None,
        attachments: Vec::new(),
        minhash: None,
    };
    let mut body_text = String::new();
    match &item.body {
        ItemBody::Mail(_) => {
            if let Some(parsed) = parsed {
                rec.date_ts = parsed
                    .date()
                    .filter(|d| d.is_valid())
                    .map(mail_parser::DateTime::to_timestamp)
                    // a Date in the far future is a lie; keep it out of first/last seen
                    .filter(|ts| *ts > 0 && *ts <= now + 86_400 * 2);
                rec.sending_ip = sending_ip(&parsed).map(|ip| ip.to_string());
                for part in parsed.attachments().take(analyzer.limits.max_parts) {
                    let content_type = phishguard::message::content_type_of(part);
                    let contents = part.contents();
                    rec.attachments.push(AttachmentInfo {
                        name: part.attachment_name().map(str::to_string),
                        content_type,
                        size: contents.len(),
                        sha256: crate::db::hex(&Sha256::digest(contents)),
                    });
                }
                if let Some(t) = parsed.body_text(0) {
                    body_text = t.chars().take(CLUSTER_TEXT_CHARS).collect();
                }
            }
        }
        ItemBody::Sms { text, .. } => {
            body_text = text.chars().take(CLUSTER_TEXT_CHARS).collect();
        }
    }
    if let Some(ts) = rec.date_ts {
        rec.seen_ts = ts;
    }
    let text = crate::cluster::normalise(&rec.report.subject, &body_text);
    rec.minhash = crate::cluster::minhash(&text);
    Ok(rec)
}

/// The sending host's IP: the `from` IP of the topmost `Received` header that names a
/// public address. The topmost headers were added by the receiving side (ours); headers
/// below the first public hop were written by the sender and can be forged, so the
/// search stops at the first public address.
pub fn sending_ip(parsed: &mail_parser::Message) -> Option<IpAddr> {
    parsed
        .header_values("Received")
        .filter_map(|v| v.as_received())
        .filter_map(mail_parser::Received::from_ip)
        .find(|ip| is_public(*ip))
}

/// Not private, loopback, link-local, shared (CGNAT), documentation, multicast or
/// unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || s[0] == 0x2001 && s[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MessageParser;

    #[test]
    fn sending_ip_skips_private_hops() {
        let raw = b"Received: from mx.internal (mx.internal [10.0.0.5]) by mail.example.org; Mon, 1 Jan 2024 00:00:00 +0000\r\n\
Received: from sender.example (sender.example [45.33.10.9]) by mx.example.org; Mon, 1 Jan 2024 00:00:00 +0000\r\n\
Received: from forged (forged [8.8.8.8]) by evil.example; Mon, 1 Jan 2024 00:00:00 +0000\r\n\
From: a@b.example\r\nSubject: x\r\n\r\nhi\r\n";
        let parsed = MessageParser::default().parse(&raw[..]);
        let ip = parsed.as_ref().and_then(sending_ip);
        assert_eq!(ip.map(|i| i.to_string()).as_deref(), Some("45.33.10.9"));
    }

    #[test]
    fn digest_ignores_line_ends_and_trailing_space() {
        let item = |raw: &[u8]| Item {
            source: "x".into(),
            body: ItemBody::Mail(raw.to_vec()),
            cut: false,
        };
        let a = digest(&item(b"From: a@b\r\nSubject: x\r\n\r\nhi\r\n"));
        let b = digest(&item(b"From: a@b\nSubject: x\n\nhi\n\n"));
        let c = digest(&item(b"From: a@b\nSubject: y\n\nhi\n"));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn public_ranges() {
        for (ip, public) in [
            ("10.1.2.3", false),
            ("192.168.0.1", false),
            ("172.16.5.5", false),
            ("127.0.0.1", false),
            ("100.64.0.1", false),
            ("169.254.1.1", false),
            ("8.8.8.8", true),
            ("::1", false),
            ("fe80::1", false),
            ("fd00::1", false),
            ("2a00:1450::1", true),
            ("::ffff:10.0.0.1", false),
        ] {
            let parsed: IpAddr = ip.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
            assert_eq!(is_public(parsed), public, "{ip}");
        }
    }
}
