#!/usr/bin/env bash
# serial_wmsd_test.sh - wmsd with a serial station end to end: the scanner
# (an emulated USB CDC ACM device, played by serial_scanner_sim under
# umockdev) is found by usb=VID:PID, its scans become devices in the
# ledger, the good/bad command strings reach it, and after an unplug it is
# reopened when it comes back as ttyACM1.
# usage: serial_wmsd_test.sh WMSD WMS SERIAL_SCANNER_SIM TTY_MODEM_SHIM
set -u
. "$(dirname "$0")/../lib.sh"
WMSD_BIN=$1 WMS_BIN=$2 SIM_BIN=$3 SHIM=$(realpath "$4")
dir=$(mktemp -d)
simpid=
cleanup() {
  exec 3>&- 2>/dev/null
  if [ -n "$simpid" ] && kill -0 "$simpid" 2>/dev/null; then kill -KILL "$simpid"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
# glib and umockdev keep their allocations until exit: not our leaks
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(dirname "$(realpath "$0")")/lsan.supp}
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log out=$dir/scanner.out

sql()  { sqlite3 "$db" "$@"; }
in_log()       { grep -qF -- "$1" "$log"; }
log_count()    { [ "$(grep -cF -- "$1" "$log")" -ge "$2" ]; }
journal_rows() { [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")" -ge "$1" ]; }
res()          { sql "SELECT result FROM scan_journal WHERE id = $1"; }
scanner_got()  { [ "$(od -An -tx1 "$out" | tr -d ' \n')" = "$1" ]; }
scanner()      { echo "$*" >&3; }

cat >"$conf" <<CONF
[store]
database = $db

[http]
listen = off

[station goods-in]
mode = receipt
scanner = serial:usb=0c2e:0b61 serial=SN12345 baud=9600 framing=8N1 terminator=cr good=\\x07 bad=hex:1b42
CONF

# --- the configuration is checked without any device
out_n=$("$WMSD_BIN" -n -c "$conf" 2>&1); rc=$?
check "-n on a serial station: exit $rc, $out_n" [ "$rc" -eq 0 ]
sed 's/baud=9600/baud=7/' "$conf" >"$dir/bad.conf"
out_n=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
check "-n on baud=7 exits 7 naming it: $rc $out_n" \
  bash -c "[ $rc -eq 7 ] && grep -qF 'baud=7: one of 1200' <<<'$out_n'"

# --- the product our test UDI names, then wmsd under the emulated scanner
"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || bad "wms product add"
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "wms product add-gtin"
mkfifo "$dir/cmd"
LD_PRELOAD="$SHIM:libumockdev-preload.so.0" "$SIM_BIN" "$dir/cmd" "$out" -- \
  "$WMSD_BIN" -d -c "$conf" >"$log" 2>&1 &
simpid=$!
exec 3<>"$dir/cmd"   # read-write: never blocks, and no SIGPIPE if the sim died
ready_or_dead() { in_log "ready: 1 stations" || ! kill -0 "$simpid" 2>/dev/null; }
wait_for 120 ready_or_dead
in_log "ready: 1 stations" || { bad "wmsd did not become ready"; cat "$log" >&2; exit 1; }
check "serial station listening" in_log "station goods-in: listening"

# scans in pieces and garbage; the good/bad commands come back
scanner "send ]C1010950600013435217300630"
scanner 'send 21SN-S1\x1d10L1\r'
wait_for 60 journal_rows 1 || bad "no journal row for the first scan"
check "first scan received: $(res 1)" grep -q "^ok: SN-S1 received" <<<"$(res 1)"
wait_for 60 scanner_got 07 || bad "good signal not at the scanner: $(od -An -tx1 "$out")"
scanner 'send ab\0cd\r'
wait_for 60 journal_rows 2 || bad "no journal row for the NUL scan"
check "NUL byte refused: $(res 2)" grep -q "^refused: NUL byte" <<<"$(res 2)"
check "NUL kept in the journal" [ "$(sql 'SELECT hex(raw) FROM scan_journal WHERE id = 2')" = "6162006364" ]
wait_for 60 scanner_got 071b42 || bad "bad signal not at the scanner: $(od -An -tx1 "$out")"

# unplug: the station closes; replugged as ttyACM1 it is found again by VID:PID
scanner unplug
wait_for 60 in_log "station goods-in: scanner closed: /dev/ttyACM0: " || bad "unplug not noticed"
scanner "plug ttyACM1 3"
wait_for 60 log_count "station goods-in: listening" 2 || bad "not reopened after replug"
scanner 'send ]C1010950600013435217300630'
scanner 'send 21SN-S2\x1d10L1\r'
wait_for 60 journal_rows 3 || bad "no journal row after replug"
check "scan after replug received: $(res 3)" grep -q "^ok: SN-S2 received" <<<"$(res 3)"

show=$("$WMS_BIN" --db "$db" device show SN-S1 2>&1)
check "wms device show SN-S1 received: $show" grep -qE "^state +received" <<<"$show"
check "SN-S1 expiry from the UDI" grep -qE "^expiry +2030-06-30" <<<"$show"
show=$("$WMS_BIN" --db "$db" device show SN-S2 2>&1)
check "wms device show SN-S2 received: $show" grep -qE "^state +received" <<<"$show"
check "log does not echo scan bytes" bash -c "! grep -q 'ab.cd' '$log'"

# closing the command FIFO stops wmsd (SIGTERM): exit status 0
exec 3>&-
wait "$simpid"; rc=$?
simpid=
check "wmsd exited 0 on SIGTERM (got $rc)" [ "$rc" -eq 0 ]
[ "$failed" -eq 0 ] || cat "$log" >&2

finish
