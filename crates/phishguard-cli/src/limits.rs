//! Analysis limits as command-line settings (defaults from `phishguard::Limits`).

use phishguard::Limits;
use phishguard_server::parse_size;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Largest message analysed; the rest is cut and the report says `max_message_bytes`
    /// (e.g. 25MB, 512KB, 1MiB or bytes; default 64MiB).
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    pub max_size: Option<usize>,
    /// MIME parts looked at per message (default 1000).
    #[arg(long, value_name = "N")]
    pub max_parts: Option<usize>,
    /// Links analysed per message (default 1000).
    #[arg(long, value_name = "N")]
    pub max_links: Option<usize>,
    /// Attached messages followed this many levels deep (default 2).
    #[arg(long, value_name = "N")]
    pub max_nesting: Option<usize>,
    /// Time for one message's checks in milliseconds (default 2000).
    #[arg(long, value_name = "MS")]
    pub time_budget_ms: Option<u64>,
}

impl LimitArgs {
    /// `base` with the limits given on the command line.
    pub fn apply(&self, mut base: Limits) -> Limits {
        if let Some(v) = self.max_size {
            base.max_message_bytes = v;
        }
        if let Some(v) = self.max_parts {
            base.max_parts = v;
        }
        if let Some(v) = self.max_links {
            base.max_links = v;
        }
        if let Some(v) = self.max_nesting {
            base.max_nesting = v;
        }
        if let Some(v) = self.time_budget_ms {
            base.time_budget = Duration::from_millis(v);
        }
        base
    }
}
