#!/usr/bin/env bash
# Print a triage database as SQL (`sqlite3 .dump`) with the parts that depend on the
# wall clock zeroed: run start/finish times, and `seen_ts` of messages without a Date
# (the time they were ingested). Two runs over the same input must print the same.
# Usage: bench/triage-dump.sh DB > dump.sql
set -euo pipefail
tmp=$(mktemp /tmp/triage-dump.XXXXXX.sqlite)
trap 'rm -f "$tmp"' EXIT
sqlite3 "$1" ".backup '$tmp'"
sqlite3 "$tmp" "UPDATE runs SET started_ts = 0, finished_ts = 0;
                UPDATE messages SET seen_ts = 0 WHERE date_ts IS NULL;"
sqlite3 "$tmp" .dump
