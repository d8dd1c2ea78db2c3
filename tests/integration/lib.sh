# lib.sh - what the shell tests share; source it, then use:
#   ok / bad MESSAGE          count a passed or failed check (failures to stderr)
#   check WHAT COMMAND...     ok when COMMAND succeeds, else bad WHAT
#   expect CODE PATTERN -- ARGS
#                             run "$WMS_BIN" ARGS: exit CODE and PATTERN (ERE) in its output
#   refused CODE PATTERN -- ARGS
#                             as expect, and "$WMS_DB" is byte-identical afterwards
#   wait_for SECONDS COMMAND...  poll every 0.1 s until COMMAND succeeds
#   finish                    print the counts; the script's status (use as its last line)
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
  local n=$(($1 * 10)); shift
  while [ "$n" -gt 0 ]; do
    if "$@"; then return 0; fi
    sleep 0.1; n=$((n - 1))
  done
  return 1
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
