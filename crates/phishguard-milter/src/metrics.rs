//! Counters, and a tiny plain-HTTP responder that serves them in Prometheus text format.

use crate::session::MailLog;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Upper bounds (seconds) of the analysis-time histogram.
const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
const VERDICTS: [&str; 3] = ["legitimate", "suspicious", "phishing"];
const ACTIONS: [&str; 6] = ["accept", "tag", "quarantine", "reject", "tempfail", "skip"];
const FAULTS: [&str; 4] = ["error", "timeout", "overload", "oversize"];

#[derive(Debug, Default)]
pub struct Metrics {
    connections_total: AtomicU64,
    connections_open: AtomicU64,
    protocol_errors: AtomicU64,
    messages: AtomicU64,
    bytes: AtomicU64,
    verdicts: [AtomicU64; 3],
    actions: [AtomicU64; 6],
    faults: [AtomicU64; 4],
    buckets: [AtomicU64; 11],
    /// Sum of times in microseconds.
    time_us: AtomicU64,
}

impl Metrics {
    pub fn connection_opened(&self) {
        self.connections_total.fetch_add(1, Relaxed);
        self.connections_open.fetch_add(1, Relaxed);
    }

    pub fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Relaxed);
    }

    pub fn protocol_error(&self) {
        self.protocol_errors.fetch_add(1, Relaxed);
    }

    pub fn record(&self, log: &MailLog) {
        let idx = |list: &[&str], s: &str| list.iter().position(|x| *x == s);
        if let Some(i) = idx(&ACTIONS, log.action)
            && let Some(c) = self.actions.get(i)
        {
            c.fetch_add(1, Relaxed);
        }
        if log.skipped.is_some() {
            return;
        }
        self.messages.fetch_add(1, Relaxed);
        self.bytes.fetch_add(log.bytes as u64, Relaxed);
        if let Some(v) = log.verdict
            && let Some(c) = idx(&VERDICTS, v).and_then(|i| self.verdicts.get(i))
        {
            c.fetch_add(1, Relaxed);
        }
        if let Some(f) = log.fault
            && let Some(c) = idx(&FAULTS, f).and_then(|i| self.faults.get(i))
        {
            c.fetch_add(1, Relaxed);
        }
        let secs = log.ms / 1000.0;
        for (b, c) in BUCKETS.iter().zip(&self.buckets) {
            if secs <= *b {
                c.fetch_add(1, Relaxed);
            }
        }
        self.time_us.fetch_add((log.ms * 1000.0) as u64, Relaxed);
    }

    /// Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let g = |c: &AtomicU64| c.load(Relaxed);
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_connections_total MTA connections accepted.\n# TYPE phishguard_milter_connections_total counter\nphishguard_milter_connections_total {}",
            g(&self.connections_total)
        );
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_connections_open MTA connections open now.\n# TYPE phishguard_milter_connections_open gauge\nphishguard_milter_connections_open {}",
            g(&self.connections_open)
        );
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_protocol_errors_total Connections closed on a malformed or oversized packet.\n# TYPE phishguard_milter_protocol_errors_total counter\nphishguard_milter_protocol_errors_total {}",
            g(&self.protocol_errors)
        );
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_messages_total Messages that reached end of data (not skipped).\n# TYPE phishguard_milter_messages_total counter\nphishguard_milter_messages_total {}",
            g(&self.messages)
        );
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_message_bytes_total Bytes of those messages.\n# TYPE phishguard_milter_message_bytes_total counter\nphishguard_milter_message_bytes_total {}",
            g(&self.bytes)
        );
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_verdicts_total Messages by verdict.\n# TYPE phishguard_milter_verdicts_total counter"
        );
        for (v, c) in VERDICTS.iter().zip(&self.verdicts) {
            let _ = writeln!(
                s,
                "phishguard_milter_verdicts_total{{verdict=\"{v}\"}} {}",
                g(c)
            );
        }
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_actions_total Messages by action taken.\n# TYPE phishguard_milter_actions_total counter"
        );
        for (a, c) in ACTIONS.iter().zip(&self.actions) {
            let _ = writeln!(
                s,
                "phishguard_milter_actions_total{{action=\"{a}\"}} {}",
                g(c)
            );
        }
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_faults_total Messages not judged, by cause.\n# TYPE phishguard_milter_faults_total counter"
        );
        for (f, c) in FAULTS.iter().zip(&self.faults) {
            let _ = writeln!(
                s,
                "phishguard_milter_faults_total{{fault=\"{f}\"}} {}",
                g(c)
            );
        }
        let _ = writeln!(
            s,
            "# HELP phishguard_milter_seconds Time from end of data to the reply.\n# TYPE phishguard_milter_seconds histogram"
        );
        for (b, c) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(s, "phishguard_milter_seconds_bucket{{le=\"{b}\"}} {}", g(c));
        }
        let n = g(&self.messages);
        let _ = writeln!(s, "phishguard_milter_seconds_bucket{{le=\"+Inf\"}} {n}");
        let _ = writeln!(
            s,
            "phishguard_milter_seconds_sum {}",
            g(&self.time_us) as f64 / 1e6
        );
        let _ = writeln!(s, "phishguard_milter_seconds_count {n}");
        s
    }
}

/// Serves `GET /metrics` (any path, really) over plain HTTP/1.0-style close-after-reply.
pub async fn serve(listener: TcpListener, metrics: Arc<Metrics>) {
    loop {
        let Ok((mut sock, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let metrics = metrics.clone();
        tokio::spawn(async move {
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            let read = tokio::time::timeout(Duration::from_secs(5), async {
                while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 8192 {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => req.extend_from_slice(buf.get(..n).unwrap_or(&[])),
                    }
                }
            })
            .await;
            if read.is_err() {
                return;
            }
            let line = String::from_utf8_lossy(&req);
            let mut parts = line.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (status, body) = if method != "GET" {
                ("405 Method Not Allowed", String::new())
            } else if path == "/metrics" || path == "/" {
                ("200 OK", metrics.render())
            } else {
                ("404 Not Found", String::new())
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(body.as_bytes()).await;
            let _ = sock.shutdown().await;
        });
    }
}
