//! `phishguard eval`: detection and false-positive rates on a labelled corpus.
//!
//! Labels: `phish` counts for detection; `ham`, `ham_*` for false positives; `spam` is
//! reported apart (neither a hit nor a false positive); `fixture` counts only for errors.

use crate::corpus::{Label, Mail, for_each_file, read_labels};
use indicatif::{ProgressBar, ProgressStyle};
use phishguard::input::{ReadOptions, items_from_bytes};
use phishguard::{Analyzer, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Mutex, mpsc};
use std::time::Instant;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// labels.tsv: path, source, label columns.
    #[arg(long)]
    labels: PathBuf,
    /// The corpus as a .tar.xz archive (streamed, not unpacked).
    #[arg(long, conflicts_with = "root")]
    archive: Option<PathBuf>,
    /// The corpus as an unpacked directory tree.
    #[arg(long)]
    root: Option<PathBuf>,
    /// Print throughput, peak memory and time per stage to stderr at the end (also in the
    /// --json summary as `stats`).
    #[arg(long)]
    stats: bool,
    /// Write missed phish and false positives, with their reasons, to this file.
    #[arg(long)]
    misses: Option<PathBuf>,
    /// Print the results as JSON.
    #[arg(long)]
    json: bool,
    /// Fail (exit 1) if the share of phish flagged (phishing or suspicious) is below this
    /// (a fraction, e.g. 0.97).
    #[arg(long)]
    min_detection: Option<f64>,
    /// Fail (exit 1) if the share of ham flagged is above this (a fraction, e.g. 0.003).
    #[arg(long)]
    max_fpr: Option<f64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Load brand files from this directory instead of the built-in set.
    #[arg(long)]
    pub brands: Option<PathBuf>,
    /// Evaluate only one part of a fixed split of the corpus (by a hash of each path):
    /// `train` (70%) for fitting weights, `test` (30%) held out for reporting.
    #[arg(long, value_parser = ["all", "train", "test"], default_value = "all")]
    split: String,
    /// Write each file's label and the checks that fired, as JSON lines, for fitting
    /// weights.
    #[arg(long)]
    features: Option<PathBuf>,
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
    #[command(flatten)]
    pub auth: crate::auth::AuthArgs,
}

/// Stable split of a corpus path: FNV-1a of the path, 70% train, 30% test.
pub fn split_of(path: &str) -> &'static str {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    if h % 10 < 7 { "train" } else { "test" }
}

/// One file's outcome.
struct Outcome {
    path: String,
    label: Label,
    verdict: Option<Verdict>,
    score: f64,
    reasons: Vec<&'static str>,
    error: Option<String>,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Counts {
    pub total: usize,
    pub phishing: usize,
    pub suspicious: usize,
    pub legitimate: usize,
    pub errors: usize,
}

impl Counts {
    fn add(&mut self, o: &Outcome) {
        self.total += 1;
        match o.verdict {
            Some(Verdict::Phishing) => self.phishing += 1,
            Some(Verdict::Suspicious) => self.suspicious += 1,
            Some(Verdict::Legitimate) => self.legitimate += 1,
            None => self.errors += 1,
        }
    }

    fn flagged(&self) -> usize {
        self.phishing + self.suspicious
    }

    fn rate(n: usize, d: usize) -> f64 {
        if d == 0 { 0.0 } else { n as f64 / d as f64 }
    }
}

#[derive(Debug, Default, Serialize)]
pub struct CheckFires {
    pub phish: usize,
    pub ham: usize,
    pub spam: usize,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub messages: usize,
    pub seconds: f64,
    pub messages_per_second: f64,
    pub by_label: BTreeMap<String, Counts>,
    pub by_source: BTreeMap<String, Counts>,
    /// Share of phish flagged (phishing or suspicious).
    pub detection_rate: f64,
    /// Share of phish with the verdict phishing.
    pub detection_rate_phishing: f64,
    /// Share of all ham labels flagged (suspicious or worse).
    pub false_positive_rate: f64,
    /// Share of all ham labels with the verdict phishing.
    pub false_positive_rate_phishing: f64,
    /// Per ham label: share flagged.
    pub false_positive_rate_by_label: BTreeMap<String, f64>,
    /// Share of spam flagged (reported apart).
    pub spam_flagged_rate: f64,
    pub errors: usize,
    /// Labelled files not found in the corpus.
    pub missing: usize,
    pub checks: BTreeMap<String, CheckFires>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<crate::stats::RunStats>,
}

fn class(label: &str) -> &'static str {
    if label == "phish" {
        "phish"
    } else if label == "ham" || label.starts_with("ham_") {
        "ham"
    } else if label == "spam" {
        "spam"
    } else {
        "other"
    }
}

fn analyse_file(
    analyzer: &Analyzer,
    path: &str,
    bytes: Vec<u8>,
    stages: &mut phishguard::StageTimes,
) -> (Option<Verdict>, f64, Vec<&'static str>, Option<String>) {
    let ext = path.rsplit_once('.').map(|(_, e)| e);
    let opts = ReadOptions {
        max_message_bytes: analyzer.limits.max_message_bytes,
        ..ReadOptions::default()
    };
    // A file may hold several messages (an mbox): the file's verdict is the worst of them.
    let mut best: Option<(Verdict, f64, Vec<&'static str>)> = None;
    let mut error = None;
    for item in items_from_bytes(path.to_string(), bytes, ext, false, opts) {
        let report = item.map_err(|e| e.message).and_then(|i| {
            analyzer
                .analyze_item_timed(&i, None, None, None, stages)
                .map_err(|e| e.to_string())
        });
        match report {
            Ok(r) => {
                if best
                    .as_ref()
                    .is_none_or(|b| (r.verdict, r.score) > (b.0, b.1))
                {
                    best = Some((r.verdict, r.score, r.reasons.iter().map(|x| x.id).collect()));
                }
            }
            Err(e) => error = Some(e),
        }
    }
    match best {
        Some((v, s, r)) => (Some(v), s, r, None),
        None => (
            None,
            0.0,
            Vec::new(),
            Some(error.unwrap_or_else(|| "no message".into())),
        ),
    }
}

pub fn run(args: EvalArgs, analyzer: &Analyzer) -> Result<bool, String> {
    let mut labels = read_labels(&args.labels)?;
    if args.split != "all" {
        labels.retain(|path, _| split_of(path) == args.split);
    }
    let mail = match (&args.archive, &args.root) {
        (Some(a), _) => Mail::Archive(a.clone()),
        (None, Some(r)) => Mail::Root(r.clone()),
        (None, None) => {
            return Err("give the corpus with --archive FILE.tar.xz or --root DIR".into());
        }
    };
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let progress = if std::io::stderr().is_terminal() && !args.json {
        let pb = ProgressBar::new(labels.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
        {
            pb.set_style(style);
        }
        pb
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let (work_tx, work_rx) = mpsc::sync_channel::<(String, Result<Vec<u8>, String>)>(threads * 8);
    let work_rx = Mutex::new(work_rx);
    let (out_tx, out_rx) = mpsc::channel::<Outcome>();
    let max_bytes = analyzer.limits.max_message_bytes;
    let mut outcomes = Vec::with_capacity(labels.len());
    let all_stages = Mutex::new(phishguard::StageTimes::default());
    let all_bytes = std::sync::atomic::AtomicUsize::new(0);
    let read_result = std::thread::scope(|scope| {
        for _ in 0..threads {
            let out_tx = out_tx.clone();
            let work_rx = &work_rx;
            let labels = &labels;
            let worker = std::thread::Builder::new().stack_size(crate::ANALYSIS_STACK);
            let all_stages = &all_stages;
            let all_bytes = &all_bytes;
            let spawned = worker.spawn_scoped(scope, move || {
                let mut stages = phishguard::StageTimes::default();
                let mut bytes_seen = 0usize;
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((path, bytes)) = next else { break };
                    let Some(label) = labels.get(&path).cloned() else {
                        continue;
                    };
                    let (verdict, score, reasons, error) = match bytes {
                        Ok(b) => {
                            bytes_seen += b.len();
                            analyse_file(analyzer, &path, b, &mut stages)
                        }
                        Err(e) => (None, 0.0, Vec::new(), Some(e)),
                    };
                    let _ = out_tx.send(Outcome {
                        path,
                        label,
                        verdict,
                        score,
                        reasons,
                        error,
                    });
                }
                if let Ok(mut all) = all_stages.lock() {
                    all.add(&stages);
                }
                all_bytes.fetch_add(bytes_seen, std::sync::atomic::Ordering::Relaxed);
            });
            if let Err(e) = spawned {
                eprintln!("phishguard eval: cannot start a worker: {e}");
            }
        }
        drop(out_tx);
        let collector = scope.spawn(|| {
            let mut v = Vec::new();
            for o in out_rx {
                progress.inc(1);
                v.push(o);
            }
            v
        });
        let r = for_each_file(&mail, &labels, max_bytes, |path, bytes| {
            let _ = work_tx.send((path, bytes));
        });
        drop(work_tx);
        if let Ok(v) = collector.join() {
            outcomes = v;
        }
        r
    });
    progress.finish_and_clear();
    read_result?;
    let elapsed = started.elapsed();
    let seconds = elapsed.as_secs_f64();

    // labelled files the corpus did not have
    let seen: std::collections::HashSet<&str> = outcomes.iter().map(|o| o.path.as_str()).collect();
    let missing: Vec<String> = labels
        .keys()
        .filter(|k| !seen.contains(k.as_str()))
        .cloned()
        .collect();

    let mut by_label: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_source: BTreeMap<String, Counts> = BTreeMap::new();
    let mut checks: BTreeMap<String, CheckFires> = BTreeMap::new();
    for id in phishguard::checks::ids() {
        checks.insert(id.to_string(), CheckFires::default());
    }
    let (mut phish, mut ham, mut spam) = (Counts::default(), Counts::default(), Counts::default());
    for o in &outcomes {
        by_label.entry(o.label.label.clone()).or_default().add(o);
        by_source.entry(o.label.source.clone()).or_default().add(o);
        let c = class(&o.label.label);
        match c {
            "phish" => phish.add(o),
            "ham" => ham.add(o),
            "spam" => spam.add(o),
            _ => {}
        }
        for r in &o.reasons {
            if let Some(f) = checks.get_mut(*r) {
                match c {
                    "phish" => f.phish += 1,
                    "ham" => f.ham += 1,
                    "spam" => f.spam += 1,
                    _ => {}
                }
            }
        }
    }
    let errors = outcomes.iter().filter(|o| o.error.is_some()).count();
    let fpr_by_label = by_label
        .iter()
        .filter(|(l, _)| class(l) == "ham")
        .map(|(l, c)| (l.clone(), Counts::rate(c.flagged(), c.total)))
        .collect();
    let summary = Summary {
        messages: outcomes.len(),
        seconds,
        messages_per_second: outcomes.len() as f64 / seconds.max(1e-9),
        detection_rate: Counts::rate(phish.flagged(), phish.total),
        detection_rate_phishing: Counts::rate(phish.phishing, phish.total),
        false_positive_rate: Counts::rate(ham.flagged(), ham.total),
        false_positive_rate_phishing: Counts::rate(ham.phishing, ham.total),
        false_positive_rate_by_label: fpr_by_label,
        spam_flagged_rate: Counts::rate(spam.flagged(), spam.total),
        errors,
        missing: missing.len(),
        by_label,
        by_source,
        checks,
        stats: args.stats.then(|| {
            let stages = all_stages.lock().map(|s| *s).unwrap_or_default();
            crate::stats::RunStats::new(
                outcomes.len(),
                errors,
                all_bytes.load(std::sync::atomic::Ordering::Relaxed),
                elapsed,
                &stages,
            )
        }),
    };

    if let Some(path) = &args.features {
        write_features(path, &outcomes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.misses {
        write_misses(path, &outcomes, &missing).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if args.json {
        let s = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
        println!("{s}");
    } else {
        print_summary(&summary, &phish, &ham);
    }
    if let Some(st) = &summary.stats {
        st.print("phishguard eval");
    }
    let mut ok = true;
    if let Some(min) = args.min_detection
        && summary.detection_rate < min
    {
        eprintln!(
            "phishguard eval: detection {:.2}% is below --min-detection {:.2}%",
            summary.detection_rate * 100.0,
            min * 100.0
        );
        ok = false;
    }
    if let Some(max) = args.max_fpr
        && summary.false_positive_rate > max
    {
        eprintln!(
            "phishguard eval: false positives {:.3}% are above --max-fpr {:.3}%",
            summary.false_positive_rate * 100.0,
            max * 100.0
        );
        ok = false;
    }
    if summary.errors > 0 || summary.missing > 0 {
        eprintln!(
            "phishguard eval: {} error(s), {} labelled file(s) missing",
            summary.errors, summary.missing
        );
        ok = false;
    }
    Ok(ok)
}

fn write_features(path: &PathBuf, outcomes: &[Outcome]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for o in outcomes {
        let v = serde_json::json!({
            "path": o.path,
            "label": o.label.label,
            "split": split_of(&o.path),
            "score": o.score,
            "checks": o.reasons,
        });
        writeln!(f, "{v}")?;
    }
    f.flush()
}

fn write_misses(path: &PathBuf, outcomes: &[Outcome], missing: &[String]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut sorted: Vec<&Outcome> = outcomes.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for o in sorted {
        let kind = match (class(&o.label.label), o.verdict) {
            (_, None) => "ERROR",
            ("phish", Some(Verdict::Legitimate)) => "MISS",
            ("ham", Some(Verdict::Phishing | Verdict::Suspicious)) => "FALSE_POSITIVE",
            _ => continue,
        };
        let verdict = o.verdict.map_or("error", Verdict::as_str);
        let detail = o.error.clone().unwrap_or_else(|| o.reasons.join(","));
        writeln!(
            f,
            "{kind}\t{}\t{}\t{verdict}\t{:.2}\t{detail}",
            o.path, o.label.label, o.score
        )?;
    }
    for m in missing {
        writeln!(f, "MISSING\t{m}")?;
    }
    f.flush()
}

fn pct(n: usize, d: usize) -> String {
    format!("{:.2}% ({n}/{d})", Counts::rate(n, d) * 100.0)
}

fn print_summary(s: &Summary, phish: &Counts, ham: &Counts) {
    println!(
        "phishguard eval: {} messages in {:.1} s ({:.0} messages/s)\n",
        s.messages, s.seconds, s.messages_per_second
    );
    for (title, map) in [("label", &s.by_label), ("source", &s.by_source)] {
        println!(
            "{title:<26} {:>6} {:>9} {:>10} {:>10} {:>6}",
            "total", "phishing", "suspicious", "legitimate", "errors"
        );
        for (k, c) in map {
            println!(
                "{k:<26} {:>6} {:>9} {:>10} {:>10} {:>6}",
                c.total, c.phishing, c.suspicious, c.legitimate, c.errors
            );
        }
        println!();
    }
    println!(
        "detection on phish: flagged {}, phishing {}",
        pct(phish.flagged(), phish.total),
        pct(phish.phishing, phish.total)
    );
    println!(
        "false positives on ham (all ham labels): flagged {}, phishing {}",
        pct(ham.flagged(), ham.total),
        pct(ham.phishing, ham.total)
    );
    for (l, c) in s.by_label.iter().filter(|(l, _)| class(l) == "ham") {
        println!(
            "  {l}: flagged {}, phishing {}",
            pct(c.flagged(), c.total),
            pct(c.phishing, c.total)
        );
    }
    if let Some(sp) = s.by_label.get("spam") {
        println!(
            "spam (reported apart): flagged {}",
            pct(sp.flagged(), sp.total)
        );
    }
    println!("errors: {}, missing: {}\n", s.errors, s.missing);
    println!(
        "{:<34} {:>12} {:>12} {:>8}",
        "check", "fires:phish", "fires:ham", "spam"
    );
    for (id, f) in &s.checks {
        println!(
            "{id:<34} {:>12} {:>12} {:>8}",
            format!(
                "{} {:.1}%",
                f.phish,
                Counts::rate(f.phish, phish.total) * 100.0
            ),
            format!("{} {:.2}%", f.ham, Counts::rate(f.ham, ham.total) * 100.0),
            f.spam
        );
    }
}
