#!/usr/bin/env bash
# long_writer_test.sh - another process writes while wmsd scans (issue 17
# item 4): every raw scan is journalled, whoever holds the write lock.
#   1. `wms db rebuild` repairing every device row, during full-speed
#      scanning from 4 stations: no scan refused, every acknowledged scan in
#      the ledger once, every scan sent in the journal, db check ok;
#   2. a writer holding the lock (sqlite3 BEGIN IMMEDIATE) until wmsd has
#      kept a waiting scan in its side journal: the scan is acknowledged
#      once the lock is free, journalled once;
#   3. the same with a short [store] scan_wait_ms: the scan is refused
#      ("database busy") and still journalled.
# Every wait is for a condition, with a generous deadline.
# usage: long_writer_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
SCANNERS=4
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  jobs -p | xargs -r kill -KILL 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/wms.db conf=$dir/wmsd.conf log=$dir/wmsd.log
sql() { sqlite3 -cmd ".timeout 30000" "$db" "$@"; }
GS=$'\x1d'

"$WMS_BIN" --db "$db" demo --devices 300 >/dev/null || { bad "wms demo"; exit 1; }
[ "$(sql "SELECT count(*) FROM product_gtins WHERE gtin = '09506000134352'")" -eq 1 ] ||
  "$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "setup"

write_conf() {   # write_conf SCAN_WAIT_MS
  printf '[store]\ndatabase = %s\nscan_wait_ms = %s\n[http]\nlisten = off\n' "$db" "$1" >"$conf"
  for i in $(seq 0 "$SCANNERS"); do
    printf '[station s%d]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n' \
      "$i" "$dir/s$i" "$dir/s$i.ack" >>"$conf"
  done
}
in_log() { grep -qF -- "$1" "$log"; }
start() {
  : >"$log"
  "$WMSD_BIN" -d -c "$conf" >>"$log" 2>&1 &
  pid=$!
  wait_for 120 in_log "ready:" || { bad "wmsd not ready: $(cat "$log")"; exit 1; }
}
stop() { kill -TERM "$pid"; wait "$pid"; pid=; }
journalled() { sql "SELECT count(*) FROM scan_journal WHERE CAST(raw AS TEXT) LIKE '%21$1${GS}%'"; }

# scanner I: scan new serials as fast as acks come back until $dir/stop exists
scanner() {
  local i=$1 n=0 a serial
  exec 4<>"$dir/s$i" 5<>"$dir/s$i.ack"
  while [ ! -e "$dir/stop" ]; do
    n=$((n + 1)); serial="W$i-$n"
    echo "$serial" >>"$dir/sent"
    printf ']d20109506000134352%s\n' "21$serial${GS}10L1" >&4
    read -r -t 60 -u 5 a || { echo "$serial timeout" >>"$dir/refused"; break; }
    [ "$a" = ok ] && echo "$serial" >>"$dir/acked" || echo "$serial $a" >>"$dir/refused"
  done
}

# --- 1. a rebuild that rewrites every device row, during full-speed scanning
write_conf 2000
start
sql "UPDATE devices SET recon_cycles = recon_cycles + 1" || bad "corrupting the projection"
scanners=()
for i in $(seq 1 "$SCANNERS"); do scanner "$i" & scanners+=($!); done
wait_for 60 test -s "$dir/acked" || bad "no scan acknowledged before the rebuild"
out=$("$WMS_BIN" --db "$db" db rebuild 2>&1); rc=$?
check "wms db rebuild during scanning: $out" [ "$rc" -eq 0 ]
check "the rebuild repaired the rows ($out)" grep -qE "[1-9][0-9]* rows changed" <<<"$out"
before=$(sort -u "$dir/acked" | wc -l)
# go on until the scanners acknowledged more after the rebuild, then stop them
more_acked() { [ "$(sort -u "$dir/acked" | wc -l)" -gt "$((before + SCANNERS))" ]; }
wait_for 60 more_acked || bad "no scans after the rebuild"
touch "$dir/stop"
wait "${scanners[@]}"
stop
sent=$(sort -u "$dir/sent" | wc -l) acked=$(sort -u "$dir/acked" | wc -l)
check "no scan refused or lost during the rebuild: $(head -3 "$dir/refused" 2>/dev/null)" [ ! -s "$dir/refused" ]
check "every scan sent was acknowledged ($acked of $sent)" [ "$acked" -eq "$sent" ]
sort -u "$dir/acked" | sed "s/.*/('&')/" | paste -sd, >"$dir/acked.sql"
missing=$(sql "CREATE TEMP TABLE a(serial TEXT PRIMARY KEY); INSERT INTO a VALUES $(cat "$dir/acked.sql");
  SELECT count(*) FROM a WHERE serial NOT IN (SELECT serial FROM devices);")
check "every acknowledged scan is in the ledger ($missing missing)" [ "$missing" -eq 0 ]
rows=$(sql "SELECT count(*) FROM scan_journal WHERE CAST(raw AS TEXT) LIKE '%21W%'")
check "every raw scan journalled exactly once ($rows rows, $sent sent)" [ "$rows" -eq "$sent" ]
out=$("$WMS_BIN" --db "$db" db check 2>&1)
check "db check after the rebuild: $out" "$WMS_BIN" --db "$db" db check
echo "rebuild during scanning: $sent scans sent, $acked acknowledged; $(date +%T)"

# hold_lock: a writer that holds the write lock until told (the fifo closes)
hold_lock() {
  mkfifo "$dir/hold"
  sqlite3 "$db" <"$dir/hold" >"$dir/hold.out" 2>&1 &
  holder=$!
  exec 6>"$dir/hold"
  echo "BEGIN IMMEDIATE;" >&6
  wait_for 60 locked || bad "the holder did not get the lock: $(cat "$dir/hold.out")"
}
locked() { ! sqlite3 "$db" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null; }
release_lock() { echo "ROLLBACK;" >&6; exec 6>&-; wait "$holder"; rm -f "$dir/hold" "$dir/hold.out"; }
spilled() { [ -s "$db-scans" ]; }

# --- 2. a scan waits for the lock, kept in the side journal meanwhile
write_conf 60000
start
exec 4<>"$dir/s0" 5<>"$dir/s0.ack"
hold_lock
printf ']d20109506000134352%s\n' "21H1${GS}10L1" >&4
wait_for 60 spilled || bad "the waiting scan was not kept in the side journal"
release_lock
read -r -t 60 -u 5 a
check "the waiting scan is acknowledged once the lock is free ($a)" [ "$a" = ok ]
check "it is journalled once ($(journalled H1))" [ "$(journalled H1)" -eq 1 ]
check "and received" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'H1'")" -eq 1 ]
check "the side journal is empty again" bash -c "! [ -s '$db-scans' ]"
stop

# --- 3. waiting longer than scan_wait_ms: refused, never unjournalled
write_conf 300
start
hold_lock
printf ']d20109506000134352%s\n' "21H2${GS}10L1" >&4
read -r -t 60 -u 5 a
check "a scan that waited longer than scan_wait_ms is refused ($a)" [ "$a" = bad ]
check "the station says why" in_log "database busy"
release_lock
printf ']d20109506000134352%s\n' "21H3${GS}10L1" >&4
read -r -t 60 -u 5 a
check "the next scan is acknowledged ($a)" [ "$a" = ok ]
check "the refused scan is journalled once all the same ($(journalled H2))" [ "$(journalled H2)" -eq 1 ]
check "and not received" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'H2'")" -eq 0 ]
stop
out=$("$WMS_BIN" --db "$db" db check 2>&1)
check "db check at the end: $out" "$WMS_BIN" --db "$db" db check
finish
