# Shared by tests/e2e/postfix-milter.sh and bench/load-milter.sh: a private Postfix
# instance on loopback (own config, queue and Maildir under $PG_TMP) and the phishguard
# milter. Source it from a script running as root on Debian 12; call pg_setup first.
# Everything started is stopped by PID in pg_cleanup (install it as an EXIT trap).

pg_log() { printf '== %s\n' "$*" >&2; }
pg_die() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# Installs postfix (and python3) from Debian if missing; leaves no system postfix running.
pg_install() {
  if [ "$(id -u)" != 0 ]; then pg_die "must run as root"; fi
  local need=()
  command -v postfix >/dev/null 2>&1 || need+=(postfix)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  if [ ${#need[@]} -gt 0 ]; then
    pg_log "installing ${need[*]}"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    # The package's own service is not wanted: this test runs a private instance.
    if command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now postfix >/dev/null 2>&1 || true
    fi
  fi
}

# A free TCP port on 127.0.0.1.
pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pg_wait_port() { # PORT [SECONDS]
  local i
  for ((i = 0; i < ${2:-30} * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Sets PG_TMP, PG_CONF, PG_MAILDIR, PG_SPORT (smtpd with the milter), PG_RPORT (smtpd
# without: queues and relays to PG_SPORT, so a 4xx there leaves mail deferred in the
# queue), PG_MPORT (milter), and starts Postfix.
pg_setup() {
  PG_TMP=$(mktemp -d /tmp/pg-milter-e2e.XXXXXX)
  chmod 755 "$PG_TMP"
  PG_CONF=$PG_TMP/conf
  PG_MAILDIR=$PG_TMP/mail/user
  PG_SPORT=$(pg_free_port)
  PG_RPORT=$(pg_free_port)
  PG_MPORT=$(pg_free_port)
  mkdir -p "$PG_CONF" "$PG_TMP/queue" "$PG_TMP/data" "$PG_TMP/mail"
  chown nobody:nogroup "$PG_TMP/mail"
  chown postfix:postfix "$PG_TMP/data"
  cat >"$PG_CONF/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PG_TMP/queue
data_directory = $PG_TMP/data
maillog_file = $PG_TMP/maillog
maillog_file_prefixes = $PG_TMP
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = mx.pg-test.example
mydomain = pg-test.example
myorigin = \$mydomain
mydestination =
relay_domains =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
# Nothing ever leaves this machine.
default_transport = error:no external delivery in this test
relay_transport = error:no external delivery in this test
virtual_mailbox_domains = pg-test.example
virtual_mailbox_base = $PG_TMP/mail
virtual_mailbox_maps = static:user/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
virtual_minimum_uid = 100
alias_maps =
alias_database =
smtp_dns_support_level = disabled
smtpd_banner = \$myhostname ESMTP
smtpd_error_sleep_time = 0
in_flow_delay = 0
message_size_limit = 52428800
virtual_mailbox_limit = 0
biff = no
# The milter (see README "Postfix milter").
smtpd_milters = inet:127.0.0.1:$PG_MPORT
non_smtpd_milters = \$smtpd_milters
milter_protocol = 6
milter_default_action = accept
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 30s
milter_mail_macros = i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} {mail_mailer}
EOF
  cat >"$PG_CONF/master.cf" <<EOF
127.0.0.1:$PG_SPORT inet n - n - - smtpd
  -o myhostname=filter.pg-test.example
127.0.0.1:$PG_RPORT inet n - n - - smtpd
  -o smtpd_milters=
  -o content_filter=smtp:[127.0.0.1]:$PG_SPORT
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
virtual   unix  - n n -    - virtual
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  postfix -c "$PG_CONF" check >/dev/null 2>&1 || true
  postfix -c "$PG_CONF" start >/dev/null 2>&1 || {
    tail -20 "$PG_TMP/maillog" >&2 2>/dev/null
    pg_die "postfix did not start"
  }
  PG_POSTFIX_PID=$(tr -d ' ' <"$PG_TMP/queue/pid/master.pid" 2>/dev/null || true)
  pg_wait_port "$PG_SPORT" 30 || pg_die "postfix smtpd not listening on $PG_SPORT"
  pg_log "postfix $(postconf -d -h mail_version) master pid $PG_POSTFIX_PID, smtpd 127.0.0.1:$PG_SPORT (milter) and :$PG_RPORT (relay), queue $PG_TMP/queue"
  pg_write_helpers
}

# Sets a main.cf parameter and reloads.
pg_postconf() {
  postconf -c "$PG_CONF" -e "$@"
  postfix -c "$PG_CONF" reload >/dev/null 2>&1
  sleep 1
}

PG_MILTER_PID=
PG_MILTER_N=0
# Starts the milter with a config file; its log is $PG_TMP/milter-N.log (PG_MILTER_LOG).
pg_start_milter() { # CONFIG_FILE [LISTEN [MORE ARGS...]]
  PG_MILTER_N=$((PG_MILTER_N + 1))
  PG_MILTER_LOG=$PG_TMP/milter-$PG_MILTER_N.log
  local config=$1 listen=${2:-inet:127.0.0.1:$PG_MPORT} i
  shift $(($# < 2 ? $# : 2))
  "$PG_BIN" milter --config "$config" --listen "$listen" "$@" 2>"$PG_MILTER_LOG" &
  PG_MILTER_PID=$!
  for ((i = 0; i < 300; i++)); do
    if grep -q '"listening"' "$PG_MILTER_LOG" 2>/dev/null; then return 0; fi
    kill -0 "$PG_MILTER_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$PG_MILTER_LOG" >&2
  pg_die "milter did not start on $listen"
}

pg_stop_milter() { # [SIGNAL]
  if [ -n "$PG_MILTER_PID" ]; then
    kill "-${1:-TERM}" "$PG_MILTER_PID" 2>/dev/null || true
    wait "$PG_MILTER_PID" 2>/dev/null || true
    PG_MILTER_PID=
  fi
}

pg_cleanup() {
  local rc=$?
  pg_stop_milter KILL
  if [ -n "${PG_CONF:-}" ]; then
    postfix -c "$PG_CONF" stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_POSTFIX_PID:-}" ] && kill -0 "$PG_POSTFIX_PID" 2>/dev/null; then
    sleep 1
    kill "$PG_POSTFIX_PID" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ -n "${PG_TMP:-}" ]; then
    echo "--- postfix log (tail)" >&2
    tail -30 "$PG_TMP/maillog" >&2 2>/dev/null || true
    echo "--- milter log (tail)" >&2
    tail -10 "${PG_MILTER_LOG:-/dev/null}" >&2 2>/dev/null || true
  fi
  if [ -n "${PG_TMP:-}" ] && [ -z "${PG_KEEP:-}" ]; then rm -rf "$PG_TMP"; fi
  return "$rc"
}

# Queue ids in the Postfix queue; held ones end in '!'.
pg_queue() { postqueue -c "$PG_CONF" -j 2>/dev/null || true; }

pg_delivered() { find "$PG_MAILDIR/new" -type f 2>/dev/null | wc -l; }

pg_wait_delivered() { # COUNT [SECONDS]
  local i
  for ((i = 0; i < ${2:-60} * 5; i++)); do
    if [ "$(pg_delivered)" -ge "$1" ]; then return 0; fi
    sleep 0.2
  done
  return 1
}

# send.py PORT ID FILE [ID FILE ...]: one SMTP transaction per mail (X-Test-Id added),
# prints "ID CODE" per mail. inspect.py MAILDIR: one JSON object per delivered mail.
pg_write_helpers() {
  cat >"$PG_TMP/send.py" <<'EOF'
import smtplib, sys, time
port = int(sys.argv[1]); delay = float(sys.argv[2]); args = sys.argv[3:]
for i in range(0, len(args), 2):
    tid, path = args[i], args[i + 1]
    with open(path, "rb") as f:
        raw = f.read()
    raw = b"X-Test-Id: " + tid.encode() + b"\r\n" + raw
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as s:
            s.sendmail("sender@example.org", ["user@pg-test.example"], raw)
        code = 250
    except smtplib.SMTPResponseException as e:
        code = e.smtp_code
        msg = e.smtp_error.decode(errors="replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        print(tid, code, msg.replace("\n", " "), flush=True)
        continue
    except smtplib.SMTPRecipientsRefused as e:
        code, msg = list(e.recipients.values())[0]
        print(tid, code, msg.decode(errors="replace"), flush=True)
        continue
    except Exception as e:
        print(tid, 0, repr(e), flush=True)
        continue
    print(tid, code, flush=True)
    if delay:
        time.sleep(delay)
EOF
  cat >"$PG_TMP/inspect.py" <<'EOF'
import email, email.policy, json, os, re, sys
d = os.path.join(sys.argv[1], "new")
for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    with open(os.path.join(d, name), "rb") as f:
        raw = f.read()
    m = email.message_from_bytes(raw, policy=email.policy.compat32)
    # The subject as sent (raw UTF-8 allowed), unfolded.
    head = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    sub = re.search(rb"^Subject:[ \t]*(.*(?:\n[ \t].*)*)", head, re.M | re.I)
    subject = re.sub(r"\n", "", sub.group(1).decode("utf-8", "replace")) if sub else ""
    print(json.dumps({
        "id": m.get("X-Test-Id"),
        "verdict": m.get_all("X-Phishguard-Verdict"),
        "score": m.get("X-Phishguard-Score"),
        "reasons": m.get("X-Phishguard-Reasons"),
        "subject": subject,
    }))
EOF
}

pg_send() { # PORT DELAY ID FILE [ID FILE ...]
  python3 "$PG_TMP/send.py" "$@"
}
