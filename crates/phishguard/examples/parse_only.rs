//! The parse-only baseline for `bench/compare-peers.sh`: read every file under the given
//! directories and parse it with mail-parser (MIME, transfer encodings, charsets) — the
//! same reading and parsing phishguard does before its own work, and nothing more.
//! Prints messages, seconds and messages/second.

use std::time::Instant;

fn main() {
    let started = Instant::now();
    let parser = mail_parser::MessageParser::default();
    let (mut messages, mut bytes, mut parts) = (0usize, 0usize, 0usize);
    for dir in std::env::args().skip(1) {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(raw) = std::fs::read(entry.path()) else {
                continue;
            };
            bytes += raw.len();
            if let Some(m) = parser.parse(&raw) {
                messages += 1;
                parts += m.parts.len();
            }
        }
    }
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    println!(
        "parse-only: {messages} messages ({parts} parts, {:.1} MB) in {secs:.3} s: {:.0} messages/s",
        bytes as f64 / 1e6,
        messages as f64 / secs
    );
}
