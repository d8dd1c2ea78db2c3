# lib.sh - what the shell tests share; source it, then use:
#   ok / bad MESSAGE          count a passed or failed check (failures to stderr)
#   check WHAT COMMAND...     ok when COMMAND succeeds, else bad WHAT
#   expect CODE PATTERN -- ARGS
#                             run "$WMS_BIN" ARGS: exit CODE and PATTERN (ERE) in its output
#   refused CODE PATTERN -- ARGS
#                             as expect, and "$WMS_DB" is byte-identical afterwards
#   wait_for SECONDS COMMAND...  poll every 0.1 s until COMMAND succeeds, for SECONDS of
#                             wall time at most (however long each try takes)
#   serials_in_ledger DB FILE how many of FILE's serials (one a line) are devices of DB;
#                             the list goes to sqlite3 as a file, never on a command line
#   finish                    print the counts; the script's status (use as its last line)
# and for the tests of wmsd (they set WMSD_BIN):
#   wmsd_test_dir             the preamble: a temporary $dir, removed at exit after killing
#                             wmsd ($pid) and the test's own helpers (pids in the array bg);
#                             the caller's WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
#                             unset; db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log; sql() on $db
#   wmsd_start CONF LOG PATTERN [SECONDS [ARGS...]]
#                             start "$WMSD_BIN" -d ARGS -c CONF (output into LOG, emptied first):
#                             sets $pid; waits until LOG has PATTERN (ERE) for SECONDS (default
#                             60), else bad, the log on stderr and exit
# shellcheck shell=bash
passed=0 failed=0

ok()    { passed=$((passed + 1)); }
bad()   { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { local what=$1; shift; if "$@"; then ok; else bad "$what"; fi; }

expect() {
  local code=$1 pattern=$2; shift 3
  local out rc
  out=$("$WMS_BIN" "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$code" ]; then bad "wms $*: exit $rc, wanted $code: $out"; return; fi
  if ! grep -qE -- "$pattern" <<<"$out"; then bad "wms $*: output lacks /$pattern/: $out"; return; fi
  ok
}

refused() {
  local before after
  sqlite3 "$WMS_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  before=$(cat "$WMS_DB" "$WMS_DB-wal" 2>/dev/null | sha256sum)
  expect "$@"
  sqlite3 "$WMS_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  after=$(cat "$WMS_DB" "$WMS_DB-wal" 2>/dev/null | sha256sum)
  if [ "$before" = "$after" ]; then ok; else bad "wms ${*:4}: database changed by a refused command"; fi
}

wait_for() {
  local end=$((SECONDS + $1)); shift
  while :; do
    if "$@"; then return 0; fi
    [ "$SECONDS" -lt "$end" ] || return 1
    sleep 0.1
  done
}

serials_in_ledger() {
  sort -u "$2" | sqlite3 -batch "$1" \
    "CREATE TEMP TABLE a(serial TEXT PRIMARY KEY);" \
    ".import --schema temp /dev/stdin a" \
    "SELECT count(*) FROM a WHERE serial IN (SELECT serial FROM devices);"
}

wmsd_test_dir() {
  dir=$(mktemp -d) pid='' bg=()
  trap wmsd_test_cleanup EXIT
  unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
  db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log
}

wmsd_test_cleanup() {
  local p
  for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$dir"
}

sql() { sqlite3 "$db" "$@"; }

wmsd_start() {
  local conf=$1 log=$2 pattern=$3 seconds=${4:-60}
  shift $(($# < 4 ? $# : 4))
  "$WMSD_BIN" -d "$@" -c "$conf" >"$log" 2>&1 &
  pid=$!
  wait_for "$seconds" grep -qE -- "$pattern" "$log" || { bad "wmsd did not log /$pattern/"; cat "$log" >&2; exit 1; }
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# badge_users NAME:ROLE...: users with a role and a registered badge (USR:NAME), the people
# who sign in at a station (the test defines wms()).
badge_users() {
  local u
  for u in "$@"; do
    printf 'password-%s\n' "${u%%:*}" | wms user add "${u%%:*}" --role "${u##*:}" >/dev/null &&
      wms user badge "${u%%:*}" "${u%%:*}" >/dev/null || bad "user $u"
  done
}
