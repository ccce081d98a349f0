//! mbox splitting and format detection. The body is `phishguard::harness::mbox_split`, shared with the
//! regression test that replays `fuzz/regressions/` and the seed corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    phishguard::harness::mbox_split(data);
});
