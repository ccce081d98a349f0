//! The multi-threaded triage run: one reader streams the inputs, worker threads hash and
//! analyse (and compute the clustering signature), and the calling thread writes to the
//! database in batches, in input order whatever the number of threads: message ids, the
//! copy of a duplicate that is kept, and so the campaigns, are the same for any thread
//! count. Memory stays flat: the queues between the stages are bounded, the reader stays
//! at most [`window`] messages ahead of the writer, and the only state that grows is the
//! map of known content hashes (40 bytes a message).

use crate::TriageError;
use crate::extract::{self, Record};
use phishguard::Analyzer;
use phishguard::input::{ReadOptions, read_path};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Instant;

/// Options for a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Stack size of a worker: hostile HTML can recurse deeply.
    pub stack_size: usize,
    pub read: ReadOptions,
    /// Records written per database transaction.
    pub batch: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            stack_size: 64 << 20,
            read: ReadOptions::default(),
            batch: 256,
        }
    }
}

/// What a run reports as it goes (called on the thread that called [`run`]).
#[derive(Debug)]
pub enum Event<'a> {
    /// A message was read: analysed now (`new`) or already in the database.
    Message { bytes: u64, new: bool },
    /// A file or message could not be read or analysed.
    Error { source: &'a str, message: &'a str },
}

/// The totals of a run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    pub run_id: i64,
    /// Messages read (new and known).
    pub messages: u64,
    /// Messages analysed and stored by this run.
    pub analysed: u64,
    /// Messages skipped because their content hash was already stored (or seen earlier
    /// in this run).
    pub known: u64,
    pub errors: u64,
    /// Raw bytes of all messages read.
    pub bytes: u64,
    pub seconds: f64,
    /// Flagged messages given a campaign by this run, and campaigns started.
    pub clustered: u64,
    pub campaigns_created: u64,
    /// Seconds of `seconds` spent assigning campaigns (after the analysis).
    pub cluster_seconds: f64,
    /// Analysis time per pipeline stage, summed over the worker threads (seconds).
    pub stage_seconds: StageSeconds,
}

/// Seconds per analysis stage (see `phishguard::StageTimes`).
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct StageSeconds {
    pub parse: f64,
    pub normalise: f64,
    pub checks: f64,
    pub score: f64,
}

enum Out {
    Known {
        bytes: u64,
    },
    Analysed {
        sha: [u8; 32],
        rec: Box<Record>,
    },
    Failed {
        source: String,
        message: String,
        bytes: u64,
    },
}

/// Messages the reader may be ahead of the writer: enough to keep every worker busy
/// (the queues hold `threads * 4` and `threads * 16`), few enough to bound the records
/// waiting for their turn to be written.
fn window(threads: usize) -> u64 {
    (threads as u64) * 32 + 64
}

/// Claim `sha` for the message numbered `seq`: false when it is already in the database
/// (claimed as 0) or an earlier message of this run has the same content. The earliest
/// copy always wins (a later copy that got here first is overruled), so which copy is
/// analysed and stored does not depend on the threads.
fn claim(known: &Mutex<HashMap<[u8; 32], u64>>, sha: [u8; 32], seq: u64) -> bool {
    let Ok(mut k) = known.lock() else {
        return false;
    };
    match k.get(&sha) {
        Some(&s) if s <= seq => s == seq,
        _ => {
            k.insert(sha, seq);
            true
        }
    }
}

/// Total size of the regular files under `paths` (for a progress bar; 0 if unknown).
pub fn input_bytes(paths: &[PathBuf]) -> u64 {
    fn walk(p: &Path, depth: usize) -> u64 {
        let Ok(meta) = std::fs::metadata(p) else {
            return 0;
        };
        if meta.is_file() {
            return meta.len();
        }
        if !meta.is_dir() || depth > 64 {
            return 0;
        }
        std::fs::read_dir(p).map_or(0, |rd| {
            rd.flatten().map(|e| walk(&e.path(), depth + 1)).sum()
        })
    }
    paths.iter().map(|p| walk(p, 0)).sum()
}

/// Triage `inputs` into the database: analyse messages not seen before, store them, and
/// assign campaigns.
pub fn run(
    conn: &mut Connection,
    analyzer: &Analyzer,
    inputs: &[PathBuf],
    opts: &Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Stats, TriageError> {
    let started = Instant::now();
    let now = crate::db::now_ts();
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let run_id = crate::db::start_run(conn, &names.join("\n"), now)?;
    // content hash -> the first message (1, 2, … in input order) that has it; 0: stored
    // by an earlier run
    let known: Mutex<HashMap<[u8; 32], u64>> = Mutex::new(
        crate::db::known_hashes(conn)?
            .into_iter()
            .map(|h| (h, 0))
            .collect(),
    );
    let threads = opts.threads.max(1);
    let (work_tx, work_rx) = mpsc::sync_channel::<(u64, phishguard::Item)>(threads * 4);
    let work_rx = Mutex::new(work_rx);
    // (input position, result); read errors have no position and are reported at once
    let (out_tx, out_rx) = mpsc::sync_channel::<(Option<u64>, Out)>(threads * 16);
    // how many messages the writer has taken in order (the reader waits on it)
    let written = (Mutex::new(0u64), Condvar::new());
    let window = window(threads);
    let mut stats = Stats {
        run_id,
        ..Stats::default()
    };
    let all_stages = std::sync::Mutex::new(phishguard::StageTimes::default());
    let write_result = std::thread::scope(|scope| -> Result<(), TriageError> {
        for _ in 0..threads {
            let all_stages = &all_stages;
            let out_tx = out_tx.clone();
            let (work_rx, known) = (&work_rx, &known);
            let worker = std::thread::Builder::new().stack_size(opts.stack_size);
            worker
                .spawn_scoped(scope, move || {
                    let mut stages = phishguard::StageTimes::default();
                    loop {
                        let next = match work_rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok((seq, item)) = next else { break };
                        let bytes = extract::raw_bytes(&item).len() as u64;
                        let sha = extract::digest(&item);
                        let out = if !claim(known, sha, seq) {
                            Out::Known { bytes }
                        } else {
                            match extract::analyse(analyzer, &item, sha, now, &mut stages) {
                                Ok(rec) => Out::Analysed {
                                    sha,
                                    rec: Box::new(rec),
                                },
                                Err(message) => Out::Failed {
                                    source: item.source.clone(),
                                    message,
                                    bytes,
                                },
                            }
                        };
                        if out_tx.send((Some(seq), out)).is_err() {
                            break;
                        }
                    }
                    if let Ok(mut all) = all_stages.lock() {
                        all.add(&stages);
                    }
                })
                .map_err(|e| TriageError::Io(format!("cannot start a worker: {e}")))?;
        }
        let reader_out = out_tx.clone();
        drop(out_tx);
        let read = opts.read;
        let written = &written;
        scope.spawn(move || {
            let mut seq = 0u64;
            for path in inputs {
                for item in read_path(path, read) {
                    let sent = match item {
                        Ok(item) => {
                            seq += 1;
                            // stay at most `window` messages ahead of the writer
                            if let Ok(mut done) = written.0.lock() {
                                while seq > done.saturating_add(window) {
                                    match written.1.wait(done) {
                                        Ok(d) => done = d,
                                        Err(_) => return,
                                    }
                                }
                            }
                            work_tx.send((seq, item)).is_ok()
                        }
                        Err(e) => reader_out
                            .send((
                                None,
                                Out::Failed {
                                    source: e.source_name,
                                    message: e.message,
                                    bytes: 0,
                                },
                            ))
                            .is_ok(),
                    };
                    if !sent {
                        return;
                    }
                }
            }
        });
        let mut batch: Vec<Record> = Vec::with_capacity(opts.batch);
        let mut failure = None;
        // results that came back before their turn, by input position
        let mut waiting: BTreeMap<u64, Out> = BTreeMap::new();
        let mut next = 1u64;
        for (seq, out) in out_rx {
            if failure.is_some() {
                // keep draining so the workers and the reader finish
                continue;
            }
            let mut ready = Vec::new();
            match seq {
                None => ready.push((None, out)),
                Some(seq) => {
                    waiting.insert(seq, out);
                    while let Some(out) = waiting.remove(&next) {
                        ready.push((Some(next), out));
                        next += 1;
                    }
                    if let Ok(mut done) = written.0.lock() {
                        *done = next - 1;
                        written.1.notify_all();
                    }
                }
            }
            for (seq, out) in ready {
                take(seq, out, &known, &mut stats, &mut batch, on_event);
                if batch.len() >= opts.batch.max(1) {
                    match write_batch(conn, run_id, &mut batch) {
                        Ok(n) => stats.analysed += n,
                        Err(e) => {
                            failure = Some(e);
                            break;
                        }
                    }
                }
            }
            if failure.is_some() {
                // the reader must not wait for a writer that has stopped
                if let Ok(mut done) = written.0.lock() {
                    *done = u64::MAX;
                    written.1.notify_all();
                }
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        stats.analysed += write_batch(conn, run_id, &mut batch)?;
        Ok(())
    });
    write_result?;
    let cluster_started = Instant::now();
    let (clustered, created) = crate::cluster::assign_campaigns(conn, run_id)?;
    stats.cluster_seconds = cluster_started.elapsed().as_secs_f64();
    stats.clustered = clustered;
    stats.campaigns_created = created;
    stats.seconds = started.elapsed().as_secs_f64();
    if let Ok(st) = all_stages.lock() {
        stats.stage_seconds = StageSeconds {
            parse: st.parse.as_secs_f64(),
            normalise: st.normalise.as_secs_f64(),
            checks: st.checks.as_secs_f64(),
            score: st.score.as_secs_f64(),
        };
    }
    crate::db::finish_run(
        conn,
        run_id,
        crate::db::now_ts(),
        stats.analysed,
        stats.known,
        stats.errors,
    )?;
    Ok(stats)
}

/// Count one result, in input order, and queue an analysed message for writing. An
/// analysed message whose content an earlier message of the run already had (two copies
/// analysed at once) counts as known.
fn take(
    seq: Option<u64>,
    out: Out,
    known: &Mutex<HashMap<[u8; 32], u64>>,
    stats: &mut Stats,
    batch: &mut Vec<Record>,
    on_event: &mut dyn FnMut(Event),
) {
    match out {
        Out::Known { bytes } => {
            stats.messages += 1;
            stats.known += 1;
            stats.bytes += bytes;
            on_event(Event::Message { bytes, new: false });
        }
        Out::Analysed { sha, rec } => {
            let bytes = rec.size as u64;
            stats.messages += 1;
            stats.bytes += bytes;
            let first = known
                .lock()
                .map(|k| seq.is_some() && k.get(&sha).copied() == seq)
                .unwrap_or(false);
            if first {
                batch.push(*rec);
            } else {
                stats.known += 1;
            }
            on_event(Event::Message { bytes, new: first });
        }
        Out::Failed {
            source,
            message,
            bytes,
        } => {
            stats.errors += 1;
            stats.bytes += bytes;
            on_event(Event::Error {
                source: &source,
                message: &message,
            });
        }
    }
}

fn write_batch(
    conn: &mut Connection,
    run: i64,
    batch: &mut Vec<Record>,
) -> Result<u64, TriageError> {
    if batch.is_empty() {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    let mut n = 0;
    for rec in batch.drain(..) {
        if crate::db::insert_record(&tx, run, &rec)? {
            n += 1;
        }
    }
    tx.commit()?;
    Ok(n)
}
