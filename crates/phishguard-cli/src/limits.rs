//! Analysis limits as command-line settings (defaults from `phishguard::Limits`).

use phishguard::Limits;
use std::time::Duration;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Largest message analysed; the rest is cut and the report says `max_message_bytes`
    /// (bytes, or with K, M or G; default 64M).
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

/// `25M`, `512K`, `1G` or plain bytes.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (t.get(..i).unwrap_or(""), 1usize << 10),
        Some((i, 'm' | 'M')) => (t.get(..i).unwrap_or(""), 1 << 20),
        Some((i, 'g' | 'G')) => (t.get(..i).unwrap_or(""), 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("invalid size {s:?} (e.g. 25M, 512K or a number of bytes)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_suffixes() {
        assert_eq!(parse_size("25M"), Ok(25 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
