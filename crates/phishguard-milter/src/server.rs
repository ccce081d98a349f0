//! The server: accepts MTA connections (TCP or unix socket), runs one [`Session`] per
//! connection, and analyses messages on a pool of big-stack worker threads under a time
//! budget.

use crate::codec::{CodecError, Decoder, Response, encode};
use crate::config::{Config, FaultAction, Listen};
use crate::metrics::Metrics;
use crate::session::{Eom, Fault, MailLog, Outcome, Session, Step};
use phishguard::auth::AuthResults;
use phishguard_auth::Verifier;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::oneshot;

/// Stack for analysis threads: hostile mail (deeply nested MIME and HTML) can recurse
/// deeply. The same margin as the command-line tool.
pub const ANALYSIS_STACK: usize = 64 << 20;

/// A connection with no command for this long is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// The analysis: raw message, a source name and the live sender authentication results
/// (when DNS verification is on) in, outcome or error text out.
pub type AnalyzeFn =
    Arc<dyn Fn(&[u8], &str, Option<&AuthResults>) -> Result<Outcome, String> + Send + Sync>;

/// The default analysis: phishguard's built-in brands and data.
pub fn phishguard_analyzer() -> Result<AnalyzeFn, String> {
    phishguard_analyzer_trusting(Vec::new())
}

/// The default analysis, believing `Authentication-Results` headers from these
/// authserv-ids (the `[auth]` table's `trusted_authserv_ids`).
pub fn phishguard_analyzer_trusting(trusted: Vec<String>) -> Result<AnalyzeFn, String> {
    let mut analyzer = phishguard::Analyzer::new().map_err(|e| e.to_string())?;
    analyzer.trusted_authserv_ids = trusted;
    Ok(Arc::new(
        move |raw: &[u8], source: &str, auth: Option<&AuthResults>| {
            analyzer
                .analyze_mail_with_auth(raw, source, Some(phishguard::Lang::En), auth)
                .map(|r| Outcome {
                    verdict: r.verdict,
                    score: r.score,
                    // the results themselves are information, not a reason
                    reasons: r
                        .reasons
                        .iter()
                        .filter(|x| x.id != "sender_auth_results")
                        .map(|x| x.id.to_string())
                        .collect(),
                })
                .map_err(|e| e.to_string())
        },
    ))
}

struct Job {
    raw: Vec<u8>,
    source: String,
    auth: Option<AuthResults>,
    reply: oneshot::Sender<Result<Outcome, String>>,
}

/// A fixed pool of analysis threads fed by a bounded queue.
pub struct Engine {
    tx: SyncSender<Job>,
}

impl Engine {
    pub fn new(workers: usize, analyze: AnalyzeFn) -> io::Result<Engine> {
        let workers = workers.max(1);
        let (tx, rx) = sync_channel::<Job>(workers * 64);
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..workers {
            let rx = rx.clone();
            let analyze = analyze.clone();
            std::thread::Builder::new()
                .name(format!("phishguard-analysis-{n}"))
                .stack_size(ANALYSIS_STACK)
                .spawn(move || worker(&rx, &analyze))?;
        }
        Ok(Engine { tx })
    }

    /// Analyses `raw` within `budget`.
    pub async fn analyze(
        &self,
        raw: Vec<u8>,
        source: String,
        auth: Option<AuthResults>,
        budget: Duration,
    ) -> Result<Outcome, Fault> {
        let (reply, rx) = oneshot::channel();
        match self.tx.try_send(Job {
            raw,
            source,
            auth,
            reply,
        }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Fault::Overload),
            Err(TrySendError::Disconnected(_)) => return Err(Fault::Error),
        }
        match tokio::time::timeout(budget, rx).await {
            Ok(Ok(Ok(outcome))) => Ok(outcome),
            Ok(Ok(Err(_))) | Ok(Err(_)) => Err(Fault::Error),
            Err(_) => Err(Fault::Timeout),
        }
    }
}

fn worker(rx: &Mutex<Receiver<Job>>, analyze: &AnalyzeFn) {
    loop {
        let job = {
            let guard = match rx.lock() {
                Ok(g) => g,
                Err(poisoned) => poisoned.into_inner(),
            };
            guard.recv()
        };
        let Ok(job) = job else { return };
        // Whoever asked has given up (time budget spent): don't spend time on it.
        if job.reply.is_closed() {
            continue;
        }
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            analyze(&job.raw, &job.source, job.auth.as_ref())
        }))
        .unwrap_or_else(|_| Err("analysis panicked".to_string()));
        let _ = job.reply.send(result);
    }
}

/// A bound server, ready to [`Server::serve`].
pub struct Server {
    listener: Listener,
    cfg: Arc<Config>,
    engine: Arc<Engine>,
    verifier: Option<Arc<Verifier>>,
    metrics: Arc<Metrics>,
}

enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener, std::path::PathBuf),
}

impl Server {
    /// Binds the milter socket (and not yet the metrics one).
    pub async fn bind(cfg: Config, analyze: AnalyzeFn) -> io::Result<Server> {
        let listener = match &cfg.listen {
            Listen::Inet(addr) => Listener::Tcp(TcpListener::bind(addr).await?),
            Listen::Unix(path) => {
                remove_stale_socket(path)?;
                let l = UnixListener::bind(path)?;
                let mode = cfg.socket_mode_bits().map_err(io::Error::other)?;
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
                Listener::Unix(l, path.clone())
            }
        };
        let engine = Arc::new(Engine::new(cfg.worker_count(), analyze)?);
        // Live verification; without a usable resolver the milter works offline.
        let verifier = if cfg.dns_enabled() {
            match cfg
                .dns_settings()
                .and_then(|s| Verifier::new(s).map_err(|e| e.to_string()))
            {
                Ok(v) => Some(Arc::new(v)),
                Err(e) => {
                    log_event("dns_unavailable", &e);
                    None
                }
            }
        } else {
            None
        };
        Ok(Server {
            listener,
            cfg: Arc::new(cfg),
            engine,
            verifier,
            metrics: Arc::new(Metrics::default()),
        })
    }

    /// The bound TCP address (for `inet:…:0`).
    pub fn local_addr(&self) -> Option<std::net::SocketAddr> {
        match &self.listener {
            Listener::Tcp(l) => l.local_addr().ok(),
            Listener::Unix(..) => None,
        }
    }

    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// Accepts connections until the future is dropped.
    pub async fn serve(self) -> io::Result<()> {
        loop {
            let accepted: io::Result<Box<dyn Conn>> = match &self.listener {
                Listener::Tcp(l) => l.accept().await.map(|(s, _)| {
                    let _ = s.set_nodelay(true);
                    Box::new(s) as Box<dyn Conn>
                }),
                Listener::Unix(l, _) => l.accept().await.map(|(s, _)| Box::new(s) as Box<dyn Conn>),
            };
            let conn = match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    log_event("accept_error", &e.to_string());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let (cfg, engine, metrics) =
                (self.cfg.clone(), self.engine.clone(), self.metrics.clone());
            let verifier = self.verifier.clone();
            tokio::spawn(async move {
                metrics.connection_opened();
                if let Err(e) = handle(conn, cfg, engine, verifier, metrics.clone()).await {
                    log_event("connection_error", &e.to_string());
                }
                metrics.connection_closed();
            });
        }
    }

    /// Removes the unix socket file, if any.
    pub fn cleanup(&self) {
        if let Listener::Unix(_, path) = &self.listener {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A unix socket path left by an earlier run is removed; anything else there is an error.
fn remove_stale_socket(path: &std::path::Path) -> io::Result<()> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() => std::fs::remove_file(path),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a socket", path.display()),
        )),
        Err(_) => Ok(()),
    }
}

trait Conn: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Conn for T {}

async fn handle(
    mut conn: Box<dyn Conn>,
    cfg: Arc<Config>,
    engine: Arc<Engine>,
    verifier: Option<Arc<Verifier>>,
    metrics: Arc<Metrics>,
) -> io::Result<()> {
    let mut session = Session::new(cfg.clone());
    let mut decoder = Decoder::new(cfg.max_frame_bytes);
    let mut buf = vec![0u8; 64 * 1024];
    let budget = Duration::from_millis(cfg.faults.timeout_ms);
    loop {
        let n = match tokio::time::timeout(IDLE_TIMEOUT, conn.read(&mut buf)).await {
            Ok(r) => r?,
            Err(_) => return Ok(()),
        };
        if n == 0 {
            return Ok(());
        }
        decoder.extend(buf.get(..n).unwrap_or(&[]));
        let mut out: Vec<u8> = Vec::new();
        loop {
            let cmd = match decoder.next_command() {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => return protocol_error(&mut conn, &cfg, &metrics, out, e).await,
            };
            let step = session.on_command(cmd);
            let responses = match step {
                Step::Reply(r) => r,
                Step::Close => {
                    conn.write_all(&out).await?;
                    return Ok(());
                }
                Step::Eom(eom) => {
                    let started = Instant::now();
                    let mut auth_note = None;
                    let result = match eom {
                        Eom::Oversize => Err(Fault::Oversize),
                        Eom::Analyze(raw) => {
                            let source = session.macro_value("i").unwrap_or("milter").to_string();
                            // bounded by its own limit (half the budget); DNS trouble is
                            // temperror, never a fault or a verdict by itself
                            let auth = match &verifier {
                                Some(v) => Some(v.verify(&raw, &session.envelope()).await),
                                None => None,
                            };
                            auth_note = auth.as_ref().map(summary);
                            let left = budget.saturating_sub(started.elapsed());
                            engine.analyze(raw, source, auth, left).await
                        }
                    };
                    let r = session.finish(result);
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    for mut log in session.take_logs() {
                        log.auth = auth_note.clone();
                        log.ms = (ms * 1000.0).round() / 1000.0;
                        metrics.record(&log);
                        write_log(&log);
                    }
                    r
                }
            };
            for log in session.take_logs() {
                metrics.record(&log);
                write_log(&log);
            }
            for r in &responses {
                out.extend(encode(r));
            }
        }
        if !out.is_empty() {
            conn.write_all(&out).await?;
        }
    }
}

/// The stream cannot be trusted any more: answer the pending command with the fault
/// action (so the MTA does not wait) and close.
async fn protocol_error(
    conn: &mut Box<dyn Conn>,
    cfg: &Config,
    metrics: &Metrics,
    mut out: Vec<u8>,
    e: CodecError,
) -> io::Result<()> {
    metrics.protocol_error();
    log_event("protocol_error", &e.to_string());
    out.extend(encode(&match cfg.faults.on_error {
        FaultAction::Accept => Response::Accept,
        FaultAction::Tempfail => Response::TempFail,
    }));
    conn.write_all(&out).await?;
    conn.shutdown().await
}

/// `spf=pass dkim=pass dmarc=pass` for the log.
fn summary(auth: &AuthResults) -> String {
    auth.results
        .iter()
        .map(|r| format!("{}={}", r.method.as_str(), r.result.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_log(log: &MailLog) {
    if let Ok(line) = serde_json::to_string(log) {
        eprintln!("{line}");
    }
}

/// A JSON line for something that is not a mail.
pub fn log_event(event: &str, detail: &str) {
    eprintln!(
        "{}",
        serde_json::json!({ "event": event, "detail": detail })
    );
}

/// Binds everything, serves until SIGINT or SIGTERM.
pub async fn run(cfg: Config) -> Result<(), String> {
    let analyze = phishguard_analyzer_trusting(cfg.auth.trusted_authserv_ids.clone())?;
    let metrics_addr = cfg.metrics;
    let listen = cfg.listen.to_string();
    let server = Server::bind(cfg, analyze)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    if let Some(addr) = metrics_addr {
        let l = TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr} for metrics: {e}"))?;
        tokio::spawn(crate::metrics::serve(l, server.metrics()));
    }
    log_event("listening", &listen);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    let cleanup = ServerCleanup(match &server.listener {
        Listener::Unix(_, p) => Some(p.clone()),
        Listener::Tcp(_) => None,
    });
    let result = tokio::select! {
        r = server.serve() => r.map_err(|e| e.to_string()),
        _ = tokio::signal::ctrl_c() => Ok(()),
        _ = term.recv() => Ok(()),
    };
    drop(cleanup);
    log_event("stopped", &listen);
    result
}

struct ServerCleanup(Option<std::path::PathBuf>);

impl Drop for ServerCleanup {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}
