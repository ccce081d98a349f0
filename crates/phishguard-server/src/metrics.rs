//! Counters for `GET /metrics`, written in the Prometheus text exposition format
//! (version 0.0.4) by hand.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the analysis latency histogram buckets.
pub const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The paths that get their own label; anything else is counted as `other`, so that
/// clients cannot grow the label set.
pub const PATHS: [&str; 7] = [
    "/",
    "/app.js",
    "/app.css",
    "/v1/analyze",
    "/openapi.json",
    "/healthz",
    "/metrics",
];

/// The label for a request path.
pub fn path_label(path: &str) -> &'static str {
    PATHS
        .iter()
        .find(|p| **p == path)
        .copied()
        .unwrap_or("other")
}

#[derive(Debug, Default)]
struct Inner {
    /// (path, status) → requests.
    requests: BTreeMap<(&'static str, u16), u64>,
    /// verdict → analyses.
    verdicts: BTreeMap<&'static str, u64>,
    /// Per bucket (non-cumulative) counts, then the +Inf overflow.
    buckets: [u64; BUCKETS.len() + 1],
    latency_sum: f64,
    latency_count: u64,
}

/// Server metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics::default()
    }

    fn with(&self, f: impl FnOnce(&mut Inner)) {
        if let Ok(mut inner) = self.inner.lock() {
            f(&mut inner);
        }
    }

    /// One answered request.
    pub fn request(&self, path: &'static str, status: u16) {
        self.with(|m| *m.requests.entry((path, status)).or_default() += 1);
    }

    /// One `POST /v1/analyze` answered in `elapsed` (whatever its status).
    pub fn analyze_latency(&self, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        self.with(|m| {
            let i = BUCKETS
                .iter()
                .position(|b| secs <= *b)
                .unwrap_or(BUCKETS.len());
            if let Some(slot) = m.buckets.get_mut(i) {
                *slot += 1;
            }
            m.latency_sum += secs;
            m.latency_count += 1;
        });
    }

    /// One verdict given.
    pub fn verdict(&self, verdict: &'static str) {
        self.with(|m| *m.verdicts.entry(verdict).or_default() += 1);
    }

    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Ok(m) = self.inner.lock() else {
            return out;
        };
        let _ = writeln!(
            out,
            "# HELP phishguard_http_requests_total HTTP requests answered, by path and status."
        );
        let _ = writeln!(out, "# TYPE phishguard_http_requests_total counter");
        for ((path, status), n) in &m.requests {
            let _ = writeln!(
                out,
                "phishguard_http_requests_total{{path=\"{path}\",status=\"{status}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP phishguard_verdicts_total Messages analysed, by verdict."
        );
        let _ = writeln!(out, "# TYPE phishguard_verdicts_total counter");
        for v in ["phishing", "suspicious", "legitimate"] {
            let n = m.verdicts.get(v).copied().unwrap_or(0);
            let _ = writeln!(out, "phishguard_verdicts_total{{verdict=\"{v}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP phishguard_analyze_duration_seconds Time to answer POST /v1/analyze (reading the body, analysis, writing JSON)."
        );
        let _ = writeln!(out, "# TYPE phishguard_analyze_duration_seconds histogram");
        let mut cumulative = 0u64;
        for (i, le) in BUCKETS.iter().enumerate() {
            cumulative += m.buckets.get(i).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "phishguard_analyze_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "phishguard_analyze_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            m.latency_count
        );
        let _ = writeln!(
            out,
            "phishguard_analyze_duration_seconds_sum {}",
            m.latency_sum
        );
        let _ = writeln!(
            out,
            "phishguard_analyze_duration_seconds_count {}",
            m.latency_count
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::new();
        m.analyze_latency(Duration::from_micros(500));
        m.analyze_latency(Duration::from_millis(30));
        m.analyze_latency(Duration::from_secs(20));
        let text = m.render();
        assert!(text.contains("phishguard_analyze_duration_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("phishguard_analyze_duration_seconds_bucket{le=\"0.05\"} 2\n"));
        assert!(text.contains("phishguard_analyze_duration_seconds_bucket{le=\"10\"} 2\n"));
        assert!(text.contains("phishguard_analyze_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("phishguard_analyze_duration_seconds_count 3\n"));
    }

    #[test]
    fn unknown_paths_share_a_label() {
        assert_eq!(path_label("/v1/analyze"), "/v1/analyze");
        assert_eq!(path_label("/wp-admin"), "other");
    }
}
