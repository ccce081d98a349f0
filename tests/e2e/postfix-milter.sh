#!/usr/bin/env bash
# End-to-end test of `phishguard milter` with a real Postfix (Debian 12, as root).
# A private Postfix instance on loopback (own config and queue under a temp dir, Maildir
# delivery for one virtual user, nothing relayed off the machine) talks to the milter;
# python3's smtplib sends mail; the script checks what arrives, what is deferred, held
# and rejected, and that no mail is lost when the milter is killed mid-batch.
# Usage: bash tests/e2e/postfix-milter.sh   (PHISHGUARD_BIN=path to use another binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=tests/e2e/lib-postfix.sh
. tests/e2e/lib-postfix.sh

PG_BIN=${PHISHGUARD_BIN:-$ROOT/target/release/phishguard}
if [ ! -x "$PG_BIN" ]; then
  pg_log "building $PG_BIN"
  cargo build --release -q -p phishguard-cli
fi

pg_install
trap pg_cleanup EXIT
trap 'exit 130' INT TERM
pg_setup

PASS=0
FAIL=0
check() { # DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    PASS=$((PASS + 1))
    echo "ok   $what"
  else
    FAIL=$((FAIL + 1))
    echo "FAIL $what"
  fi
}

# --- test mail
M=$PG_TMP/mails
mkdir -p "$M"
cp examples/fake-prime-suspension.eml "$M/phish.eml"
cp examples/genuine-amazon-order.eml "$M/genuine.eml"
cp examples/genuine-prime-payment-notice.eml "$M/genuine2.eml"
{ printf 'X-Phishguard-Verdict: legitimate\r\nX-Phishguard-Score: -9\r\n'; cat "$M/phish.eml"; } >"$M/forged.eml"
# Folded subject, and a raw 8-bit UTF-8 subject.
python3 - "$M" <<'EOF'
import re, sys
d = sys.argv[1]
raw = open(d + "/phish.eml", "rb").read()
sub = re.compile(rb"^Subject:.*?\r\n", re.M)
open(d + "/folded.eml", "wb").write(sub.sub(lambda m: b"Subject: Your Amazon account is\r\n\tsuspended: verify now\r\n", raw, 1))
open(d + "/utf8.eml", "wb").write(sub.sub(lambda m: "Subject: アカウント停止のお知らせ\r\n".encode(), raw, 1))
EOF
printf 'this line is no header\r\n\xff\xfe\x80 broken bytes\r\n: empty name\r\nContent-Type: multipart/mixed; boundary="\r\n\r\n--\r\n<html><a href=http://[::1>\r\n' >"$M/malformed.eml"
python3 - "$M/big.eml" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("From: Big <big@example.org>\r\nTo: user@pg-test.example\r\nSubject: big attachment\r\n\r\n")
    line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\r\n"
    f.write(line * (2_200_000 // len(line)))
EOF

conf() { # NAME [TOML...]: a milter config with a 1 MB size limit
  local f=$PG_TMP/$1.toml
  shift
  {
    printf '[faults]\nmax_message_bytes = 1000000\ntimeout_ms = 10000\n'
    printf '%s\n' "$@"
    # the test mails are not DKIM-signed and there is no outside DNS: judge offline
    # (live verification is covered by crates/phishguard-milter/tests/socket.rs)
    printf '[auth]\ndns = false\n'
  } >"$f"
  echo "$f"
}

# JSON of the delivered mail with this X-Test-Id.
mail_json() { python3 "$PG_TMP/inspect.py" "$PG_MAILDIR" | grep -F "\"id\": \"$1\"" || true; }
verdict_is() { # ID VERDICT  (VERDICT "none": no X-Phishguard-Verdict header)
  local j
  j=$(mail_json "$1")
  [ -n "$j" ] || return 1
  if [ "$2" = none ]; then
    python3 -c 'import json,sys; sys.exit(json.loads(sys.argv[1])["verdict"] is not None)' "$j"
  else
    python3 -c 'import json,sys; sys.exit(json.loads(sys.argv[1])["verdict"] != [sys.argv[2]])' "$j" "$2"
  fi
}
subject_tagged() { # ID TAG
  python3 -c 'import json,sys; sys.exit(not json.loads(sys.argv[1])["subject"].startswith(sys.argv[2]))' "$(mail_json "$1")" "$2"
}
codes_all() { # FILE CODE COUNT: every line of FILE has CODE, and there are COUNT lines
  [ "$(wc -l <"$1")" -eq "$3" ] && ! awk -v c="$2" '$2 != c { bad = 1 } END { exit !bad }' "$1"
}
untagged_count() { python3 "$PG_TMP/inspect.py" "$PG_MAILDIR" | grep -F "\"id\": \"$1" | grep -c '"verdict": null' || true; }
tagged_count() { python3 "$PG_TMP/inspect.py" "$PG_MAILDIR" | grep -F "\"id\": \"$1" | grep -vc '"verdict": null' || true; }
wait_until() { # SECONDS COMMAND...: poll until COMMAND succeeds
  local limit=$1 i
  shift
  for ((i = 0; i < limit * 20; i++)); do
    if "$@"; then return 0; fi
    sleep 0.05
  done
  pg_die "timed out waiting for: $*"
}
lines_at_least() { [ "$(wc -l <"$1")" -ge "$2" ]; }
tagged_at_least() { [ "$(tagged_count "$1")" -ge "$2" ]; }
queue_count() { # QUEUE_NAME
  pg_queue | python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if l.strip() and json.loads(l)["queue_name"] == sys.argv[1]))' "$1"
}

echo "== 1. tag policy (default), milter_default_action = accept"
METRICS_PORT=$(pg_free_port)
pg_start_milter "$(conf tag)" "inet:127.0.0.1:$PG_MPORT" --metrics "127.0.0.1:$METRICS_PORT"
pg_send "$PG_SPORT" 0 p1 "$M/phish.eml" g1 "$M/genuine.eml" g2 "$M/genuine2.eml" \
  f1 "$M/forged.eml" f2 "$M/folded.eml" u1 "$M/utf8.eml" m1 "$M/malformed.eml" \
  b1 "$M/big.eml" >"$PG_TMP/r1"
check "8 mails accepted with 250" codes_all "$PG_TMP/r1" 250 8
check "8 mails delivered" pg_wait_delivered 8
check "phishing: X-Phishguard-Verdict phishing" verdict_is p1 phishing
check "phishing: subject tagged [phishing?]" subject_tagged p1 "[phishing?]"
check "phishing: score and reasons headers" grep -q '"reasons": "[a-z_, ]*link_off_brand' <<<"$(mail_json p1)"
check "genuine: X-Phishguard-Verdict legitimate" verdict_is g1 legitimate
check "genuine: subject not tagged" bash -c '! grep -q "phishing?" <<<"$1"' _ "$(mail_json g1)"
check "genuine2: legitimate" verdict_is g2 legitimate
check "forged X-Phishguard headers replaced (one verdict: phishing)" verdict_is f1 phishing
check "folded subject tagged" subject_tagged f2 "[phishing?] Your Amazon account is"
check "raw UTF-8 subject tagged" subject_tagged u1 "[phishing?] アカウント停止"
check "malformed mail delivered" test -n "$(mail_json m1)"
check "oversized mail delivered untouched (no verdict header)" verdict_is b1 none
check "oversized logged as fault" grep -q '"fault":"oversize"' "$PG_MILTER_LOG"
python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' \
  "http://127.0.0.1:$METRICS_PORT/metrics" >"$PG_TMP/metrics.txt" || true
check "metrics: phishing verdicts counted" grep -q '^phishguard_milter_verdicts_total{verdict="phishing"} [1-9]' "$PG_TMP/metrics.txt"
check "metrics: oversize fault counted" grep -q '^phishguard_milter_faults_total{fault="oversize"} 1$' "$PG_TMP/metrics.txt"
check "log lines carry Postfix queue ids" grep -q '"queue_id":"[0-9A-F]\{6,\}"' "$PG_MILTER_LOG"

echo "== 2. milter killed mid-batch, fail open (milter_default_action = accept)"
before=$(pg_delivered)
args=()
for i in $(seq 1 30); do args+=("k$i" "$M/$([ $((i % 2)) = 0 ] && echo phish || echo genuine).eml"); done
pg_send "$PG_SPORT" 0.1 "${args[@]}" >"$PG_TMP/r2" &
sender=$!
wait_until 120 lines_at_least "$PG_TMP/r2" 10
pg_stop_milter KILL
wait_until 120 lines_at_least "$PG_TMP/r2" 20
pg_start_milter "$(conf tag)"
wait "$sender"
check "30 mails accepted with 250 while the milter died and came back" codes_all "$PG_TMP/r2" 250 30
check "none lost: 30 more delivered" pg_wait_delivered $((before + 30))
untagged=$(untagged_count k)
tagged=$(tagged_count k)
echo "     ($tagged delivered scanned, $untagged delivered untagged while the milter was down)"
check "mails sent while the milter was down were delivered untagged" test "$untagged" -ge 1
check "mails sent while it ran were scanned" test "$tagged" -ge 10

echo "== 3. milter killed mid-batch, tempfail (milter_default_action = tempfail)"
pg_postconf milter_default_action=tempfail
pg_stop_milter
pg_start_milter "$(conf tempfail 'on_error = "tempfail"')"
before=$(pg_delivered)
args=()
for i in $(seq 1 20); do args+=("d$i" "$M/$([ $((i % 2)) = 0 ] && echo phish || echo genuine).eml"); done
# Through the relay smtpd: Postfix queues, then hands each mail to the milter smtpd.
pg_send "$PG_RPORT" 0.3 "${args[@]}" >"$PG_TMP/r3" &
sender=$!
wait_until 120 tagged_at_least d 5
pg_stop_milter KILL
wait "$sender"
check "20 mails queued (250 from the relay smtpd)" codes_all "$PG_TMP/r3" 250 20
sleep 3
deferred=$(queue_count deferred)
echo "     ($(tagged_count d) delivered before the kill, $deferred deferred in the queue)"
check "mails are deferred while the milter is down" test "$deferred" -ge 1
check "nothing delivered untagged under tempfail" test "$(untagged_count d)" -eq 0
pg_start_milter "$(conf tempfail 'on_error = "tempfail"')"
postqueue -c "$PG_CONF" -f
check "after restart and postqueue -f all 20 delivered" pg_wait_delivered $((before + 20)) 90
check "every one of them scanned" test "$(tagged_count d)" -eq 20
check "queue empty" test -z "$(pg_queue)"

echo "== 4. reject policy, milter on a unix socket"
pg_stop_milter
SOCK=$PG_TMP/milter.sock
pg_start_milter "$(conf reject '[policy]' 'phishing = "reject"')" "unix:$SOCK"
pg_postconf milter_default_action=accept "smtpd_milters=unix:$SOCK"
before=$(pg_delivered)
pg_send "$PG_SPORT" 0 r1 "$M/phish.eml" r2 "$M/genuine.eml" >"$PG_TMP/r4"
check "phishing refused with 550 5.7.1 at SMTP time" grep -q '^r1 550 5.7.1 ' "$PG_TMP/r4"
check "genuine accepted" grep -q '^r2 250' "$PG_TMP/r4"
check "genuine delivered, phishing not" pg_wait_delivered $((before + 1))
check "no rejected mail in the Maildir" test -z "$(mail_json r1)"

echo "== 5. quarantine policy (Postfix hold queue)"
pg_stop_milter
pg_start_milter "$(conf quarantine '[policy]' 'phishing = "quarantine"')" "unix:$SOCK"
pg_send "$PG_SPORT" 0 q1 "$M/phish.eml" >"$PG_TMP/r5"
check "quarantined mail accepted with 250" grep -q '^q1 250' "$PG_TMP/r5"
sleep 2
check "one mail in the hold queue" test "$(queue_count hold)" -eq 1
qid=$(pg_queue | python3 -c 'import json,sys; [print(json.loads(l)["queue_id"]) for l in sys.stdin if l.strip()]' | head -1)
postcat -c "$PG_CONF" -q "$qid" >"$PG_TMP/held.txt" 2>/dev/null || true
check "held mail has X-Phishguard-Verdict: phishing (postcat)" grep -q '^X-Phishguard-Verdict: phishing' "$PG_TMP/held.txt"
check "held mail subject tagged" grep -q '^Subject: \[phishing?\]' "$PG_TMP/held.txt"
check "held mail not delivered" test -z "$(mail_json q1)"
postqueue -c "$PG_CONF" -p | grep -q "${qid}!" && echo "     (postqueue -p shows $qid! = on hold)"

echo "== 6. trusted network is not scanned"
pg_stop_milter
pg_start_milter "$(conf trusted '[skip]' 'trusted_networks = ["127.0.0.0/8"]')" "unix:$SOCK"
before=$(pg_delivered)
pg_send "$PG_SPORT" 0 t1 "$M/phish.eml" >"$PG_TMP/r6"
check "trusted client's mail delivered" pg_wait_delivered $((before + 1))
check "trusted client's mail untouched" verdict_is t1 none
check "skip logged" grep -q '"skipped":"trusted_network"' "$PG_MILTER_LOG"

echo "== milter log sample"
head -1 "$PG_TMP/milter-1.log"
grep -m1 '"verdict":"phishing"' "$PG_TMP/milter-1.log" || true
echo "postfix-milter: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
