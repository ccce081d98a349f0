//! Campaign assignment with the LSH buckets in memory.
//!
//! The rule is the one described in [`crate::cluster`], and the result is the same as
//! querying the `lsh` table for every message (as this module did before): unassigned
//! messages are taken in the order (date, sha256); for each, the earliest
//! [`PER_BUCKET`] members (by message id) of each of its buckets are looked up, the
//! [`MAX_CANDIDATES`] sharing the most buckets are compared, and the message joins the
//! campaign of its best match or starts one; then its bucket rows are added.
//!
//! What changed is where the buckets are read from. Messages are assigned in chunks of
//! [`CHUNK`]: the chunk's signatures, buckets and, for each bucket that two of its
//! messages share, the earliest members, are held in memory; `lsh` is only read for
//! buckets that earlier runs or chunks may have filled (never on a fresh database's
//! first chunk). The chunk's campaign updates and `lsh` rows are written at its end, in
//! id and key order (B-tree appends rather than random inserts). Memory: see [`CHUNK`].

use crate::TriageError;
use crate::cluster::{BANDS, HASHES, JOIN, JOIN_WITH_DOMAIN, buckets, signature_from_bytes};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// Candidates looked at per band bucket (a big campaign fills its buckets; the
/// earliest members are enough to recognise it).
pub(crate) const PER_BUCKET: usize = 40;
/// Candidates compared per message (those sharing the most bands).
pub(crate) const MAX_CANDIDATES: usize = 24;
/// Messages assigned per chunk. A chunk holds per message its bucket hashes (256 bytes),
/// which shared bucket each is in (128), its signature when it shares a bucket (528),
/// and up to 32 list entries (8 each) plus the maps: at most about 1.4 KB a message,
/// 45 MB for a full chunk, whatever the size of the run.
pub(crate) const CHUNK: usize = 32_768;

/// A candidate's signature and campaign, if the message exists.
type Candidate<'s> = Option<(Cow<'s, [u32]>, Option<i64>)>;

/// No other message of the chunk has this bucket.
const ALONE: u32 = u32::MAX;

/// Assign every message that has no campaign yet; returns (messages assigned, campaigns
/// created).
pub fn assign_campaigns(conn: &mut Connection, run: i64) -> Result<(u64, u64), TriageError> {
    assign_in_chunks(conn, run, CHUNK)
}

pub(crate) fn assign_in_chunks(
    conn: &mut Connection,
    run: i64,
    chunk: usize,
) -> Result<(u64, u64), TriageError> {
    // Every row written refers to a message read or a campaign inserted in the same
    // transaction, so SQLite's foreign-key lookup per row (as much time as the 32 bucket
    // inserts of a message themselves) is turned off for it; the pragma only takes
    // effect outside a transaction, and is put back whatever happens.
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    if enforced {
        conn.pragma_update(None, "foreign_keys", false)?;
    }
    let result = assign_in_transaction(conn, run, chunk);
    if enforced {
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    result
}

fn assign_in_transaction(
    conn: &mut Connection,
    run: i64,
    chunk: usize,
) -> Result<(u64, u64), TriageError> {
    let tx = conn.transaction()?;
    // only the ids are held for the whole run (8 bytes a message)
    let pending: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM messages WHERE campaign_id IS NULL
             ORDER BY date_ts IS NULL, date_ts, sha256",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut created = 0u64;
    for ids in pending.chunks(chunk.max(1)) {
        created += Chunk::load(&tx, ids)?.assign(&tx, run)?;
    }
    tx.commit()?;
    Ok((pending.len() as u64, created))
}

/// The earliest members of buckets that several messages of a chunk share: one sorted
/// run of ids per bucket in one vector, each run allocated when the bucket is first
/// looked at (then its size cannot grow past what it is filled with plus the chunk's
/// members in it, and never past [`PER_BUCKET`]).
#[derive(Default)]
struct Lists {
    /// per shared bucket: chunk members in it
    members: Vec<u32>,
    /// per shared bucket: (start in `ids`, capacity, length); capacity 0: not loaded
    span: Vec<(u32, u8, u8)>,
    ids: Vec<i64>,
}

impl Lists {
    fn get(&self, list: u32) -> &[i64] {
        let (start, _, len) = self.span[list as usize];
        &self.ids[start as usize..start as usize + len as usize]
    }

    fn loaded(&self, list: u32) -> bool {
        self.span[list as usize].1 > 0
    }

    /// First look at a shared bucket: what earlier runs and chunks stored in it.
    fn load(&mut self, list: u32, stored: &[i64]) {
        let l = list as usize;
        let cap = (self.members[l] as usize + stored.len()).min(PER_BUCKET);
        let start = self.ids.len();
        self.ids.extend(stored.iter().take(cap));
        self.ids.resize(start + cap, 0);
        self.span[l] = (start as u32, cap as u8, stored.len().min(cap) as u8);
    }

    /// Add a member, keeping the smallest ids, sorted (an id already listed is not added
    /// twice: `INSERT OR IGNORE`).
    fn add(&mut self, list: u32, id: i64) {
        let (start, cap, len) = self.span[list as usize];
        let (start, cap, len) = (start as usize, cap as usize, len as usize);
        let run = &mut self.ids[start..start + cap];
        let Err(at) = run[..len].binary_search(&id) else {
            return;
        };
        if at >= cap {
            return;
        }
        let end = if len < cap { len + 1 } else { cap };
        run.copy_within(at..end - 1, at + 1);
        run[at] = id;
        self.span[list as usize].2 = end as u8;
    }
}

/// One chunk of messages, in assignment order (`pos` is the index in it).
struct Chunk<'a> {
    ids: &'a [i64],
    pos: HashMap<i64, u32>,
    /// signatures of the messages that can be compared (shared bucket, or buckets stored
    /// by earlier runs or chunks)
    sigs: Vec<Option<Box<[u32]>>>,
    has_sig: Vec<bool>,
    /// BANDS bucket hashes per message (zeros without a signature)
    buckets: Vec<i64>,
    /// BANDS per message: the bucket's list in `lists`, or [`ALONE`]
    slot: Vec<u32>,
    lists: Lists,
    /// whether `lsh` had rows when the chunk started
    stored: bool,
    /// campaign given to each message so far (0: none yet)
    campaign: Vec<i64>,
}

impl<'a> Chunk<'a> {
    fn load(conn: &Connection, ids: &'a [i64]) -> Result<Self, TriageError> {
        let n = ids.len();
        let stored: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM lsh)", [], |r| r.get(0))?;
        let mut sigs = Vec::with_capacity(n);
        let mut has_sig = vec![false; n];
        let mut all = vec![0i64; n * BANDS];
        {
            let mut stmt = conn.prepare_cached("SELECT minhash FROM messages WHERE id = ?1")?;
            for (p, id) in ids.iter().enumerate() {
                let sig: Option<Vec<u8>> = stmt.query_row([id], |r| r.get(0))?;
                let sig = sig.map(|b| signature_from_bytes(&b));
                if let Some(sig) = &sig {
                    let bs = buckets(sig);
                    if bs.len() != BANDS {
                        return Err(TriageError::Schema(format!(
                            "message {id}: clustering signature of {} values, expected {HASHES}",
                            sig.len()
                        )));
                    }
                    all[p * BANDS..(p + 1) * BANDS].copy_from_slice(&bs);
                    has_sig[p] = true;
                }
                sigs.push(sig.map(Vec::into_boxed_slice));
            }
        }
        // which buckets several messages of the chunk share, band by band
        let mut slot = vec![ALONE; n * BANDS];
        let mut lists = Lists::default();
        let mut keys: Vec<(i64, u32)> = Vec::with_capacity(n);
        for band in 0..BANDS {
            keys.clear();
            keys.extend(
                (0..n)
                    .filter(|&p| has_sig[p])
                    .map(|p| (all[p * BANDS + band], p as u32)),
            );
            keys.sort_unstable();
            for group in keys.chunk_by(|a, b| a.0 == b.0) {
                if group.len() < 2 {
                    continue;
                }
                let list = lists.members.len() as u32;
                lists.members.push(group.len().min(PER_BUCKET) as u32);
                lists.span.push((0, 0, 0));
                for &(_, p) in group {
                    slot[p as usize * BANDS + band] = list;
                }
            }
        }
        // a signature that shares no bucket is never compared unless `lsh` has rows
        if !stored {
            for p in 0..n {
                if slot[p * BANDS..(p + 1) * BANDS].iter().all(|&s| s == ALONE) {
                    sigs[p] = None;
                }
            }
        }
        let pos = ids
            .iter()
            .enumerate()
            .map(|(p, &id)| (id, p as u32))
            .collect();
        Ok(Chunk {
            ids,
            pos,
            sigs,
            has_sig,
            buckets: all,
            slot,
            lists,
            stored,
            campaign: vec![0; n],
        })
    }

    /// Assign the chunk's messages in order and write the result; returns the campaigns
    /// created.
    fn assign(mut self, tx: &Transaction, run: i64) -> Result<u64, TriageError> {
        let mut created = 0u64;
        let mut found: Vec<i64> = Vec::new();
        let mut stored: Vec<Vec<i64>> = vec![Vec::new(); BANDS];
        for p in 0..self.ids.len() {
            let id = self.ids[p];
            let mut campaign = None;
            if self.has_sig[p] {
                found.clear();
                let bs = &self.buckets[p * BANDS..(p + 1) * BANDS];
                if self.stored {
                    stored_members(tx, bs, &mut stored)?;
                }
                for (band, rows) in stored.iter().enumerate() {
                    let list = self.slot[p * BANDS + band];
                    if list == ALONE {
                        found.extend_from_slice(rows);
                        continue;
                    }
                    if !self.lists.loaded(list) {
                        self.lists.load(list, rows);
                    }
                    found.extend_from_slice(self.lists.get(list));
                }
                if !found.is_empty() {
                    campaign = self.best_match(tx, p, &mut found)?;
                }
            }
            let campaign = match campaign {
                Some(c) => c,
                None => {
                    tx.prepare_cached(
                        "INSERT INTO campaigns (seed_sha256, created_run)
                         SELECT sha256, ?2 FROM messages WHERE id = ?1",
                    )?
                    .execute(params![id, run])?;
                    created += 1;
                    tx.last_insert_rowid()
                }
            };
            self.campaign[p] = campaign;
            if self.has_sig[p] {
                for band in 0..BANDS {
                    let list = self.slot[p * BANDS + band];
                    if list != ALONE {
                        self.lists.add(list, id);
                    }
                }
            }
        }
        self.write(tx)?;
        Ok(created)
    }

    /// The campaign of the most similar clustered message among `found` (the members of
    /// the message's buckets, an id once per bucket), if it is similar enough.
    fn best_match(
        &self,
        conn: &Connection,
        p: usize,
        found: &mut [i64],
    ) -> Result<Option<i64>, TriageError> {
        let id = self.ids[p];
        let Some(sig) = self.sigs[p].as_deref() else {
            return Ok(None);
        };
        // the candidates sharing the most bands are the most similar: look at those
        found.sort_unstable();
        let mut ranked: Vec<(i64, u32)> = found
            .chunk_by(|a, b| a == b)
            .filter(|g| g[0] != id)
            .map(|g| (g[0], g.len() as u32))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(MAX_CANDIDATES);
        let mut own_domains: Option<BTreeSet<String>> = None;
        let mut sims: BTreeMap<i64, f64> = BTreeMap::new();
        for (cand, _) in ranked {
            let Some((theirs, Some(campaign))) = self.candidate(conn, cand)? else {
                continue;
            };
            let s = crate::cluster::similarity(sig, &theirs);
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
        // best (similarity, -campaign) wins: higher similarity, then the older campaign
        let mut best: Option<(f64, i64)> = None;
        for (campaign, s) in sims {
            if best.is_none_or(|(bs, bc)| s > bs || (s == bs && campaign < bc)) {
                best = Some((s, campaign));
            }
        }
        Ok(best.map(|(_, c)| c))
    }

    /// A candidate's signature and campaign (None: no such message). Messages of the
    /// chunk have their campaign here (the database has it at the chunk's end).
    fn candidate(&self, conn: &Connection, cand: i64) -> Result<Candidate<'_>, TriageError> {
        if let Some(&p) = self.pos.get(&cand) {
            let p = p as usize;
            let campaign = Some(self.campaign[p]).filter(|&c| c != 0);
            if let Some(sig) = self.sigs[p].as_deref() {
                return Ok(Some((Cow::Borrowed(sig), campaign)));
            }
            // listed by an earlier run but not kept here (no shared bucket)
            let bytes: Vec<u8> = conn
                .prepare_cached("SELECT minhash FROM messages WHERE id = ?1")?
                .query_row([cand], |r| r.get(0))?;
            return Ok(Some((Cow::Owned(signature_from_bytes(&bytes)), campaign)));
        }
        let row: Option<(Vec<u8>, Option<i64>)> = conn
            .prepare_cached("SELECT minhash, campaign_id FROM messages WHERE id = ?1")?
            .query_row([cand], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.map(|(b, c)| (Cow::Owned(signature_from_bytes(&b)), c)))
    }

    /// Store the chunk's campaigns and bucket rows, in id and key order.
    fn write(&self, tx: &Transaction) -> Result<(), TriageError> {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_unstable_by_key(|&p| self.ids[p]);
        let mut update = tx.prepare_cached("UPDATE messages SET campaign_id = ?2 WHERE id = ?1")?;
        for &p in &order {
            update.execute(params![self.ids[p], self.campaign[p]])?;
        }
        // one row at a time: a multi-row INSERT makes SQLite keep a statement journal
        let mut ins = tx.prepare_cached(
            "INSERT OR IGNORE INTO lsh (band, bucket, message_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut rows: Vec<(i64, i64)> = Vec::with_capacity(self.ids.len());
        for band in 0..BANDS {
            rows.clear();
            rows.extend(
                order
                    .iter()
                    .filter(|&&p| self.has_sig[p])
                    .map(|&p| (self.buckets[p * BANDS + band], self.ids[p])),
            );
            rows.sort_unstable();
            for (bucket, id) in &rows {
                ins.execute(params![band as i64, bucket, id])?;
            }
        }
        Ok(())
    }
}

/// The earliest members of each of a message's buckets stored by earlier runs and
/// chunks, per band (one statement: 32 small ones cost more).
fn stored_members(
    conn: &Connection,
    buckets: &[i64],
    out: &mut [Vec<i64>],
) -> Result<(), TriageError> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        (0..BANDS)
            .map(|b| {
                format!(
                    "SELECT * FROM (SELECT band, message_id FROM lsh WHERE band = {b} \
                     AND bucket = ?{} ORDER BY message_id LIMIT {PER_BUCKET})",
                    b + 1
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ")
    });
    let mut stmt = conn.prepare_cached(&SQL)?;
    out.iter_mut().for_each(Vec::clear);
    let rows = stmt.query_map(rusqlite::params_from_iter(buckets), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    for r in rows {
        let (band, id) = r?;
        if let Some(v) = usize::try_from(band).ok().and_then(|b| out.get_mut(b)) {
            v.push(id);
        }
    }
    // each sub-select is in id order; the whole statement's order is not promised
    out.iter_mut().for_each(|v| v.sort_unstable());
    Ok(())
}

fn link_domains(conn: &Connection, message: i64) -> Result<BTreeSet<String>, TriageError> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT domain FROM links WHERE message_id = ?1 AND domain IS NOT NULL",
    )?;
    let rows = stmt.query_map([message], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod reference;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::cluster::signature_bytes;

    fn mix(mut x: u64) -> u64 {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    /// Member `v` of family `f`: each value differs from the family's with probability
    /// `change` percent.
    fn signature(f: u64, v: u64, change: u64) -> Vec<u32> {
        (0..HASHES as u64)
            .map(|i| {
                let r = mix(f << 32 ^ v << 8 ^ i ^ 0xabc);
                if r % 100 < change {
                    r as u32 >> 1
                } else {
                    mix(f << 16 ^ i) as u32
                }
            })
            .collect()
    }

    /// Member `v` of a drifting family: the first `fixed` values are the family's (so
    /// the buckets of those bands hold every member), each other value changes every
    /// `width` members (at staggered points), so members further apart share less, and
    /// which campaign a member joins depends on which earlier members are looked at.
    fn drifting(f: u64, v: u64, width: u64, fixed: u64) -> Vec<u32> {
        (0..HASHES as u64)
            .map(|i| {
                if i < fixed {
                    return mix(f << 40 ^ i) as u32;
                }
                let offset = mix(f ^ i << 20) % width;
                mix((f << 40) ^ (i << 20) ^ ((v + offset) / width)) as u32
            })
            .collect()
    }

    /// Add `n` messages numbered from `from`: families of every size (two drifting ones
    /// of more than [`PER_BUCKET`] members), near and far variants, shared link domains
    /// (the lower threshold), no signature, no date, dates out of id order.
    fn add_messages(conn: &Connection, run: i64, from: u64, n: u64) {
        for k in from..from + n {
            let r = mix(k);
            let family = match r % 10 {
                0..=2 => 0,            // drifting
                3 => 1,                // drifting
                4..=5 => 2 + r % 7,    // middling
                6..=7 => 100 + r % 97, // small
                _ => 1000 + k,         // alone
            };
            let change = [5, 20, 45, 55, 60][(r >> 8) as usize % 5];
            let sig = !(r >> 16).is_multiple_of(23);
            let minhash = sig.then(|| {
                signature_bytes(&match family {
                    0 => drifting(0, k, 120, 56),
                    1 => drifting(1, k, 30, 24),
                    _ => signature(family, k, change),
                })
            });
            let date =
                (!(r >> 24).is_multiple_of(11)).then_some(1_700_000_000 + (r >> 32) as i64 % 5000);
            conn.execute(
                "INSERT INTO messages (sha256, source, run_id, size, kind, verdict, score,
                    subject, date_ts, seen_ts, truncated, minhash)
                 VALUES (?1, ?2, ?3, 1, 'mail', 'phishing', 1.0, 's', ?4, 0, 0, ?5)",
                params![
                    format!("{:016x}{k:08}", mix(k ^ 7)),
                    format!("m{k}"),
                    run,
                    date,
                    minhash
                ],
            )
            .unwrap();
            let id = conn.last_insert_rowid();
            for d in 0..(r >> 40) % 3 {
                let domain = format!("d{}.example", (family + d) % 5);
                conn.execute(
                    "INSERT INTO links (message_id, idx, href, domain, origin)
                     VALUES (?1, ?2, 'x', ?3, 'html')",
                    params![id, d as i64, domain],
                )
                .unwrap();
            }
        }
    }

    fn new_run(conn: &Connection) -> i64 {
        crate::db::start_run(conn, "test", 0).unwrap()
    }

    fn state(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT id || ' ' || IFNULL(campaign_id, '-') FROM messages ORDER BY id",
            "SELECT id || ' ' || seed_sha256 || ' ' || created_run FROM campaigns ORDER BY id",
            "SELECT band || ' ' || bucket || ' ' || message_id FROM lsh
             ORDER BY band, bucket, message_id",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    /// Run `prepare` on a fresh database, then assign with the old code and with the new
    /// one (several chunk sizes), each on its own copy: the databases must be equal.
    fn same_as_before(prepare: impl Fn(&mut Connection)) {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("base.sqlite");
        {
            let mut conn = crate::db::open(&base).unwrap();
            prepare(&mut conn);
        }
        let copy = |name: &str| {
            let path = tmp.path().join(name);
            let conn = crate::db::open(&base).unwrap();
            conn.execute("VACUUM INTO ?1", [path.display().to_string()])
                .unwrap();
            crate::db::open(&path).unwrap()
        };
        let mut old = copy("old.sqlite");
        let run = new_run(&old);
        let want = reference::assign_campaigns(&mut old, run).unwrap();
        let want_state = state(&old);
        assert!(want.0 > 0);
        for chunk in [1, 7, 64, CHUNK] {
            let mut new = copy(&format!("new{chunk}.sqlite"));
            let run = new_run(&new);
            let got = assign_in_chunks(&mut new, run, chunk).unwrap();
            assert_eq!(got, want, "chunk {chunk}");
            assert!(state(&new) == want_state, "chunk {chunk}: databases differ");
        }
    }

    #[test]
    fn fresh_database() {
        same_as_before(|conn| {
            let run = new_run(conn);
            add_messages(conn, run, 0, 400);
        });
    }

    #[test]
    fn new_messages_join_stored_campaigns() {
        same_as_before(|conn| {
            let run = new_run(conn);
            add_messages(conn, run, 0, 250);
            reference::assign_campaigns(conn, run).unwrap();
            let run = new_run(conn);
            add_messages(conn, run, 250, 250);
        });
    }

    /// Buckets still listing messages whose campaigns were cleared (as bench/README.md
    /// does to time the assignment alone).
    #[test]
    fn cleared_campaigns_with_buckets_left() {
        same_as_before(|conn| {
            let run = new_run(conn);
            add_messages(conn, run, 0, 300);
            reference::assign_campaigns(conn, run).unwrap();
            conn.execute_batch(
                "UPDATE messages SET campaign_id = NULL WHERE campaign_id % 3 != 0;
                 DELETE FROM campaigns WHERE id % 3 != 0;",
            )
            .unwrap();
            add_messages(conn, run, 300, 50);
        });
    }

    fn add_one(conn: &Connection, run: i64, name: &str, date: i64, sig: &[u32]) -> i64 {
        conn.execute(
            "INSERT INTO messages (sha256, source, run_id, size, kind, verdict, score,
                subject, date_ts, seen_ts, truncated, minhash)
             VALUES (?1, ?1, ?2, 1, 'mail', 'phishing', 1.0, 's', ?3, 0, 0, ?4)",
            params![name, run, date, signature_bytes(sig)],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    /// A message finds its match only as the 40th (last listed) member of a crowded
    /// bucket, which the bucket reached out of id order.
    #[test]
    fn the_last_listed_bucket_member_counts() {
        let random = |seed: u64| -> Vec<u32> {
            (0..HASHES as u64)
                .map(|i| mix(seed << 8 ^ i) as u32)
                .collect()
        };
        // band 0 is shared by all; B and M also share band 1, and M is B with one value
        // changed in every other band (similarity 98/128)
        let crowd = |seed: u64| {
            let mut s = random(seed);
            s[..4].copy_from_slice(&[1, 2, 3, 4]);
            s
        };
        let b = crowd(1000);
        let mut m = b.clone();
        for band in 2..BANDS {
            m[band * 4] ^= 1;
        }
        let prepare = |conn: &mut Connection| {
            let run = new_run(conn);
            // ids 1..=39, assigned after ids 41..=60
            for i in 0..39 {
                add_one(conn, run, &format!("a{i:02}"), 2000 + i, &crowd(i as u64));
            }
            add_one(conn, run, "b", 3000, &b);
            for i in 0..20 {
                add_one(
                    conn,
                    run,
                    &format!("c{i:02}"),
                    1000 + i,
                    &crowd(100 + i as u64),
                );
            }
            add_one(conn, run, "m", 4000, &m);
        };
        same_as_before(prepare);
        let tmp = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&tmp.path().join("t.sqlite")).unwrap();
        prepare(&mut conn);
        let (assigned, created) = assign_in_chunks(&mut conn, 1, CHUNK).unwrap();
        assert_eq!((assigned, created), (61, 60));
        let campaign = |sha: &str| -> i64 {
            conn.query_row(
                "SELECT campaign_id FROM messages WHERE sha256 = ?1",
                [sha],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(campaign("m"), campaign("b"));
    }

    #[test]
    fn bounded_lists_keep_the_smallest_ids() {
        let mut lists = Lists {
            members: vec![5],
            span: vec![(0, 0, 0)],
            ids: Vec::new(),
        };
        lists.load(0, &[]);
        for id in [9, 3, 7, 3, 1, 8] {
            lists.add(0, id);
        }
        assert_eq!(lists.get(0), &[1, 3, 7, 8, 9]);
        lists.add(0, 2);
        assert_eq!(lists.get(0), &[1, 2, 3, 7, 8]);
        lists.add(0, 10);
        assert_eq!(lists.get(0), &[1, 2, 3, 7, 8]);
    }
}
