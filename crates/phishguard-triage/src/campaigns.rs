//! Reading campaigns back from the database.

use crate::TriageError;
use rusqlite::{Connection, params};
use serde::Serialize;

/// A value and how many members have it.
#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    pub value: String,
    pub count: u64,
}

/// One member message.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub source: String,
    pub sha256: String,
    pub verdict: String,
    pub sender: Option<String>,
    pub subject: String,
    pub date: Option<String>,
}

/// A campaign with what its members share.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub size: u64,
    /// Members judged phishing or suspicious.
    pub flagged: u64,
    pub first_seen: String,
    pub last_seen: String,
    /// The most common subjects (the lure), most common first.
    pub subjects: Vec<Counted>,
    pub brands: Vec<Counted>,
    pub senders: Vec<Counted>,
    pub sender_domains: Vec<Counted>,
    pub link_domains: Vec<Counted>,
    /// Members, oldest first (up to the limit asked for).
    pub members: Vec<Member>,
}

fn counted(conn: &Connection, sql: &str, id: i64, limit: i64) -> Result<Vec<Counted>, TriageError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![id, limit], |r| {
        Ok(Counted {
            value: r.get(0)?,
            count: r.get::<_, i64>(1)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What to list.
#[derive(Debug, Clone, Copy)]
pub struct Query {
    /// Only campaigns with at least this many members.
    pub min_size: u64,
    /// Only campaigns with at least one member judged phishing or suspicious.
    pub flagged_only: bool,
    /// At most this many campaigns (None: all).
    pub limit: Option<usize>,
    /// Members listed per campaign (None: all).
    pub members: Option<usize>,
    /// Values listed per field (subjects, brands, senders, domains).
    pub top: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            min_size: 2,
            flagged_only: true,
            limit: None,
            members: None,
            top: 5,
        }
    }
}

/// Campaigns, largest first (ties: oldest id first).
pub fn list(conn: &Connection, q: &Query) -> Result<Vec<Campaign>, TriageError> {
    let mut stmt = conn.prepare(
        "SELECT campaign_id, COUNT(*) AS n, MIN(seen_ts), MAX(seen_ts),
            SUM(verdict != 'legitimate') AS f FROM messages
         WHERE campaign_id IS NOT NULL GROUP BY campaign_id HAVING n >= ?1 AND f >= ?3
         ORDER BY n DESC, campaign_id LIMIT ?2",
    )?;
    let lim = q.limit.map_or(-1, |l| l as i64);
    let heads: Vec<(i64, i64, i64, i64, i64)> = stmt
        .query_map(
            params![q.min_size as i64, lim, i64::from(q.flagged_only)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?
        .collect::<Result<_, _>>()?;
    let (top, members) = (q.top, q.members);
    let top = top as i64;
    let mlim = members.map_or(-1, |m| m as i64);
    let mut out = Vec::with_capacity(heads.len());
    for (id, size, first, last, flagged) in heads {
        let q = |col: &str| {
            format!(
                "SELECT {col}, COUNT(*) AS n FROM messages WHERE campaign_id = ?1 AND {col} IS NOT NULL \
                 AND {col} != '' GROUP BY {col} ORDER BY n DESC, {col} LIMIT ?2"
            )
        };
        let subjects = counted(conn, &q("subject"), id, top)?;
        let brands = counted(conn, &q("brand_name"), id, top)?;
        let senders = counted(conn, &q("sender_address"), id, top)?;
        let sender_domains = counted(conn, &q("sender_domain"), id, top)?;
        let link_domains = counted(
            conn,
            "SELECT l.domain, COUNT(DISTINCT l.message_id) AS n FROM links l
             JOIN messages m ON m.id = l.message_id
             WHERE m.campaign_id = ?1 AND l.domain IS NOT NULL
             GROUP BY l.domain ORDER BY n DESC, l.domain LIMIT ?2",
            id,
            top,
        )?;
        let mut ms = conn.prepare_cached(
            "SELECT source, sha256, verdict, sender_address, subject, date_ts FROM messages
             WHERE campaign_id = ?1 ORDER BY seen_ts, sha256 LIMIT ?2",
        )?;
        let members = ms
            .query_map(params![id, mlim], |r| {
                Ok(Member {
                    source: r.get(0)?,
                    sha256: r.get(1)?,
                    verdict: r.get(2)?,
                    sender: r.get(3)?,
                    subject: r.get(4)?,
                    date: r.get::<_, Option<i64>>(5)?.map(crate::db::rfc3339),
                })
            })?
            .collect::<Result<_, _>>()?;
        out.push(Campaign {
            id,
            size: size as u64,
            flagged: flagged as u64,
            first_seen: crate::db::rfc3339(first),
            last_seen: crate::db::rfc3339(last),
            subjects,
            brands,
            senders,
            sender_domains,
            link_domains,
            members,
        });
    }
    Ok(out)
}

/// Number of campaigns with at least `min_size` members (and a flagged member, if
/// `flagged_only`).
pub fn count(conn: &Connection, min_size: u64, flagged_only: bool) -> Result<u64, TriageError> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM (SELECT campaign_id FROM messages WHERE campaign_id IS NOT NULL
         GROUP BY campaign_id HAVING COUNT(*) >= ?1 AND SUM(verdict != 'legitimate') >= ?2)",
        params![min_size as i64, i64::from(flagged_only)],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}
