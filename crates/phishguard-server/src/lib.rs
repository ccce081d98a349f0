//! `phishguard serve`: a web page and an HTTP API over the phishguard library.
//!
//! - `GET /` the page (Japanese, with an English switch), `GET /app.js`, `GET /app.css`
//! - `POST /v1/analyze` a raw message (`message/rfc822`, `application/octet-stream`,
//!   `text/plain`) or JSON `{"sms": "...", "sender": "..."}`; `?lang=ja|en`; answers the
//!   same JSON object as `phishguard scan --json`
//! - `GET /openapi.json`, `GET /healthz`, `GET /metrics` (Prometheus text)
//!
//! Nothing is stored: a message is analysed in memory and dropped with the request. The
//! server makes no outgoing request of any kind.
#![forbid(unsafe_code)]

pub mod metrics;
pub mod pool;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use metrics::Metrics;
use phishguard::input::{ReadOptions, items_from_bytes};
use phishguard::{Analyzer, Format, Item, ItemBody, Lang, Report};
use pool::Pool;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The page and its assets, and the API description, built into the binary.
pub const INDEX_HTML: &str = include_str!("../static/index.html");
pub const APP_JS: &str = include_str!("../static/app.js");
pub const APP_CSS: &str = include_str!("../static/app.css");
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// The Content-Security-Policy sent with every response: only same-origin script, style
/// and fetch; no inline code, no frames, no forms posting anywhere, no base rewriting.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; \
base-uri 'none'";

/// Default request body limit: 25 MB.
pub const DEFAULT_MAX_SIZE: usize = 25 * 1000 * 1000;

/// Time allowed to receive a request body.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// Largest request body accepted, in bytes; larger gets 413.
    pub max_size: usize,
    /// Analysis threads (0: one per CPU, at most 8).
    pub threads: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_size: DEFAULT_MAX_SIZE,
            threads: 0,
        }
    }
}

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    analyzer: Arc<Analyzer>,
    pool: Pool,
    metrics: Arc<Metrics>,
    /// Requests to `/v1/analyze` being read or analysed at once; the rest wait.
    permits: Arc<Semaphore>,
    max_size: usize,
}

impl AppState {
    /// Build the analyzer and start the analysis threads.
    pub fn new(config: &Config) -> Result<AppState, String> {
        let analyzer = Analyzer::new().map_err(|e| format!("phishguard: {e}"))?;
        AppState::with_analyzer(analyzer, config)
    }

    /// The same with a given analyzer (e.g. other brand data).
    pub fn with_analyzer(analyzer: Analyzer, config: &Config) -> Result<AppState, String> {
        let threads = if config.threads == 0 {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(8)
        } else {
            config.threads
        };
        let pool = Pool::new(threads)
            .map_err(|e| format!("phishguard: cannot start analysis threads: {e}"))?;
        Ok(AppState {
            analyzer: Arc::new(analyzer),
            pool,
            metrics: Arc::new(Metrics::new()),
            permits: Arc::new(Semaphore::new(threads * 4)),
            max_size: config.max_size,
        })
    }
}

/// The application: routes, JSON 404/405, security headers and metrics on every answer.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(app_js))
        .route("/app.css", get(app_css))
        .route("/openapi.json", get(openapi))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/v1/analyze", post(analyze))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), around))
        .with_state(state)
}

/// Listen and serve until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    let state = AppState::new(&config)?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("phishguard: cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().unwrap_or(config.listen);
    eprintln!(
        "phishguard: serving on http://{addr}/ (messages are analysed in memory and not stored; \
         nothing is sent out)"
    );
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("phishguard: server error: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Parse a size such as `25MB`, `25M`, `512k`, `1MiB` or `1048576` (bytes).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num
        .parse()
        .map_err(|_| format!("invalid size {s:?} (use e.g. 25MB, 512KB or bytes)"))?;
    let mult: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => return Err(format!("invalid size unit in {s:?} (use B, KB, MB, GB)")),
    };
    n.checked_mul(mult)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("invalid size {s:?}"))
}

// ---------------------------------------------------------------- errors

/// An error answer: `{"error": code, "message": what is wrong}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.code, "message": self.message });
        json_response(self.status, body.to_string().into_bytes())
    }
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

// ---------------------------------------------------------------- middleware

/// Security headers and metrics for every answer; JSON bodies for 404 and 405.
async fn around(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = metrics::path_label(req.uri().path());
    let method = req.method().clone();
    let mut resp = next.run(req).await;
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        // (axum adds the Allow header itself, outside this layer)
        let allowed = if path == "/v1/analyze" {
            "POST"
        } else {
            "GET, HEAD"
        };
        resp = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{method} is not allowed on {path} (allowed: {allowed})"),
        )
        .into_response();
    }
    let h = resp.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    state.metrics.request(path, resp.status().as_u16());
    if path == "/v1/analyze" && method == Method::POST {
        state.metrics.analyze_latency(started.elapsed());
    }
    resp
}

// ---------------------------------------------------------------- simple routes

fn text(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn index() -> Response {
    text("text/html; charset=utf-8", INDEX_HTML)
}

async fn app_js() -> Response {
    text("text/javascript; charset=utf-8", APP_JS)
}

async fn app_css() -> Response {
    text("text/css; charset=utf-8", APP_CSS)
}

async fn openapi() -> Response {
    text("application/json", OPENAPI_JSON)
}

async fn healthz() -> Response {
    json_response(StatusCode::OK, br#"{"status":"ok"}"#.to_vec())
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

async fn not_found(req: Request) -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no such page: {} (see /openapi.json)",
            req.uri().path().chars().take(200).collect::<String>()
        ),
    )
    .into_response()
}

// ---------------------------------------------------------------- POST /v1/analyze

/// What the body holds, from its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    /// `application/json`: `{"sms": ..., "sender": ...}`.
    Json,
    /// A raw message; the format to read it as.
    Raw(Format),
}

const ACCEPTED: &str = "message/rfc822, application/octet-stream, text/plain or application/json";

fn body_kind(headers: &HeaderMap) -> Result<BodyKind, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("no Content-Type: send {ACCEPTED}"),
        ));
    };
    let value = value.to_str().unwrap_or("");
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "message/rfc822" => Ok(BodyKind::Raw(Format::Eml)),
        // a file of unknown type, or pasted text: a mail if it starts with a header
        // block, an mbox if it starts with "From ", else text (analysed like an SMS)
        "application/octet-stream" | "text/plain" => Ok(BodyKind::Raw(Format::Auto)),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {:?} is not accepted: send {ACCEPTED}",
                value.chars().take(100).collect::<String>()
            ),
        )),
    }
}

/// `?lang=ja|en`, or None for the message's own language.
fn query_lang(query: Option<&str>) -> Result<Option<Lang>, ApiError> {
    let mut lang = None;
    for pair in query.unwrap_or("").split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "lang" {
            continue;
        }
        lang = match value {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => {
                return Err(ApiError::bad(
                    "bad_lang",
                    format!(
                        "lang={:?} is not supported: use lang=ja or lang=en",
                        value.chars().take(50).collect::<String>()
                    ),
                ));
            }
        };
    }
    Ok(lang)
}

/// The JSON body for an SMS.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmsRequest {
    sms: String,
    #[serde(default)]
    sender: Option<String>,
}

/// A successful analysis: the JSON bytes and the verdict (for metrics).
struct Analysed {
    json: Vec<u8>,
    verdict: &'static str,
}

async fn analyze(State(state): State<AppState>, req: Request) -> Response {
    match analyze_inner(&state, req).await {
        Ok(a) => {
            state.metrics.verdict(a.verdict);
            json_response(StatusCode::OK, a.json)
        }
        Err(e) => e.into_response(),
    }
}

async fn analyze_inner(state: &AppState, req: Request) -> Result<Analysed, ApiError> {
    let lang = query_lang(req.uri().query())?;
    let kind = body_kind(req.headers())?;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the request body is larger than the limit of {} bytes",
                state.max_size
            ),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_size as u64) {
        return Err(too_large());
    }
    let _permit = state.permits.acquire().await.map_err(|_| unavailable())?;
    let limited = http_body_util::Limited::new(req.into_body(), state.max_size);
    let collected = tokio::time::timeout(BODY_TIMEOUT, http_body_util::BodyExt::collect(limited))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "the request body did not arrive in time",
            )
        })?;
    let bytes: Bytes = match collected {
        Ok(c) => c.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => return Err(too_large()),
        Err(e) => {
            return Err(ApiError::bad(
                "bad_body",
                format!("the request body could not be read: {e}"),
            ));
        }
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad("empty", "the request body is empty"));
    }
    let analyzer = Arc::clone(&state.analyzer);
    state
        .pool
        .run(move || analyze_body(&analyzer, kind, bytes, lang))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error while analysing the message",
            )
        })?
}

fn unavailable() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "the server is shutting down",
    )
}

/// On an analysis thread: read the body, analyse, serialise.
fn analyze_body(
    analyzer: &Analyzer,
    kind: BodyKind,
    bytes: Bytes,
    lang: Option<Lang>,
) -> Result<Analysed, ApiError> {
    let report: Report = match kind {
        BodyKind::Json => {
            let req: SmsRequest = serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::bad("bad_json", format!("invalid JSON body: {e}")))?;
            if req.sms.trim().is_empty() {
                return Err(ApiError::bad("empty", "\"sms\" is empty"));
            }
            let sender = req
                .sender
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            analyzer
                .analyze_sms(&req.sms, sender, "request", lang)
                .map_err(|e| ApiError::bad("unreadable", e.to_string()))?
        }
        BodyKind::Raw(format) => {
            let opts = ReadOptions {
                format,
                max_message_bytes: analyzer.limits.max_message_bytes,
            };
            let mut items = items_from_bytes("request".into(), bytes.to_vec(), None, false, opts);
            let item: Item = match items.next() {
                Some(Ok(item)) => item,
                Some(Err(e)) => return Err(ApiError::bad("unreadable", e.message)),
                None => return Err(ApiError::bad("empty", "the request body is empty")),
            };
            if items.next().is_some() {
                return Err(ApiError::bad(
                    "several_messages",
                    "the body is an mbox with several messages: send one message per request",
                ));
            }
            if let ItemBody::Sms { text, .. } = &item.body
                && text.trim().is_empty()
            {
                return Err(ApiError::bad("empty", "the request body is empty"));
            }
            analyzer
                .analyze_item(&item, lang, None)
                .map_err(|e| ApiError::bad("unreadable", e.to_string()))?
        }
    };
    let json = serde_json::to_vec(&report).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("cannot write the report: {e}"),
        )
    })?;
    Ok(Analysed {
        json,
        verdict: report.verdict.as_str(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("25MB"), Ok(25_000_000));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512k"), Ok(512_000));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn lang_query() {
        assert!(matches!(query_lang(Some("lang=en")), Ok(Some(Lang::En))));
        assert!(matches!(
            query_lang(Some("x=1&lang=ja")),
            Ok(Some(Lang::Ja))
        ));
        assert!(matches!(query_lang(None), Ok(None)));
        assert!(query_lang(Some("lang=fr")).is_err());
    }
}
