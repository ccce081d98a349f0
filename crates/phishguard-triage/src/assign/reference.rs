//! The campaign assignment as it was before the in-memory buckets (one `lsh` query per
//! message), kept to test that the new one gives the same database.

use crate::TriageError;
use crate::cluster::{BANDS, JOIN, JOIN_WITH_DOMAIN, buckets, signature_from_bytes, similarity};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

const PER_BUCKET: i64 = 40;
const MAX_CANDIDATES: usize = 24;

fn link_domains(conn: &Connection, message: i64) -> Result<BTreeSet<String>, TriageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT domain FROM links WHERE message_id = ?1 AND domain IS NOT NULL",
    )?;
    let rows = stmt.query_map([message], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Assign every message that has no campaign yet (all verdicts: a lure the analysis
/// missed still joins the campaign its flagged siblings are in). Returns (messages assigned,
/// campaigns created).
pub fn assign_campaigns(conn: &mut Connection, run: i64) -> Result<(u64, u64), TriageError> {
    let tx = conn.transaction()?;
    // only the ids are held (8 bytes a message); signatures are read one at a time
    let pending: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM messages WHERE campaign_id IS NULL
             ORDER BY date_ts IS NULL, date_ts, sha256",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let (mut assigned, mut created) = (0u64, 0u64);
    for id in pending {
        let (sha, sig): (String, Option<Vec<u8>>) = tx
            .prepare_cached("SELECT sha256, minhash FROM messages WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let sig = sig.map(|b| signature_from_bytes(&b));
        let mut campaign = None;
        if let Some(sig) = &sig {
            campaign = best_match(&tx, id, sig)?;
        }
        let campaign = match campaign {
            Some(c) => c,
            None => {
                tx.prepare_cached(
                    "INSERT INTO campaigns (seed_sha256, created_run) VALUES (?1, ?2)",
                )?
                .execute(params![sha, run])?;
                created += 1;
                tx.last_insert_rowid()
            }
        };
        tx.prepare_cached("UPDATE messages SET campaign_id = ?2 WHERE id = ?1")?
            .execute(params![id, campaign])?;
        if let Some(sig) = &sig {
            // one row at a time: a multi-row INSERT makes SQLite keep a statement journal
            // (a temporary file written page by page)
            let mut ins = tx.prepare_cached(
                "INSERT OR IGNORE INTO lsh (band, bucket, message_id) VALUES (?1, ?2, ?3)",
            )?;
            for (band, bucket) in buckets(sig).into_iter().enumerate() {
                ins.execute(params![band as i64, bucket, id])?;
            }
        }
        assigned += 1;
    }
    tx.commit()?;
    Ok((assigned, created))
}

/// The campaign of the most similar clustered message, if it is similar enough.
fn best_match(conn: &Connection, id: i64, sig: &[u32]) -> Result<Option<i64>, TriageError> {
    // one statement: the earliest members of each of the message's buckets
    static SQL: LazyLock<String> = LazyLock::new(|| {
        (0..BANDS)
            .map(|b| {
                format!(
                    "SELECT * FROM (SELECT message_id FROM lsh WHERE band = {b} AND bucket = ?{} \
                     ORDER BY message_id LIMIT {PER_BUCKET})",
                    b + 1
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    });
    let mut hits: BTreeMap<i64, u32> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached(&SQL)?;
        let bs = buckets(sig);
        let rows = stmt.query_map(rusqlite::params_from_iter(bs.iter()), |r| {
            r.get::<_, i64>(0)
        })?;
        for r in rows {
            *hits.entry(r?).or_insert(0) += 1;
        }
    }
    hits.remove(&id);
    // the candidates sharing the most bands are the most similar: look at those
    let mut ranked: Vec<(i64, u32)> = hits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(MAX_CANDIDATES);
    let candidates: Vec<i64> = ranked.into_iter().map(|(m, _)| m).collect();
    // best (similarity, -campaign) wins: higher similarity, then the older campaign
    let mut best: Option<(f64, i64)> = None;
    let mut own_domains: Option<BTreeSet<String>> = None;
    let mut sims: BTreeMap<i64, f64> = BTreeMap::new();
    for cand in candidates {
        let row: Option<(Vec<u8>, Option<i64>)> = conn
            .prepare_cached("SELECT minhash, campaign_id FROM messages WHERE id = ?1")?
            .query_row([cand], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((bytes, Some(campaign))) = row else {
            continue;
        };
        let s = similarity(sig, &signature_from_bytes(&bytes));
        let matched = if s >= JOIN {
            true
        } else if s >= JOIN_WITH_DOMAIN {
            if own_domains.is_none() {
                own_domains = Some(link_domains(conn, id)?);
            }
            let theirs = link_domains(conn, cand)?;
            own_domains
                .as_ref()
                .is_some_and(|d| d.intersection(&theirs).next().is_some())
        } else {
            false
        };
        if !matched {
            continue;
        }
        let e = sims.entry(campaign).or_insert(0.0);
        if s > *e {
            *e = s;
        }
    }
    for (campaign, s) in sims {
        if best.is_none_or(|(bs, bc)| s > bs || (s == bs && campaign < bc)) {
            best = Some((s, campaign));
        }
    }
    Ok(best.map(|(_, c)| c))
}
