//! The SQLite store: opening, migrations (numbered SQL files, `PRAGMA user_version`),
//! and writing analysed messages.

use crate::TriageError;
use crate::extract::Record;
pub use rusqlite::Connection;
use rusqlite::{OptionalExtension, params};
use std::collections::HashSet;
use std::path::Path;

/// The migrations, in order: migration `i` (from 0) brings the database to version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_indexes",
        include_str!("../migrations/0002_indexes.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Open (or create) a triage database and bring its schema up to date.
pub fn open(path: &Path) -> Result<Connection, TriageError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 32 MiB of page cache (the default 2 MiB makes campaign assignment, which touches
    // index pages all over the file, spill and re-read); memory stays bounded by it
    conn.pragma_update(None, "cache_size", -32768)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// The schema version of a database.
pub fn version(conn: &Connection) -> Result<i64, TriageError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Apply the migrations the database has not had yet, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> Result<(), TriageError> {
    migrate_to(conn, latest_version())
}

/// Apply migrations up to `target` (tests use this to build an old database).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), TriageError> {
    let current = version(conn)?;
    if current > latest_version() {
        return Err(TriageError::Schema(format!(
            "database schema version {current} is newer than this phishguard ({})",
            latest_version()
        )));
    }
    for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let v = i as i64 + 1;
        if v <= current || v > target {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|e| TriageError::Schema(format!("migration {name}: {e}")))?;
        tx.pragma_update(None, "user_version", v)?;
        tx.commit()?;
    }
    Ok(())
}

/// SHA-256 digests (raw) of every message already stored.
pub fn known_hashes(conn: &Connection) -> Result<HashSet<[u8; 32]>, TriageError> {
    let mut stmt = conn.prepare("SELECT sha256 FROM messages")?;
    let mut set = HashSet::new();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for h in rows {
        if let Some(d) = hex_to_digest(&h?) {
            set.insert(d);
        }
    }
    Ok(set)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn hex_to_digest(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Start a run; returns its id.
pub fn start_run(conn: &Connection, inputs: &str, now: i64) -> Result<i64, TriageError> {
    conn.execute(
        "INSERT INTO runs (started_ts, inputs) VALUES (?1, ?2)",
        params![now, inputs],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn finish_run(
    conn: &Connection,
    run: i64,
    now: i64,
    analysed: u64,
    known: u64,
    errors: u64,
) -> Result<(), TriageError> {
    conn.execute(
        "UPDATE runs SET finished_ts = ?2, analysed = ?3, known = ?4, errors = ?5 WHERE id = ?1",
        params![run, now, analysed as i64, known as i64, errors as i64],
    )?;
    Ok(())
}

/// Insert one analysed message with its reasons, links and attachments. Returns false
/// when a message with the same hash is already stored.
pub fn insert_record(conn: &Connection, run: i64, rec: &Record) -> Result<bool, TriageError> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM messages WHERE sha256 = ?1")?
        .query_row([&rec.sha256], |r| r.get(0))
        .optional()?;
    if exists.is_some() {
        return Ok(false);
    }
    let r = &rec.report;
    let sender = r.sender.as_ref();
    let minhash = rec
        .minhash
        .as_ref()
        .map(|m| crate::cluster::signature_bytes(m));
    conn.prepare_cached(
        "INSERT INTO messages (sha256, source, run_id, size, kind, verdict, score, brand,
            brand_name, sender_shown, sender_address, sender_domain, subject, date_ts, seen_ts,
            sending_ip, truncated, minhash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        rec.sha256,
        r.source,
        run,
        rec.size as i64,
        match r.kind {
            phishguard::message::Kind::Mail => "mail",
            phishguard::message::Kind::Sms => "sms",
        },
        r.verdict.as_str(),
        r.score,
        r.brand,
        r.brand_name,
        sender.map(|s| s.shown.as_str()),
        sender.and_then(|s| s.address.as_deref().map(str::to_lowercase)),
        sender.and_then(|s| s.domain.as_deref()),
        r.subject,
        rec.date_ts,
        rec.seen_ts,
        rec.sending_ip,
        r.truncated,
        minhash,
    ])?;
    let id = conn.last_insert_rowid();
    let mut reason = conn.prepare_cached(
        "INSERT INTO reasons (message_id, check_id, weight, evidence) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for x in &r.reasons {
        let ev = serde_json::to_string(&x.evidence).unwrap_or_else(|_| "[]".into());
        reason.execute(params![id, x.id, x.weight, ev])?;
    }
    let mut link = conn.prepare_cached(
        "INSERT INTO links (message_id, idx, href, host, domain, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for l in &r.links {
        let origin = match l.origin {
            phishguard::message::LinkOrigin::Html => "html",
            phishguard::message::LinkOrigin::Form => "form",
            phishguard::message::LinkOrigin::Text => "text",
            phishguard::message::LinkOrigin::Attachment => "attachment",
        };
        link.execute(params![
            id,
            l.index as i64,
            l.href,
            l.host,
            l.domain,
            origin
        ])?;
    }
    let mut att = conn.prepare_cached(
        "INSERT INTO attachments (message_id, idx, name, content_type, size, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, a) in rec.attachments.iter().enumerate() {
        att.execute(params![
            id,
            i as i64,
            a.name,
            a.content_type,
            a.size as i64,
            a.sha256
        ])?;
    }
    Ok(true)
}

/// Current Unix time in seconds.
pub fn now_ts() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// RFC 3339 UTC (`2024-05-01T10:00:00Z`) for a Unix time.
pub fn rfc3339(ts: i64) -> String {
    mail_parser::DateTime::from_timestamp(ts).to_rfc3339()
}
