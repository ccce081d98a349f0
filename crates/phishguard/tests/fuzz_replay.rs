//! Replays what the fuzzers found (`fuzz/regressions/<target>/`, committed) and, when
//! present, the seed corpus (`fuzz/corpus/<target>/`, built by `fuzz/seed.sh`) through the
//! same entry points the fuzz targets call. This is how the fuzz inputs are checked where
//! the nightly toolchain that `cargo fuzz` needs is not available.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use phishguard::{Analyzer, harness};
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["regressions", "corpus"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() && p.file_name().is_some_and(|n| n != ".keep") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Run every input of `target` on a thread with the front ends' analysis stack.
fn replay(target: &str, run: impl Fn(&[u8]) + Sync) {
    let files = inputs(target);
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn_scoped(s, || {
                for f in &files {
                    let data = std::fs::read(f).unwrap();
                    run(&data);
                }
            })
            .unwrap()
            .join()
            .unwrap();
    });
    eprintln!("{target}: {} inputs replayed", files.len());
}

#[test]
fn analyze_mail_inputs() {
    let a = Analyzer::new().unwrap();
    replay("analyze_mail", |d| harness::analyze_mail(&a, d));
}

#[test]
fn analyze_sms_inputs() {
    let a = Analyzer::new().unwrap();
    replay("analyze_sms", |d| harness::analyze_sms(&a, d));
}

#[test]
fn normalise_url_inputs() {
    replay("normalise_url", harness::normalise_url);
}

#[test]
fn html_links_inputs() {
    replay("html_links", harness::html_links);
}

#[test]
fn mbox_split_inputs() {
    replay("mbox_split", harness::mbox_split);
}
