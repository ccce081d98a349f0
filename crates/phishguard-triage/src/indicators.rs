//! Indicators from messages judged phishing or suspicious: URLs, link domains, sender
//! addresses and domains, sending IPs, attachment hashes; each with first and last seen,
//! how many messages carry it, and the campaigns it was seen in.

use crate::TriageError;
use rusqlite::Connection;
use serde::Serialize;
use std::io::Write;

/// One indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    /// `url`, `domain`, `sender-address`, `sender-domain`, `ip`, `file-sha256`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: String,
    pub first_seen: String,
    pub last_seen: String,
    #[serde(skip)]
    pub first_ts: i64,
    #[serde(skip)]
    pub last_ts: i64,
    pub messages: u64,
    pub campaigns: Vec<i64>,
    /// Brands claimed by the messages that carry it.
    pub brands: Vec<String>,
    /// For file hashes: the attachment names seen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

const FLAGGED: &str = "m.verdict IN ('phishing', 'suspicious')";

/// All indicators, grouped by type then value.
pub fn collect(conn: &Connection) -> Result<Vec<Indicator>, TriageError> {
    let queries: [(&'static str, String); 6] = [
        (
            "url",
            format!(
                "SELECT l.href, m.seen_ts, m.campaign_id, m.brand_name, NULL, m.id FROM links l \
                 JOIN messages m ON m.id = l.message_id WHERE {FLAGGED} \
                 AND (l.href LIKE 'http://%' OR l.href LIKE 'https://%')"
            ),
        ),
        (
            "domain",
            format!(
                "SELECT l.domain, m.seen_ts, m.campaign_id, m.brand_name, NULL, m.id FROM links l \
                 JOIN messages m ON m.id = l.message_id WHERE {FLAGGED} AND l.domain IS NOT NULL \
                 AND (l.href LIKE 'http://%' OR l.href LIKE 'https://%')"
            ),
        ),
        (
            "sender-address",
            format!(
                "SELECT m.sender_address, m.seen_ts, m.campaign_id, m.brand_name, NULL, m.id \
                 FROM messages m WHERE {FLAGGED} AND m.sender_address IS NOT NULL"
            ),
        ),
        (
            "sender-domain",
            format!(
                "SELECT m.sender_domain, m.seen_ts, m.campaign_id, m.brand_name, NULL, m.id \
                 FROM messages m WHERE {FLAGGED} AND m.sender_domain IS NOT NULL"
            ),
        ),
        (
            "ip",
            format!(
                "SELECT m.sending_ip, m.seen_ts, m.campaign_id, m.brand_name, NULL, m.id \
                 FROM messages m WHERE {FLAGGED} AND m.sending_ip IS NOT NULL"
            ),
        ),
        (
            "file-sha256",
            format!(
                "SELECT a.sha256, m.seen_ts, m.campaign_id, m.brand_name, a.name, m.id \
                 FROM attachments a JOIN messages m ON m.id = a.message_id WHERE {FLAGGED}"
            ),
        ),
    ];
    let mut out = Vec::new();
    for (kind, sql) in queries {
        let sql = format!("{sql} ORDER BY 1, 2, 6");
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut cur: Option<(Indicator, i64)> = None;
        while let Some(r) = rows.next()? {
            let value: String = r.get(0)?;
            let ts: i64 = r.get(1)?;
            let campaign: Option<i64> = r.get(2)?;
            let brand: Option<String> = r.get(3)?;
            let name: Option<String> = r.get(4)?;
            let msg: i64 = r.get(5)?;
            if cur.as_ref().is_none_or(|(c, _)| c.value != value) {
                if let Some((done, _)) = cur.take() {
                    out.push(finish(done));
                }
                cur = Some((
                    Indicator {
                        kind,
                        value: value.clone(),
                        first_seen: String::new(),
                        last_seen: String::new(),
                        first_ts: ts,
                        last_ts: ts,
                        messages: 0,
                        campaigns: Vec::new(),
                        brands: Vec::new(),
                        names: Vec::new(),
                    },
                    -1,
                ));
            }
            if let Some((ind, last_msg)) = cur.as_mut() {
                ind.first_ts = ind.first_ts.min(ts);
                ind.last_ts = ind.last_ts.max(ts);
                if *last_msg != msg {
                    ind.messages += 1;
                    *last_msg = msg;
                }
                if let Some(c) = campaign
                    && !ind.campaigns.contains(&c)
                {
                    ind.campaigns.push(c);
                }
                if let Some(b) = brand
                    && !ind.brands.contains(&b)
                {
                    ind.brands.push(b);
                }
                if let Some(n) = name
                    && !ind.names.contains(&n)
                {
                    ind.names.push(n);
                }
            }
        }
        if let Some((done, _)) = cur.take() {
            out.push(finish(done));
        }
    }
    Ok(out)
}

fn finish(mut i: Indicator) -> Indicator {
    i.first_seen = crate::db::rfc3339(i.first_ts);
    i.last_seen = crate::db::rfc3339(i.last_ts);
    i.campaigns.sort_unstable();
    i.brands.sort();
    i.names.sort();
    i
}

/// A CSV field, quoted when it needs to be (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV: `type,value,first_seen,last_seen,messages,campaigns,brands,names` (lists joined
/// with `;`).
pub fn write_csv(out: &mut dyn Write, inds: &[Indicator]) -> std::io::Result<()> {
    writeln!(
        out,
        "type,value,first_seen,last_seen,messages,campaigns,brands,names"
    )?;
    for i in inds {
        let campaigns: Vec<String> = i.campaigns.iter().map(i64::to_string).collect();
        writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            i.kind,
            csv_field(&i.value),
            i.first_seen,
            i.last_seen,
            i.messages,
            campaigns.join(";"),
            csv_field(&i.brands.join(";")),
            csv_field(&i.names.join(";")),
        )?;
    }
    Ok(())
}

/// JSON: an array of indicator objects.
pub fn write_json(out: &mut dyn Write, inds: &[Indicator]) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, inds).map_err(std::io::Error::other)?;
    writeln!(out)
}
