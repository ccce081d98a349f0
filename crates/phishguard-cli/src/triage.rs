//! `phishguard triage`, `campaigns`, `indicators`, `report`: bulk triage into SQLite
//! (the work is in the `phishguard-triage` crate; this file parses flags and prints).

use indicatif::{ProgressBar, ProgressStyle};
use phishguard::input::ReadOptions;
use phishguard_triage::{Event, Options, campaigns, db, html_report, indicators, stix};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TriageArgs {
    /// Directories, mbox files, Maildirs or .eml files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The SQLite database (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Load brand files from this directory instead of the built-in set.
    #[arg(long)]
    pub brands: Option<PathBuf>,
    /// Print messages, bytes, messages/s, MB/s and peak memory to stderr at the end.
    #[arg(long)]
    stats: bool,
    /// Print the run's totals as JSON on stdout.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

#[derive(clap::Args)]
pub struct CampaignsArgs {
    #[arg(long)]
    db: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
    /// Only campaigns with at least this many messages.
    #[arg(long, default_value_t = 2)]
    min_size: u64,
    /// At most this many campaigns.
    #[arg(long)]
    limit: Option<usize>,
    /// Also list campaigns none of whose messages was judged phishing or suspicious.
    #[arg(long)]
    all: bool,
}

#[derive(clap::Args)]
pub struct IndicatorsArgs {
    #[arg(long)]
    db: PathBuf,
    /// csv, json or stix (a STIX 2.1 bundle).
    #[arg(long, default_value = "csv", value_parser = ["csv", "json", "stix"])]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    #[arg(long)]
    db: PathBuf,
    /// The HTML file to write.
    #[arg(long)]
    out: PathBuf,
    /// Title of the report.
    #[arg(long, default_value = "phishguard triage report")]
    title: String,
}

/// Open an existing database (the read-only commands do not create one).
fn open_existing(path: &std::path::Path) -> Result<db::Connection, String> {
    if !path.is_file() {
        return Err(format!("{}: no such database", path.display()));
    }
    db::open(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn triage(args: TriageArgs, analyzer: &phishguard::Analyzer) -> ExitCode {
    let mut conn = match db::open(&args.db) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("phishguard triage: {}: {e}", args.db.display());
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1),
        stack_size: crate::ANALYSIS_STACK,
        read: ReadOptions {
            max_message_bytes: analyzer.limits.max_message_bytes,
            ..ReadOptions::default()
        },
        ..Options::default()
    };
    let progress = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(phishguard_triage::runner::input_bytes(&args.inputs));
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
        ) {
            pb.set_style(style);
        }
        pb
    } else {
        ProgressBar::hidden()
    };
    let (mut seen, mut new) = (0u64, 0u64);
    let mut on_event = |e: Event| match e {
        Event::Message { bytes, new: n } => {
            seen += 1;
            new += u64::from(n);
            progress.inc(bytes);
            if seen % 64 == 0 {
                progress.set_message(format!("{seen} messages, {new} new"));
            }
        }
        Event::Error { source, message } => {
            progress.suspend(|| eprintln!("phishguard triage: {source}: {message}"));
        }
    };
    let result = phishguard_triage::run(&mut conn, analyzer, &args.inputs, &opts, &mut on_event);
    progress.finish_and_clear();
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!("phishguard triage: {e}");
            return ExitCode::from(2);
        }
    };
    if args.json {
        if let Ok(s) = serde_json::to_string(&stats) {
            println!("{s}");
        }
    } else {
        println!(
            "phishguard triage: {} messages read, {} analysed, {} already known, {} errors; \
             {} clustered into {} new campaign(s)",
            stats.messages,
            stats.analysed,
            stats.known,
            stats.errors,
            stats.clustered,
            stats.campaigns_created
        );
    }
    if args.stats {
        let secs = stats.seconds.max(1e-9);
        eprintln!(
            "phishguard triage: {} messages ({} analysed), {:.1} MB in {secs:.2} s (campaigns {:.2} s): {:.0} messages/s, {:.1} MB/s, {} threads, peak memory {}",
            stats.messages,
            stats.analysed,
            stats.bytes as f64 / 1e6,
            stats.cluster_seconds,
            stats.messages as f64 / secs,
            stats.bytes as f64 / 1e6 / secs,
            opts.threads,
            crate::stats::peak_memory_mb()
                .map_or_else(|| "unknown".into(), |m| format!("{m:.1} MB"))
        );
        let st = &stats.stage_seconds;
        let total = (st.parse + st.normalise + st.checks + st.score).max(1e-12);
        let n = stats.analysed.max(1) as f64;
        eprintln!("phishguard triage: stage       seconds  share  µs/message");
        for (name, x) in [
            ("parse", st.parse),
            ("normalise", st.normalise),
            ("checks", st.checks),
            ("score", st.score),
        ] {
            eprintln!(
                "phishguard triage:   {name:<10} {x:>8.3}  {:>4.0}%  {:>10.1}",
                x * 100.0 / total,
                x * 1e6 / n
            );
        }
    }
    if stats.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn campaigns(args: CampaignsArgs) -> Result<(), String> {
    let conn = open_existing(&args.db)?;
    let query = campaigns::Query {
        min_size: args.min_size,
        flagged_only: !args.all,
        limit: args.limit,
        ..Default::default()
    };
    let list = campaigns::list(&conn, &query).map_err(|e| e.to_string())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &list)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        print_campaigns(&mut out, &list)
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(()),
    }
}

fn print_campaigns(out: &mut impl Write, list: &[campaigns::Campaign]) -> std::io::Result<()> {
    if list.is_empty() {
        writeln!(out, "no campaigns")?;
    }
    let join = |v: &[campaigns::Counted]| {
        v.iter()
            .map(|c| format!("{} ({})", c.value, c.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for c in list {
        writeln!(
            out,
            "campaign {}: {} messages ({} flagged), {} .. {}",
            c.id, c.size, c.flagged, c.first_seen, c.last_seen
        )?;
        writeln!(out, "  lure:         {}", join(&c.subjects))?;
        writeln!(out, "  brands:       {}", join(&c.brands))?;
        writeln!(out, "  senders:      {}", join(&c.senders))?;
        writeln!(out, "  link domains: {}", join(&c.link_domains))?;
        writeln!(out, "  members:")?;
        for m in &c.members {
            writeln!(out, "    {} [{}]", m.source, m.verdict)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

pub fn indicators(args: IndicatorsArgs) -> Result<(), String> {
    let conn = open_existing(&args.db)?;
    let inds = indicators::collect(&conn).map_err(|e| e.to_string())?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = match args.format.as_str() {
        "json" => indicators::write_json(&mut out, &inds),
        "stix" => {
            let bundle = stix::bundle(&conn, &inds).map_err(|e| e.to_string())?;
            serde_json::to_writer_pretty(&mut out, &bundle)
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        }
        _ => indicators::write_csv(&mut out, &inds),
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(()),
    }
}

pub fn report(args: ReportArgs) -> Result<(), String> {
    let conn = open_existing(&args.db)?;
    let html = html_report::render(&conn, &args.title).map_err(|e| e.to_string())?;
    std::fs::write(&args.out, html).map_err(|e| format!("{}: {e}", args.out.display()))
}
