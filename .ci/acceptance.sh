#!/usr/bin/env bash
# Acceptance: real third-party IMAP clients ($SHARED/clients, see its README.md)
# against the example server, over plain IMAP, STARTTLS and implicit TLS.
#
#   .ci/acceptance.sh
#
# 1. copies $SHARED/clients to $ACCEPTANCE_DIR/clients (keeping its venv/ and
#    node_modules/ from earlier runs) and runs its setup.sh (apt-get, pip, npm);
# 2. builds the example (debug: `cargo test` has built every dependency already),
#    writes a users file (alice/secret, bob/secret), starts it on free loopback
#    ports (`--listen 127.0.0.1:0 --tls-listen 127.0.0.1:0`) and reads the ports
#    from its `listening on` lines (one per listener, in command-line order);
# 3. runs the harness once per transport, as alice with bob as the second user;
# 4. stops the server with SIGTERM (it must exit 0 within 20 s);
# 5. fails iff a check named in tests/acceptance/must-pass.txt is not PASS in
#    the run(s) it names, or the server failed to start, died, or did not stop.
#
# Environment:
#   IMAP_TARGET=ours|dovecot  ours (default) starts the example; dovecot uses the
#                             reference Dovecot ($SHARED/reference/dovecot.sh start;
#                             127.0.0.1:10143 and :10993) to check this script itself
#   SHARED                    default: the repository's ../shared
#   EXAMPLE                   example to serve, default serve-memory; serve-maildir
#                             gets --mail-root $ACCEPTANCE_DIR/mail (emptied first)
#   SERVER_BIN                run this binary instead of building the example
#   SERVER_LOG                the server's --log level, default info
#   ACCEPTANCE_DIR            scratch and results, default target/acceptance
#   ACCEPTANCE_TRANSPORTS     runs to do, default "plain starttls tls"
#   MUST_PASS                 default tests/acceptance/must-pass.txt
#
# Results in $ACCEPTANCE_DIR/results/: <transport>.out (harness output),
# logs-<transport>/ (client logs), server.log, setup.log, and passing.txt: every
# check that passed, in must-pass.txt format (a starting point for that list).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="$(cd "${SHARED:-$ROOT/../shared}" && pwd)"
IMAP_TARGET="${IMAP_TARGET:-ours}"
EXAMPLE="${EXAMPLE:-serve-memory}"
WORK="${ACCEPTANCE_DIR:-$ROOT/target/acceptance}"
TRANSPORTS="${ACCEPTANCE_TRANSPORTS:-plain starttls tls}"
MUST_PASS="${MUST_PASS:-$ROOT/tests/acceptance/must-pass.txt}"
CLIENTS="$WORK/clients"
RESULTS="$WORK/results"
HOST=127.0.0.1
RUN_TIMEOUT=600 # per harness run; the harness itself budgets 170 s

say() { echo "acceptance: $*"; }
die() { say "ERROR: $*" >&2; exit 1; }
now() { date +%s; }

for t in $TRANSPORTS; do
  case "$t" in plain | starttls | tls) ;; *) die "ACCEPTANCE_TRANSPORTS: unknown transport '$t'" ;; esac
done
[ -f "$MUST_PASS" ] || die "no must-pass list at $MUST_PASS"
[ -x "$SHARED/clients/run.sh" ] || die "no harness at $SHARED/clients (set SHARED)"

mkdir -p "$WORK"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
declare -A SECONDS_OF=()

# --- 1. the clients -----------------------------------------------------------
# A scratch copy, so setup.sh's venv/ and node_modules/ never land in ../shared;
# they are kept between runs, so only the first run on a machine downloads.
mkdir -p "$CLIENTS"
find "$CLIENTS" -mindepth 1 -maxdepth 1 ! -name venv ! -name node_modules -exec rm -rf {} +
find "$SHARED/clients" -mindepth 1 -maxdepth 1 ! -name venv ! -name node_modules \
  -exec cp -R {} "$CLIENTS/" \;
say "setup.sh (log: $RESULTS/setup.log)"
t0=$(now)
if ! "$CLIENTS/setup.sh" >"$RESULTS/setup.log" 2>&1; then
  tail -n 30 "$RESULTS/setup.log" >&2
  die "setup.sh failed (needs root or sudo, and network access to Debian, PyPI and npm)"
fi
SECONDS_OF[setup]=$(($(now) - t0))
say "$(tail -n 1 "$RESULTS/setup.log") [${SECONDS_OF[setup]}s]"

# --- 2. the server --------------------------------------------------------------
SERVER_PID=""
SERVER_PROBLEM=""
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid=$SERVER_PID rc=0 waited=0
  SERVER_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 200 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    SERVER_PROBLEM="${SERVER_PROBLEM:+$SERVER_PROBLEM; }did not exit within 20 s of SIGTERM (killed)"
    return 0
  fi
  wait "$pid" || rc=$?
  [ $rc -eq 0 ] || SERVER_PROBLEM="${SERVER_PROBLEM:+$SERVER_PROBLEM; }exited with status $rc after SIGTERM"
}
trap stop_server EXIT

if [ "$IMAP_TARGET" = dovecot ]; then
  say "target: reference Dovecot"
  "$SHARED/reference/dovecot.sh" start >"$RESULTS/dovecot.log" 2>&1 \
    || { cat "$RESULTS/dovecot.log" >&2; die "dovecot.sh start failed"; }
  PLAIN_PORT=10143
  TLS_PORT=10993
elif [ "$IMAP_TARGET" = ours ]; then
  if [ -z "${SERVER_BIN:-}" ]; then
    say "cargo build --example $EXAMPLE"
    t0=$(now)
    (cd "$ROOT" && cargo build --quiet --example "$EXAMPLE")
    SECONDS_OF[build]=$(($(now) - t0))
    target_dir="${CARGO_TARGET_DIR:-target}"
    [[ "$target_dir" = /* ]] || target_dir="$ROOT/$target_dir"
    SERVER_BIN="$target_dir/debug/examples/$EXAMPLE"
  fi
  [ -x "$SERVER_BIN" ] || die "no server binary at $SERVER_BIN"
  printf 'alice:{PLAIN}secret\nbob:{PLAIN}secret\n' >"$WORK/users"
  EXAMPLE_ARGS=()
  if [ "$EXAMPLE" = serve-maildir ]; then
    # Fresh Maildirs each run, one per user below the mail root.
    rm -rf "$WORK/mail"
    EXAMPLE_ARGS=(--mail-root "$WORK/mail")
  fi
  "$SERVER_BIN" --listen "$HOST:0" --tls-listen "$HOST:0" --users "$WORK/users" "${EXAMPLE_ARGS[@]}" \
    --cert-out "$RESULTS/server-cert.pem" --log "${SERVER_LOG:-info}" \
    >"$RESULTS/server.stdout" 2>"$RESULTS/server.log" &
  SERVER_PID=$!
  for _ in $(seq 300); do # 30 s
    [ "$(grep -c '^listening on ' "$RESULTS/server.stdout" || true)" -ge 2 ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  mapfile -t ADDRS < <(sed -n 's/^listening on //p' "$RESULTS/server.stdout")
  if [ "${#ADDRS[@]}" -lt 2 ]; then
    tail -n 30 "$RESULTS/server.log" >&2
    die "$SERVER_BIN did not print two 'listening on' lines (see $RESULTS/server.log)"
  fi
  PLAIN_PORT="${ADDRS[0]##*:}"
  TLS_PORT="${ADDRS[1]##*:}"
  say "target: $EXAMPLE (pid $SERVER_PID) plain+STARTTLS ${ADDRS[0]}, TLS ${ADDRS[1]}"
else
  die "IMAP_TARGET must be ours or dovecot, not '$IMAP_TARGET'"
fi

# --- 3. the harness, once per transport -------------------------------------------
for t in $TRANSPORTS; do
  case "$t" in
    plain) args=("$PLAIN_PORT") ;;
    starttls) args=("$PLAIN_PORT" --starttls) ;;
    tls) args=("$TLS_PORT" --tls) ;;
  esac
  port="${args[0]}"
  say "run $t: run.sh $HOST $port alice secret ${args[*]:1}"
  t0=$(now)
  rc=0
  USER2=bob PASS2=secret HARNESS_LOGDIR="$RESULTS/logs-$t" \
    timeout -k 10 "$RUN_TIMEOUT" "$CLIENTS/run.sh" "$HOST" "$port" alice secret "${args[@]:1}" \
    >"$RESULTS/$t.out" 2>&1 || rc=$?
  SECONDS_OF[$t]=$(($(now) - t0))
  [ $rc -eq 124 ] && echo "FAIL acceptance.$t.timeout: harness killed after ${RUN_TIMEOUT}s" >>"$RESULTS/$t.out"
  say "run $t: $(tail -n 1 "$RESULTS/$t.out") [${SECONDS_OF[$t]}s]"
  if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
    SERVER_PROBLEM="died during the $t run (see $RESULTS/server.log)"
    wait "$SERVER_PID" || true
    SERVER_PID=""
  fi
done

# --- 4. stop ------------------------------------------------------------------------
stop_server

# --- 5. verdict -----------------------------------------------------------------------
# results.tsv: transport, status, check name, reason. A name reported twice
# keeps its worst status.
for t in $TRANSPORTS; do
  awk -v t="$t" '/^(PASS|FAIL|SKIP) / {
    name = $2; reason = ""
    if (name ~ /:$/) { name = substr(name, 1, length(name) - 1); reason = substr($0, length($1 $2) + 3) }
    print t "\t" $1 "\t" name "\t" reason
  }' "$RESULTS/$t.out"
done >"$RESULTS/results.tsv"

# must-pass.txt: `[transport:]check-name`, `#` starts a comment; a name ending
# in `*` stands for every check it prefixes (each must pass, and one must exist).
VERDICT="$(awk -F'\t' -v transports="$TRANSPORTS" -v listfile="$MUST_PASS" '
  NR == FNR {
    k = $1 SUBSEP $3
    if (!(k in st) || st[k] == "PASS") { st[k] = $2; why[k] = $4 }
    if (!(k in seen)) { seen[k] = 1; order[$1, ++n[$1]] = $3 }
    next
  }
  function judge(t, name, line,    k, i, hits, pre) {
    pairs++
    if (name ~ /\*$/) {
      pre = substr(name, 1, length(name) - 1)
      for (i = 1; i <= n[t]; i++) {
        if (index(order[t, i], pre) != 1) continue
        hits++
        k = t SUBSEP order[t, i]
        if (st[k] != "PASS") bad[++nbad] = sprintf("%-8s %s (line %d: %s)  %s%s", t, order[t, i], line, name, st[k], why[k] == "" ? "" : ": " why[k])
      }
      if (!hits) bad[++nbad] = sprintf("%-8s %s (line %d)  no such check reported", t, name, line)
      return
    }
    k = t SUBSEP name
    if (!(k in st)) bad[++nbad] = sprintf("%-8s %s (line %d)  not reported", t, name, line)
    else if (st[k] != "PASS") bad[++nbad] = sprintf("%-8s %s (line %d)  %s%s", t, name, line, st[k], why[k] == "" ? "" : ": " why[k])
  }
  {
    line = $0; sub(/#.*/, "", line); gsub(/[ \t\r]+/, "", line)
    if (line == "") next
    entries++
    nt = split(transports, ts, " ")
    if (match(line, /^[a-z]+:/)) {
      t = substr(line, 1, RLENGTH - 1); name = substr(line, RLENGTH + 1)
      if (t != "plain" && t != "starttls" && t != "tls") { bad[++nbad] = sprintf("line %d: unknown transport %s", FNR, t); next }
      if (name == "") { bad[++nbad] = sprintf("line %d: no check name", FNR); next }
      for (i = 1; i <= nt; i++) if (ts[i] == t) judge(t, name, FNR)
    } else {
      for (i = 1; i <= nt; i++) judge(ts[i], line, FNR)
    }
  }
  END {
    printf "must-pass: %d entries, %d checked (transport x entry), %d not passing\n", entries, pairs, nbad
    for (i = 1; i <= nbad; i++) print "  " bad[i]
    exit (nbad > 0 ? 1 : 0)
  }' "$RESULTS/results.tsv" "$MUST_PASS")" && MUST_OK=1 || MUST_OK=0

# passing.txt: passed in every transport run -> plain name, else per transport.
awk -F'\t' -v transports="$TRANSPORTS" '
  { if (!(($1, $3) in st) || st[$1, $3] == "PASS") st[$1, $3] = $2
    if (!($3 in known)) { known[$3] = 1; names[++n] = $3 } }
  END {
    nt = split(transports, ts, " ")
    print "# checks that passed in this run (" transports "), in must-pass.txt format"
    for (i = 1; i <= n; i++) {
      all = 1; some = ""
      for (j = 1; j <= nt; j++) if (st[ts[j], names[i]] == "PASS") some = some " " ts[j]; else all = 0
      if (all) print names[i]
      else if (some != "") { np = split(substr(some, 2), p, " "); for (j = 1; j <= np; j++) print p[j] ":" names[i] }
    }
  }' "$RESULTS/results.tsv" >"$RESULTS/passing.txt"

echo
echo "=== acceptance summary (target: $IMAP_TARGET) ==="
printf '%-9s %7s %7s %7s %8s   %s\n' transport passed failed skipped seconds "harness says"
for t in $TRANSPORTS; do
  p=$(awk -F'\t' -v t="$t" '$1 == t && $2 == "PASS"' "$RESULTS/results.tsv" | wc -l)
  f=$(awk -F'\t' -v t="$t" '$1 == t && $2 == "FAIL"' "$RESULTS/results.tsv" | wc -l)
  s=$(awk -F'\t' -v t="$t" '$1 == t && $2 == "SKIP"' "$RESULTS/results.tsv" | wc -l)
  printf '%-9s %7d %7d %7d %8s   %s\n' "$t" "$p" "$f" "$s" "${SECONDS_OF[$t]}" "$(tail -n 1 "$RESULTS/$t.out")"
done
echo "setup.sh ${SECONDS_OF[setup]}s${SECONDS_OF[build]:+, cargo build ${SECONDS_OF[build]}s}; results in $RESULTS"
echo "$VERDICT"
status=0
[ "$MUST_OK" = 1 ] || status=1
if [ -n "$SERVER_PROBLEM" ]; then
  echo "server: $SERVER_PROBLEM"
  status=1
fi
[ $status -eq 0 ] && echo "acceptance: OK" || echo "acceptance: FAILED"
exit $status
