#!/usr/bin/env bash
# wmsd_test.sh - the daemon end to end: configuration check, demo load on an
# empty store, scans through two FIFO stations into the ledger and the scan
# journal (garbage, NUL bytes, over-long lines, double reads), SIGHUP with a
# broken and a good configuration, SIGTERM.
# usage: wmsd_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir

sql()  { sqlite3 "$db" "$@"; }
GS=$'\x1d'

write_conf() {
  cat >"$conf" <<CONF
[store]
database = $db

[station goods-in]
mode = receipt
scanner = fifo:$dir/goods-in
double_read_ms = 300

[station shelf]
mode = putaway
scanner = fifo:$dir/shelf
CONF
}

# wait_for SECONDS COMMAND...: poll until the command succeeds
in_log()       { grep -qF -- "$1" "$log"; }
journal_rows() { [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")" -ge "$1" ]; }

# start [OPTION...]: run wmsd, wait until its stations are ready
start() { wmsd_start "$conf" "$log" "ready: 2 stations" 120 "$@"; }

# stop: SIGTERM, exit status 0 within five seconds (a loaded CI machine
# under ASan; wmsd itself stops in about 0.2 s)
stop() {
  kill -TERM "$pid"
  if wait_for 60 eval '! kill -0 '"$pid"' 2>/dev/null'; then
    wait "$pid"; local rc=$?
    if [ "$rc" -eq 0 ]; then ok; else bad "wmsd exited $rc on SIGTERM"; fi
  else
    bad "wmsd still running 60 s after SIGTERM"; kill -KILL "$pid"
  fi
  pid=
}

mkfifo "$dir/goods-in" "$dir/shelf"
write_conf

# --- configuration check
out=$("$WMSD_BIN" -n -c "$conf" 2>&1); rc=$?
check "-n on a good config: exit $rc, $out" [ "$rc" -eq 0 ]
check "-n prints configuration OK: $out" grep -q "^configuration OK$" <<<"$out"
cp "$conf" "$dir/broken.conf"
sed -i 's/^mode = putaway$/mode = shelving/' "$dir/broken.conf"
line=$(grep -n '^mode = shelving' "$dir/broken.conf" | cut -d: -f1)
out=$("$WMSD_BIN" -n -c "$dir/broken.conf" 2>&1); rc=$?
check "-n on a broken config exits 7, got $rc" [ "$rc" -eq 7 ]
check "-n names file:line: $out" grep -qF "$dir/broken.conf:$line:" <<<"$out"
check "-n lists the allowed modes: $out" grep -qF "allowed: receipt, putaway" <<<"$out"
printf '[station x]\nscanner = fifo:/tmp/x\n' >"$dir/nomode.conf"
out=$("$WMSD_BIN" -n -c "$dir/nomode.conf" 2>&1); rc=$?
check "-n on a station without mode exits 7: $rc $out" [ "$rc" -eq 7 ]
printf '[station x]\nmode = receipt\nscanner = laser:/dev/x\n' >"$dir/kind.conf"
out=$("$WMSD_BIN" -n -c "$dir/kind.conf" 2>&1); rc=$?
check "-n on an unknown scanner kind exits 7 and lists the kinds: $rc $out" \
  bash -c "[ $rc -eq 7 ] && grep -qF 'kind.conf:3: ' <<<'$out' && grep -qF 'kinds: fifo' <<<'$out'"
printf '[station x]\nmode = receipt\nscanner = fifo:relative speed=9\n' >"$dir/spec.conf"
out=$("$WMSD_BIN" -n -c "$dir/spec.conf" 2>&1); rc=$?
check "-n on a bad scanner spec exits 7 and names the option: $rc $out" \
  bash -c "[ $rc -eq 7 ] && grep -qF 'unknown option \"speed\"' <<<'$out'"
out=$("$WMSD_BIN" -n -c "$dir/nothere.conf" 2>&1); rc=$?
check "-n on a missing file exits 7: $rc $out" [ "$rc" -eq 7 ]

# --- without --demo an empty store stays empty; with it the demo is loaded
start --init
check "no demo without --demo" [ "$(sql "SELECT count(*) FROM events")" -eq 0 ]
stop
start --demo
check "demo loaded and counted" grep -qE "demo data loaded: [0-9]+ events" "$log"
check "scan_journal created" [ "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'scan_journal'")" -eq 1 ]
stop

# --- our test GTIN, then a second start that must not load the demo again
if [ "$(sql "SELECT count(*) FROM product_gtins WHERE gtin = '09506000134352'" 2>/dev/null || echo 0)" = 0 ]; then
  "$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "wms product add-gtin"
fi
events_before=$(sql "SELECT count(*) FROM events")
start --demo
check "no second demo load" bash -c "! grep -q 'loading demo' '$log'"

udi() { printf ']C10109506000134352%s%s%s10%s' "17300630" "21$1" "$GS" "$2"; }
long=$(head -c 2000 /dev/zero | tr '\0' 'A')
{
  udi SN-D1 L1; printf '\n'
  udi SN-D1 L1; printf '\n'           # double read: same bytes within 300 ms
  printf 'hello world\n'              # garbage
  printf 'ab\0cd\n'                   # a NUL byte
  printf '%s\n' "$long"               # over-long
  udi SN-D2 L1; printf '\n'           # and the station still works
} >"$dir/goods-in"
wait_for 60 journal_rows 6 || bad "journal rows: $(sql 'SELECT count(*) FROM scan_journal')"
sleep 0.4   # past the 300 ms double-read window: time must pass (a slower machine lets more pass)
{ udi SN-D1 L1; printf '\n'; } >"$dir/goods-in"   # the same scan later: a real second receipt, refused
wait_for 60 journal_rows 7 || bad "journal rows after re-scan"

{ udi SN-D1 L1; printf '\nLOC:ML-A01-1\nLOC:ML-A01-2\n'; } >"$dir/shelf"
wait_for 60 journal_rows 10 || bad "journal rows after putaway"

res() { sql "SELECT result FROM scan_journal WHERE id = $1"; }
check "7 + 3 scans journalled: $(sql 'SELECT count(*) FROM scan_journal')" \
  [ "$(sql 'SELECT count(*) FROM scan_journal')" -eq 10 ]
check "every journal row has an outcome" [ "$(sql 'SELECT count(*) FROM scan_journal WHERE result IS NULL')" -eq 0 ]
check "first receipt ok: $(res 1)" grep -q "^ok: SN-D1 received (not registered -> received)" <<<"$(res 1)"
check "first receipt linked to its event" [ "$(sql 'SELECT count(*) FROM scan_journal s JOIN events e ON e.id = s.event_id WHERE s.id = 1')" -eq 1 ]
check "double read ignored: $(res 2)" [ "$(res 2)" = "double read" ]
check "double read has no event" [ -z "$(sql 'SELECT event_id FROM scan_journal WHERE id = 2')" ]
check "raw bytes kept as a BLOB" [ "$(sql 'SELECT typeof(raw) || hex(raw) FROM scan_journal WHERE id = 3')" = "blob68656C6C6F20776F726C64" ]
check "garbage refused: $(res 3)" grep -q "^refused: receipt expects the manufacturer's UDI" <<<"$(res 3)"
check "NUL byte kept and refused: $(res 4)" [ "$(sql 'SELECT hex(raw) FROM scan_journal WHERE id = 4')" = "6162006364" ]
check "NUL byte message: $(res 4)" grep -q "^refused: NUL byte" <<<"$(res 4)"
check "over-long line refused: $(res 5)" grep -q "^refused: scan longer than 1024 bytes (2000 bytes)" <<<"$(res 5)"
check "over-long raw bounded to 1024 bytes" [ "$(sql 'SELECT length(raw) FROM scan_journal WHERE id = 5')" -eq 1024 ]
check "station kept working after garbage: $(res 6)" grep -q "^ok: SN-D2 received" <<<"$(res 6)"
check "second receipt of SN-D1 refused: $(res 7)" grep -q "^refused: .*" <<<"$(res 7)"
check "putaway select: $(res 8)" grep -q "^ok: SN-D1 (BPM, received) selected; scan the shelf" <<<"$(res 8)"
check "putaway move: $(res 9)" grep -q "^ok: SN-D1 moved to ML-A01-1 (received -> in stock)" <<<"$(res 9)"
check "LOC without device refused: $(res 10)" grep -q "^refused: scan a device before" <<<"$(res 10)"
check "stations recorded" [ "$(sql "SELECT group_concat(station) FROM (SELECT station FROM scan_journal ORDER BY id)")" = \
  "goods-in,goods-in,goods-in,goods-in,goods-in,goods-in,goods-in,shelf,shelf,shelf" ]
check "three events written (2 receipts, 1 move)" [ "$(sql 'SELECT count(*) FROM events')" -eq $((events_before + 3)) ]

show=$("$WMS_BIN" --db "$db" device show SN-D1 2>&1)
check "wms device show SN-D1 in_stock at ML-A01-1: $show" grep -qE "^state +in_stock" <<<"$show"
check "SN-D1 lot and expiry from the UDI" grep -qE "^expiry +2030-06-30" <<<"$show"
check "SN-D1 location" grep -qE "^location +ML-A01-1" <<<"$show"
show=$("$WMS_BIN" --db "$db" device show SN-D2 2>&1)
check "wms device show SN-D2 received: $show" grep -qE "^state +received" <<<"$show"
check "log: one line per receipt" in_log "station goods-in: SN-D1 received"
check "log: refusal" in_log "station goods-in: refused: receipt expects the manufacturer"
check "log: over-long" in_log "station goods-in: refused: scan longer than 1024 bytes"
check "log does not echo garbage" bash -c "! grep -q 'hello world' '$log'"

# --- SIGHUP with a broken configuration keeps running on the old one
cp "$dir/broken.conf" "$conf"
kill -HUP "$pid"
wait_for 60 in_log "reload refused" || bad "no reload refusal logged"
check "reload error names file:line" in_log "$conf:$line:"
check "still running after a bad reload" kill -0 "$pid"
{ udi SN-D3 L2; printf '\n'; } >"$dir/goods-in"
wait_for 60 journal_rows 11 || bad "no scan handled after a bad reload"
check "scans still handled after a bad reload: $(res 11)" grep -q "^ok: SN-D3 received" <<<"$(res 11)"

# --- SIGHUP with a good configuration swaps it in
write_conf
sed -i 's/^mode = putaway$/mode = receipt/' "$conf"
kill -HUP "$pid"
wait_for 60 in_log "configuration reloaded: 2 stations" || bad "good reload not logged"
wait_for 60 bash -c "[ \$(grep -c 'station shelf: listening' '$log') -ge 2 ]" || bad "shelf not reopened"
{ udi SN-D4 L2; printf '\n'; } >"$dir/shelf"
wait_for 60 journal_rows 12 || bad "no scan handled after a good reload"
check "new mode in force after reload: $(res 12)" grep -q "^ok: SN-D4 received" <<<"$(res 12)"

stop

finish
