#!/usr/bin/env bash
# storage_full_test.sh - the disk fills up under wmsd: its files may not
# grow past a limit (RLIMIT_FSIZE, set and lifted from outside with
# prlimit), so SQLite reports "database or disk is full".  Scans are then
# refused with the bad signal and nothing half-written; when space returns
# the same daemon takes scans again; nothing acknowledged is lost.
# usage: storage_full_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null; cp "$log" /tmp/storage.log 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log fifo=$dir/scan
sql()   { sqlite3 "$db" "$@"; }
GS=$'\x1d'

"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || { bad setup; exit 1; }
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
mkfifo "$fifo" "$fifo.ack"
exec 3<>"$fifo.ack"
printf '[store]\ndatabase = %s\n[station s]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n' \
  "$db" "$fifo" "$fifo.ack" >"$conf"

# room for the database as it is and a little write-ahead log
limit=$(( $(stat -c %s "$db") + 48 * 1024 ))
prlimit --fsize="$limit:unlimited" "$WMSD_BIN" -d -c "$conf" 2>"$log" &
pid=$!
wait_for 60 grep -q "ready:" "$log"
exec 4>"$fifo"

acked=() refused=0 n=0
scan() {  # scan SERIAL: one scan, its ack into acked/refused
  local a
  printf ']d20109506000134352%s\n' "21$1${GS}10L1" >&4
  if read -r -t 60 -u 3 a; then
    if [ "$a" = ok ]; then acked+=("$1"); else refused=$((refused + 1)); fi
  else bad "no ack for $1"; fi
}
# scan until the disk is full and a few more
for i in $(seq 1 400); do
  scan "F-$i"; n=$i
  [ "$refused" -ge 3 ] && break
done
check "the limit was reached: ${#acked[@]} scans ok, then refusals ($refused)" [ "$refused" -ge 3 ]
check "wmsd survived the full disk" kill -0 "$pid"
check "the log says why: $(grep -m1 -i 'refused' "$log")" grep -qiE "disk I/O error|File too large|disk is full" "$log"
check "the daemon did not die of SIGXFSZ" bash -c "! grep -qi 'file size limit' '$log'"

# space returns
prlimit --pid "$pid" --fsize=unlimited:unlimited
scan "AFTER-1"; scan "AFTER-2"
check "scans taken again once there is space: ${acked[*]: -2}" [ "${acked[*]: -2}" = "AFTER-1 AFTER-2" ]

kill -TERM "$pid"; wait "$pid"; pid=
missing=0
for s in "${acked[@]}"; do
  [ "$(sql "SELECT count(*) FROM devices WHERE serial = '$s'")" = 1 ] || missing=$((missing + 1))
done
check "every acknowledged scan is in the ledger (${#acked[@]}, $missing missing)" [ "$missing" -eq 0 ]
check "refused scans left no device: $(sql "SELECT count(*) FROM devices") devices, ${#acked[@]} acked" \
  [ "$(sql "SELECT count(*) FROM devices")" -eq "${#acked[@]}" ]
check "integrity_check ok" [ "$(sql "PRAGMA integrity_check")" = ok ]
check "projections equal a rebuild" "$WMS_BIN" --db "$db" db check
echo "$n scans, ${#acked[@]} acknowledged, $refused refused while full"
finish
