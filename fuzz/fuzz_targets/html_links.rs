//! HTML link extraction. The body is `phishguard::harness::html_links`, shared with the
//! regression test that replays `fuzz/regressions/` and the seed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    phishguard::harness::html_links(data);
});
