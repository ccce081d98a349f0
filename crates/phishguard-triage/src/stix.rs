//! STIX 2.1 export: a bundle of `indicator` objects (one per indicator), `campaign`
//! objects for the campaigns they were seen in, and `indicates` relationships.
//!
//! Identifiers are derived from a hash of the indicator (type and value) or of the campaign's seed
//! message, so exporting the same database twice yields the same objects; `created` is
//! the first sighting and `modified` the last (a later export with new sightings is a
//! new version of the same object).

use crate::TriageError;
use crate::indicators::Indicator;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A STIX identifier derived from a name: the first 16 bytes of SHA-256 of
/// `phishguard:<kind>:<name>`, formatted as a version-4 UUID (the form STIX asks for
/// domain objects), so the same indicator or campaign always gets the same id.
fn stix_id(kind: &str, name: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(format!("phishguard:{kind}:{name}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = crate::db::hex(&b);
    format!(
        "{kind}--{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

/// A STIX timestamp: RFC 3339 UTC with milliseconds (`created` and `modified` must
/// have them).
fn ts(t: i64) -> String {
    let s = crate::db::rfc3339(t);
    match s.strip_suffix('Z') {
        Some(base) => format!("{base}.000Z"),
        None => s,
    }
}

/// A string literal in a STIX pattern.
pub fn pattern_literal(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The STIX pattern and a name for one indicator.
pub fn pattern(i: &Indicator) -> (String, String) {
    let v = pattern_literal(&i.value);
    match i.kind {
        "url" => (format!("[url:value = {v}]"), "Phishing URL".into()),
        "domain" => (
            format!("[domain-name:value = {v}]"),
            "Phishing link domain".into(),
        ),
        "sender-address" => (
            format!("[email-message:from_ref.value = {v}]"),
            "Phishing sender address".into(),
        ),
        "sender-domain" => (
            format!(
                "[email-message:from_ref.value LIKE {}]",
                pattern_literal(&format!("%@{}", i.value))
            ),
            "Phishing sender domain".into(),
        ),
        "ip" => {
            let t = if i.value.contains(':') {
                "ipv6-addr"
            } else {
                "ipv4-addr"
            };
            (
                format!("[{t}:value = {v}]"),
                "Phishing mail sending IP".into(),
            )
        }
        _ => (
            format!("[file:hashes.'SHA-256' = {v}]"),
            "Phishing mail attachment".into(),
        ),
    }
}

struct CampaignInfo {
    seed: String,
    subject: Option<String>,
    first: i64,
    last: i64,
}

fn campaign_infos(conn: &Connection) -> Result<BTreeMap<i64, CampaignInfo>, TriageError> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.seed_sha256, MIN(m.seen_ts), MAX(m.seen_ts),
            (SELECT subject FROM messages s WHERE s.sha256 = c.seed_sha256)
         FROM campaigns c JOIN messages m ON m.campaign_id = c.id GROUP BY c.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            CampaignInfo {
                seed: r.get(1)?,
                first: r.get(2)?,
                last: r.get(3)?,
                subject: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The STIX 2.1 bundle for `inds`.
pub fn bundle(conn: &Connection, inds: &[Indicator]) -> Result<Value, TriageError> {
    let infos = campaign_infos(conn)?;
    let mut objects = Vec::new();
    let mut campaigns_used = std::collections::BTreeSet::new();
    let mut relationships = Vec::new();
    for i in inds {
        let (pattern, name) = pattern(i);
        let id = stix_id("indicator", &format!("{}:{}", i.kind, i.value));
        let created = ts(i.first_ts);
        let modified = ts(i.last_ts);
        let mut description = format!(
            "Seen in {} message(s) judged phishing or suspicious by phishguard",
            i.messages
        );
        if !i.brands.is_empty() {
            description.push_str(&format!(", imitating {}", i.brands.join(", ")));
        }
        if !i.names.is_empty() {
            description.push_str(&format!("; attachment names: {}", i.names.join(", ")));
        }
        objects.push(json!({
            "type": "indicator",
            "spec_version": "2.1",
            "id": id,
            "created": created,
            "modified": modified,
            "name": name,
            "description": description,
            "indicator_types": ["malicious-activity"],
            "pattern": pattern,
            "pattern_type": "stix",
            "pattern_version": "2.1",
            "valid_from": created,
            "labels": ["phishing", i.kind],
        }));
        for c in &i.campaigns {
            let Some(info) = infos.get(c) else { continue };
            campaigns_used.insert(*c);
            let cid = stix_id("campaign", &info.seed);
            let created = ts(i.first_ts.max(info.first));
            let modified = ts(i.last_ts.max(info.last).max(i.first_ts));
            relationships.push(json!({
                "type": "relationship",
                "spec_version": "2.1",
                "id": stix_id("relationship", &format!("{id}:indicates:{cid}")),
                "created": created,
                "modified": modified,
                "relationship_type": "indicates",
                "source_ref": id,
                "target_ref": cid,
            }));
        }
    }
    for c in campaigns_used {
        let Some(info) = infos.get(&c) else { continue };
        let mut name = format!("phishguard campaign {c}");
        if let Some(s) = info.subject.as_deref().filter(|s| !s.is_empty()) {
            name.push_str(": ");
            name.push_str(&s.chars().take(120).collect::<String>());
        }
        objects.push(json!({
            "type": "campaign",
            "spec_version": "2.1",
            "id": stix_id("campaign", &info.seed),
            "created": ts(info.first),
            "modified": ts(info.last),
            "name": name,
            "first_seen": ts(info.first),
            "last_seen": ts(info.last),
        }));
    }
    objects.extend(relationships);
    let bundle_name: String = objects
        .iter()
        .filter_map(|o| o.get("id").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join(",");
    Ok(json!({
        "type": "bundle",
        "id": stix_id("bundle", &bundle_name),
        "objects": objects,
    }))
}
