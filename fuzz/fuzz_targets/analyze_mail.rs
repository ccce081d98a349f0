//! Whole-message analysis from raw bytes. The body is `phishguard::harness::analyze_mail`, shared with the
//! regression test that replays `fuzz/regressions/` and the seed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phishguard::Analyzer;
use std::sync::LazyLock;

static ANALYZER: LazyLock<Option<Analyzer>> = LazyLock::new(|| Analyzer::new().ok());

fuzz_target!(|data: &[u8]| {
    if let Some(analyzer) = ANALYZER.as_ref() {
        phishguard::harness::analyze_mail(analyzer, data);
    }
});
