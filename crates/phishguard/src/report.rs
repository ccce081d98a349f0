//! The result of an analysis: verdict, score, reasons with evidence, advice.
//! This is the JSON schema of `scan --json` (documented in README.md; keep it stable).

use serde::Serialize;

/// The three verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Legitimate,
    Suspicious,
    Phishing,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Legitimate => "legitimate",
            Verdict::Suspicious => "suspicious",
            Verdict::Phishing => "phishing",
        }
    }
}

/// One piece of evidence: where in the message, and the exact text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Evidence {
    /// `header:From`, `header:Subject`, `link[3].href`, `link[3].text`, `body.text`,
    /// `attachment[0].name`, `html.alt`, `sms.sender`; sender authentication results:
    /// `header:Authentication-Results`, `header:ARC-Authentication-Results`, or `dns`
    /// (verified live).
    pub location: String,
    /// The exact text (quoted from the message).
    pub text: String,
    /// Byte offsets of `text` within the located field (header value as decoded, body
    /// text as extracted), where they exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    /// The same as character (Unicode scalar) offsets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub char_start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub char_end: Option<usize>,
    /// A short machine-readable note (e.g. `shown=amazon.co.jp target=evil.example`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Evidence {
    /// Evidence that is a whole field.
    pub fn whole(location: impl Into<String>, text: impl Into<String>) -> Evidence {
        Evidence {
            location: location.into(),
            text: text.into(),
            start: None,
            end: None,
            char_start: None,
            char_end: None,
            detail: None,
        }
    }

    /// Evidence that is the byte range `start..end` of `field`.
    pub fn span(location: impl Into<String>, field: &str, start: usize, end: usize) -> Evidence {
        let text = field.get(start..end).unwrap_or("").to_string();
        Evidence {
            location: location.into(),
            text,
            start: Some(start),
            end: Some(end),
            char_start: Some(crate::text::char_offset(field, start)),
            char_end: Some(crate::text::char_offset(field, end)),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Evidence {
        self.detail = Some(detail.into());
        self
    }
}

/// A check that fired.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// Stable check id (`link_off_brand`).
    pub id: &'static str,
    /// Its weight in the score.
    pub weight: f64,
    /// What it means, in the chosen language.
    pub summary: String,
    pub evidence: Vec<Evidence>,
}

/// One step of advice.
#[derive(Debug, Clone, Serialize)]
pub struct AdviceStep {
    /// Stable id (`no_links`, `report_brand`, `if_clicked_card` …).
    pub id: String,
    /// `now`, `if_clicked` or `info`.
    pub when: &'static str,
    pub text: String,
}

/// The sender as phishguard read it.
#[derive(Debug, Clone, Serialize)]
pub struct SenderSummary {
    pub shown: String,
    pub address: Option<String>,
    pub domain: Option<String>,
}

/// A link as phishguard read it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkSummary {
    pub index: usize,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub host: Option<String>,
    pub domain: Option<String>,
    pub origin: crate::message::LinkOrigin,
}

/// The full result for one message.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// File path, `path#N` for the N-th message of an mbox (from 1), `-` for stdin.
    pub source: String,
    pub kind: crate::message::Kind,
    pub verdict: Verdict,
    /// The verdict in words, in the chosen language.
    pub verdict_text: String,
    pub score: f64,
    /// The claimed brand's id, or null.
    pub brand: Option<String>,
    pub brand_name: Option<String>,
    /// Language of the texts in this report (`ja` or `en`).
    pub lang: &'static str,
    /// Whether the message itself is Japanese.
    pub message_japanese: bool,
    pub sender: Option<SenderSummary>,
    pub subject: String,
    pub reasons: Vec<Reason>,
    pub advice: Vec<AdviceStep>,
    pub links: Vec<LinkSummary>,
    /// A limit was hit and part of the message was not analysed.
    pub truncated: bool,
    /// Which limits were hit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub limits_hit: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Reports for messages attached to this one (a forwarded phish); the verdict above
    /// is the worse of this message's own and theirs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attached: Vec<Report>,
}

impl Report {
    /// Record that a limit was hit (once per limit).
    pub fn mark_truncated(&mut self, limit: &'static str) {
        self.truncated = true;
        if !self.limits_hit.contains(&limit) {
            self.limits_hit.push(limit);
            self.limits_hit.sort_unstable();
        }
    }
}
