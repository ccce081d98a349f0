//! `--stats`: throughput, peak memory and time per pipeline stage, printed at the end of
//! `scan` and `eval` (to stderr; `eval --json` also puts them in its summary).

use phishguard::StageTimes;
use std::time::Duration;

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct RunStats {
    pub messages: usize,
    pub errors: usize,
    pub bytes: usize,
    pub seconds: f64,
    pub messages_per_second: f64,
    pub mb_per_second: f64,
    pub peak_memory_mb: Option<f64>,
    /// Seconds per stage, summed over threads (CPU time in the stage, not wall time).
    pub stage_seconds: StageSeconds,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct StageSeconds {
    pub parse: f64,
    pub normalise: f64,
    pub checks: f64,
    pub score: f64,
}

impl RunStats {
    pub fn new(
        messages: usize,
        errors: usize,
        bytes: usize,
        elapsed: Duration,
        st: &StageTimes,
    ) -> RunStats {
        let seconds = elapsed.as_secs_f64().max(1e-9);
        RunStats {
            messages,
            errors,
            bytes,
            seconds,
            messages_per_second: messages as f64 / seconds,
            mb_per_second: bytes as f64 / 1e6 / seconds,
            peak_memory_mb: peak_memory_mb(),
            stage_seconds: StageSeconds {
                parse: st.parse.as_secs_f64(),
                normalise: st.normalise.as_secs_f64(),
                checks: st.checks.as_secs_f64(),
                score: st.score.as_secs_f64(),
            },
        }
    }

    /// Print to stderr: one summary line, then one line per stage.
    pub fn print(&self, who: &str) {
        eprintln!(
            "{who}: {} messages, {} errors, {:.1} MB in {:.2} s: {:.0} messages/s, {:.1} MB/s, peak memory {}",
            self.messages,
            self.errors,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.messages_per_second,
            self.mb_per_second,
            self.peak_memory_mb
                .map_or_else(|| "unknown".into(), |m| format!("{m:.1} MB"))
        );
        let s = &self.stage_seconds;
        let total = (s.parse + s.normalise + s.checks + s.score).max(1e-12);
        let per_msg = |x: f64| x * 1e6 / self.messages.max(1) as f64;
        eprintln!("{who}: stage       seconds  share  µs/message");
        for (name, x) in [
            ("parse", s.parse),
            ("normalise", s.normalise),
            ("checks", s.checks),
            ("score", s.score),
        ] {
            eprintln!(
                "{who}:   {name:<10} {x:>8.3}  {:>4.0}%  {:>10.1}",
                x * 100.0 / total,
                per_msg(x)
            );
        }
    }
}

/// Peak resident memory of this process in MB (Linux `VmHWM`).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
