#!/usr/bin/env bash
# Browser end-to-end test of `phishguard serve`: builds the release binary, starts the
# server on a free loopback port, drives headless Debian chromium through the page with
# playwright-core (tests/e2e/browser.mjs), then stops the server.
# Needs node and npm (npm registry reachable for `npm ci`); installs chromium with apt
# when /usr/bin/chromium is missing. Screenshots go to target/e2e-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi
# Japanese glyphs for readable screenshots (the checks pass without them)
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=ja 2>/dev/null)" ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || true
fi

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

cargo build --release -q -p phishguard-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/phishguard"

PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$BIN" serve --listen "127.0.0.1:$PORT" &
SERVER_PID=$!
stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap stop_server EXIT

# browser.mjs waits for /healthz before it starts
PHISHGUARD_URL="http://127.0.0.1:$PORT" REPO_ROOT="$ROOT" \
  SCREENSHOT_DIR="$ROOT/target/e2e-screenshots" \
  node tests/e2e/browser.mjs
