//! `phishguard`: the command-line front end. Thin: reading inputs and analysis live in the
//! `phishguard` library; this file parses flags, prints, and sets the exit status.

mod auth;
mod corpus;
mod eval;
mod limits;
mod render;
mod stats;
mod triage;

use clap::{Parser, Subcommand};
use phishguard::brands::BrandSet;
use phishguard::input::{ReadOptions, read_path};
use phishguard::{Analyzer, Format, ItemBody, Lang, Verdict};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "phishguard",
    version,
    about = "Explainable phishing detection for mail and SMS"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse messages: .eml files, directories, mbox files, Maildirs, SMS text, or - for stdin.
    Scan(ScanArgs),
    /// List the loaded brands, or validate brand files with --check.
    Brands(BrandsArgs),
    /// Measure detection and false-positive rates on a labelled corpus.
    Eval(eval::EvalArgs),
    /// Serve the web page and the HTTP API (nothing is stored, nothing is sent out).
    Serve(ServeArgs),
    /// Run as a milter for Postfix or Sendmail (see README "Postfix milter").
    Milter(MilterArgs),
    /// Bulk triage into a SQLite database: verdicts, campaigns, indicators (incremental).
    Triage(triage::TriageArgs),
    /// List the campaigns in a triage database, largest first.
    Campaigns(triage::CampaignsArgs),
    /// Export indicators from a triage database (CSV, JSON, STIX 2.1).
    Indicators(triage::IndicatorsArgs),
    /// Write a self-contained HTML report of a triage database.
    Report(triage::ReportArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// Largest request body accepted (e.g. 25MB, 512KB, bytes); larger gets 413.
    #[arg(long, default_value = "25MB", value_parser = phishguard_server::parse_size)]
    max_size: usize,
}

#[derive(clap::Args)]
struct MilterArgs {
    /// Where to listen: inet:127.0.0.1:11332 or unix:/path (default: from the config,
    /// else inet:127.0.0.1:11332).
    #[arg(long)]
    listen: Option<String>,
    /// Configuration file (TOML; see examples/milter.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Serve Prometheus counters over HTTP on this loopback address (e.g. 127.0.0.1:9332).
    #[arg(long)]
    metrics: Option<std::net::SocketAddr>,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan; - reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// One JSON object per message (NDJSON); the schema is in README.md.
    #[arg(long)]
    json: bool,
    /// Language of reasons and advice: ja or en (default: from the locale, else the
    /// message's own language).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Input format: auto, eml, mbox, maildir, sms.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    format: Format,
    /// Treat the input as SMS text (same as --format sms).
    #[arg(long)]
    sms: bool,
    /// SMS sender id or number (for --sms input without a `From:` line).
    #[arg(long)]
    sender: Option<String>,
    /// Load brand files from this directory instead of the built-in set.
    #[arg(long)]
    brands: Option<PathBuf>,
    /// Print throughput, peak memory and time per stage (parse, normalise, checks,
    /// score) to stderr at the end.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    limits: limits::LimitArgs,
    #[command(flatten)]
    auth: auth::AuthArgs,
    /// Verify SPF, DKIM, DMARC and ARC live over DNS (DNS settings from --config). SPF
    /// needs the client IP: it is taken from the `Received` header of a trusted
    /// authserv-id's host, else SPF is not checked.
    #[arg(long)]
    dns: bool,
}

#[derive(clap::Args)]
struct BrandsArgs {
    /// Validate every brand file and exit non-zero with file and field on error.
    #[arg(long)]
    check: bool,
    /// Brand directory (default: ./brands if present, else the built-in set).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?} (use ja or en)"))
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s)
        .ok_or_else(|| format!("unknown format {s:?} (use auto, eml, mbox, maildir or sms)"))
}

/// The language the locale asks for, if it is one phishguard speaks.
fn locale_lang() -> Option<Lang> {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if v.is_empty() {
                continue;
            }
            let code = v.split(['_', '.', '-', '@']).next().unwrap_or("");
            return Lang::parse(code);
        }
    }
    None
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Scan(args) => on_big_stack(move || scan(args)),
        Command::Brands(args) => brands(args),
        Command::Serve(args) => {
            let config = phishguard_server::Config {
                listen: args.listen,
                max_size: args.max_size,
                ..Default::default()
            };
            let served = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("phishguard: cannot start: {e}"))
                .and_then(|rt| rt.block_on(phishguard_server::serve(config)));
            match served {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Eval(args) => {
            let mut analyzer = match load_analyzer(args.brands.as_ref(), &args.limits) {
                Ok(a) => a,
                Err(code) => return code,
            };
            match args.auth.load() {
                Ok(a) => analyzer.trusted_authserv_ids = a.trusted_authserv_ids,
                Err(e) => {
                    eprintln!("phishguard: {e}");
                    return ExitCode::from(2);
                }
            }
            match eval::run(args, &analyzer) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::from(1),
                Err(e) => {
                    eprintln!("phishguard eval: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Triage(args) => on_big_stack(move || {
            let analyzer = match load_analyzer(args.brands.as_ref(), &args.limits) {
                Ok(a) => a,
                Err(code) => return code,
            };
            triage::triage(args, &analyzer)
        }),
        Command::Campaigns(args) => exit_with("campaigns", triage::campaigns(args)),
        Command::Indicators(args) => exit_with("indicators", triage::indicators(args)),
        Command::Report(args) => exit_with("report", triage::report(args)),
        Command::Milter(args) => {
            let config = match args.config {
                Some(path) => phishguard_milter::Config::load(&path),
                None => Ok(phishguard_milter::Config::default()),
            }
            .and_then(|mut c| {
                if let Some(l) = args.listen {
                    c.listen = l.parse()?;
                }
                c.metrics = args.metrics.or(c.metrics);
                c.validate().map(|()| c)
            });
            let result = config.and_then(|c| {
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?
                    .block_on(phishguard_milter::run(c))
            });
            result.map_or_else(
                |e| {
                    eprintln!("phishguard milter: {e}");
                    ExitCode::from(2)
                },
                |()| ExitCode::SUCCESS,
            )
        }
    }
}

fn exit_with(command: &str, result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("phishguard {command}: {e}");
            ExitCode::from(2)
        }
    }
}

/// Stack for analysis threads. Parsing hostile mail (deeply nested MIME and HTML) can
/// recurse deeply; the analysis bounds its input, and this is the margin on top.
pub const ANALYSIS_STACK: usize = 64 << 20;

/// Run `f` on a thread with [`ANALYSIS_STACK`] of stack.
fn on_big_stack(f: impl FnOnce() -> ExitCode + Send + 'static) -> ExitCode {
    match std::thread::Builder::new()
        .stack_size(ANALYSIS_STACK)
        .spawn(f)
    {
        Ok(h) => h.join().unwrap_or_else(|_| {
            eprintln!("phishguard: internal error");
            ExitCode::from(2)
        }),
        Err(e) => {
            eprintln!("phishguard: cannot start: {e}");
            ExitCode::from(2)
        }
    }
}

/// The analyzer with the chosen brand data and limits; on failure the error is printed and
/// the exit code (2) handed back.
fn load_analyzer(
    brands: Option<&PathBuf>,
    limits: &limits::LimitArgs,
) -> Result<Analyzer, ExitCode> {
    let result = match brands {
        Some(dir) => BrandSet::load_dir(dir)
            .map_err(|e| e.to_string())
            .and_then(|b| Analyzer::with_brands(b).map_err(|e| e.to_string())),
        None => Analyzer::new().map_err(|e| e.to_string()),
    };
    match result {
        Ok(mut analyzer) => {
            analyzer.limits = limits.apply(analyzer.limits);
            Ok(analyzer)
        }
        Err(e) => {
            eprintln!("phishguard: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn scan(args: ScanArgs) -> ExitCode {
    let mut analyzer = match load_analyzer(args.brands.as_ref(), &args.limits) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let auth_cfg = match args.auth.load() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("phishguard: {e}");
            return ExitCode::from(2);
        }
    };
    analyzer.trusted_authserv_ids = auth_cfg.trusted_authserv_ids.clone();
    let live = if args.dns {
        match LiveAuth::new(&auth_cfg) {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("phishguard: --dns: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let lang = args.lang.or_else(locale_lang);
    let format = if args.sms { Format::Sms } else { args.format };
    let opts = ReadOptions {
        format,
        max_message_bytes: analyzer.limits.max_message_bytes,
    };
    let color =
        !args.json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let started = Instant::now();
    let (mut messages, mut bytes, mut errors, mut flagged) = (0usize, 0usize, 0usize, 0usize);
    let mut stages = phishguard::StageTimes::default();
    let mut first = true;
    for path in &args.paths {
        for item in read_path(path, opts) {
            let item = match item {
                Ok(i) => i,
                Err(e) => {
                    errors += 1;
                    report_error(&mut out, args.json, &e.source_name, &e.message);
                    continue;
                }
            };
            bytes += match &item.body {
                ItemBody::Mail(raw) => raw.len(),
                ItemBody::Sms { text, .. } => text.len(),
            };
            let auth = match (&live, &item.body) {
                (Some(l), ItemBody::Mail(raw)) => Some(l.verify(raw, &auth_cfg)),
                _ => None,
            };
            let report = match analyzer.analyze_item_timed(
                &item,
                lang,
                args.sender.as_deref(),
                auth.as_ref(),
                &mut stages,
            ) {
                Ok(r) => r,
                Err(e) => {
                    errors += 1;
                    report_error(&mut out, args.json, &item.source, &e.to_string());
                    continue;
                }
            };
            messages += 1;
            if report.verdict != Verdict::Legitimate {
                flagged += 1;
            }
            let written = if args.json {
                // straight into the buffered output: no String per report to grow
                serde_json::to_writer(&mut out, &report)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(out))
            } else {
                if !first {
                    let _ = writeln!(out);
                }
                render::terminal(&mut out, &report, color)
            };
            first = false;
            if let Err(e) = written {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::from(if errors > 0 {
                        2
                    } else if flagged > 0 {
                        1
                    } else {
                        0
                    });
                }
                eprintln!("phishguard: cannot write output: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let _ = out.flush();
    if args.stats {
        stats::RunStats::new(messages, errors, bytes, started.elapsed(), &stages)
            .print("phishguard");
    }
    if errors > 0 {
        ExitCode::from(2)
    } else if flagged > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Live verification for `scan --dns`: a verifier and a runtime for its DNS queries.
struct LiveAuth {
    verifier: phishguard_auth::Verifier,
    runtime: tokio::runtime::Runtime,
}

impl LiveAuth {
    fn new(cfg: &phishguard_auth::AuthConfig) -> Result<LiveAuth, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let settings = cfg.dns_settings()?;
        // the resolver is built inside the runtime it will run on
        let verifier = runtime
            .block_on(async { phishguard_auth::Verifier::new(settings) })
            .map_err(|e| e.to_string())?;
        Ok(LiveAuth { verifier, runtime })
    }

    fn verify(
        &self,
        raw: &[u8],
        cfg: &phishguard_auth::AuthConfig,
    ) -> phishguard::auth::AuthResults {
        let envelope = phishguard_auth::envelope_from_headers(raw, &cfg.trusted_authserv_ids);
        self.runtime.block_on(self.verifier.verify(raw, &envelope))
    }
}

fn report_error(out: &mut impl Write, json: bool, source: &str, message: &str) {
    eprintln!("phishguard: {source}: {message}");
    if json {
        let v = serde_json::json!({ "source": source, "error": message });
        let _ = writeln!(out, "{v}");
    }
}

fn brands(args: BrandsArgs) -> ExitCode {
    let dir = args.dir.clone().or_else(|| {
        let d = PathBuf::from("brands");
        d.is_dir().then_some(d)
    });
    let set = match &dir {
        Some(d) => BrandSet::load_dir(d),
        None => BrandSet::builtin(),
    };
    let set = match set {
        Ok(s) => s,
        Err(e) => {
            eprintln!("phishguard: brand data error: {e}");
            return ExitCode::from(1);
        }
    };
    if args.check {
        let from = dir.map_or_else(|| "built-in set".to_string(), |d| d.display().to_string());
        println!("ok: {} brand file(s) valid ({from})", set.brands().len());
        return ExitCode::SUCCESS;
    }
    for b in set.brands() {
        if args.json {
            let v = serde_json::json!({
                "id": b.id,
                "name": b.name,
                "sender_domains": b.domains.sender,
                "link_domains": b.domains.link,
                "report_addresses": b.report.addresses,
            });
            println!("{v}");
        } else {
            println!(
                "{:<12} {:<24} {}",
                b.id,
                b.display_name("en"),
                b.domains.sender.join(", ")
            );
        }
    }
    ExitCode::SUCCESS
}
