#!/usr/bin/env bash
# Run every fuzz target for a bounded time (default 60 s each) on the seed corpus.
# Needs the nightly toolchain and cargo-fuzz (installed here if missing). Where nightly is
# not available, say so and replay the same seed inputs through the normal test
# (`crates/phishguard/tests/fuzz_replay.rs`) instead. A crash fails the run; its input is
# left in fuzz/artifacts/<target>/ to be copied into fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-60}
TARGETS="analyze_mail analyze_sms normalise_url html_links mbox_split"

bash seed.sh >/dev/null

replay_instead() {
  echo "fuzz: $1: cargo fuzz cannot run here;"
  echo "fuzz: replaying the seed corpus and fuzz/regressions through cargo test instead"
  cd .. && cargo test -p phishguard --test fuzz_replay
  exit 0
}
cargo +nightly --version >/dev/null 2>&1 || replay_instead "the nightly toolchain is not available"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet || replay_instead "cargo-fuzz could not be installed"
fi
cargo +nightly fuzz build -O || replay_instead "the fuzz targets did not build with this nightly"
for t in $TARGETS; do
  mkdir -p "corpus/$t" "regressions/$t"
  echo "== fuzz $t for ${SECONDS_EACH}s"
  # -rss_limit_mb / -timeout: hostile input must stay bounded in memory and time
  cargo +nightly fuzz run -O "$t" "corpus/$t" "regressions/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 -timeout=10 -max_len=262144 \
    -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)|ERROR|SUMMARY|panicked|Test unit written" || true
  if [ -n "$(ls -A "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz: $t found a failing input: $(ls "artifacts/$t")"
    exit 1
  fi
done
