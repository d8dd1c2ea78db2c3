#!/usr/bin/env bash
# power_cut_test.sh - kill -9 wmsd at random moments while scanners scan at
# full speed, restart, repeat; then prove that nothing acknowledged was
# lost or doubled: every scan that got its "ok" is in the ledger exactly
# once, no device was received twice, every journalled outcome has its
# event, PRAGMA integrity_check is ok and the projections equal a rebuild
# from the events (wms db check).
# usage: power_cut_test.sh PATH/TO/wmsd PATH/TO/wms [CYCLES] [SCANNERS]
set -u
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
CYCLES=${3:-10}
SCANNERS=${4:-4}
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  jobs -p | xargs -r kill -KILL 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/t.db conf=$dir/wmsd.conf
sql()   { sqlite3 "$db" "$@"; }
acked_count() { [ -s "$dir/acked" ] && wc -l <"$dir/acked" || echo 0; }
more_acked()  { [ "$(acked_count)" -gt "$1" ]; }
GS=$'\x1d'

"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || { bad "setup"; exit 1; }
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null

# scanner I CYCLE: scan new serials as fast as acks come back; log the acked ones
scanner() {
  local i=$1 c=$2 n=0 a serial
  trap '' PIPE
  # read-write opens never block, even if wmsd died before it opened the pipe
  exec 4<>"$dir/s$i.$c" 5<>"$dir/s$i.$c.ack" || return
  while :; do
    n=$((n + 1)); serial="C$c-S$i-$n"
    printf ']d20109506000134352%s\n' "21$serial${GS}10L$c" >&4 2>/dev/null || break
    # the power cut ends this scanner (kill below); the deadline is for a wmsd that hangs
    read -r -t 60 -u 5 a || break
    [ "$a" = ok ] && echo "$serial" >>"$dir/acked" || echo "$serial $a" >>"$dir/refused"
  done
}

for c in $(seq 1 "$CYCLES"); do
  # fresh pipes every cycle: a scan left in a dead daemon's pipe was never acknowledged
  printf '[store]\ndatabase = %s\n[http]\nlisten = off\n' "$db" >"$conf"
  for i in $(seq 1 "$SCANNERS"); do
    mkfifo "$dir/s$i.$c" "$dir/s$i.$c.ack"
    printf '[station s%d]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n' \
      "$i" "$dir/s$i.$c" "$dir/s$i.$c.ack" >>"$conf"
  done
  "$WMSD_BIN" -d -c "$conf" 2>"$dir/wmsd.$c.log" &
  pid=$!
  # the power goes while it works, not while it starts
  wait_for 120 grep -q "ready:" "$dir/wmsd.$c.log" || bad "cycle $c: wmsd not ready: $(tail -3 "$dir/wmsd.$c.log")"
  before=$(acked_count)
  scanners=()
  for i in $(seq 1 "$SCANNERS"); do scanner "$i" "$c" & scanners+=($!); done
  # at least one scan of this cycle acknowledged, however fast or slow the machine,
  # then 0.2 .. 1.2 s more at full speed, and the power goes
  wait_for 120 more_acked "$before" || bad "cycle $c: no scan acknowledged"
  sleep "0.$((RANDOM % 10 + 2))"; [ $((RANDOM % 2)) -eq 0 ] && sleep 0.5
  kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=
  # the scanners hold both ends of their pipes (no EPIPE): they go with the power. A scan
  # acked but not yet logged is merely not checked; a line is logged in one write.
  kill -TERM "${scanners[@]}" 2>/dev/null; wait
done

acked=$(sort -u "$dir/acked" 2>/dev/null | wc -l)
check "scans were acknowledged in each of $CYCLES power cuts ($acked)" [ "$acked" -ge "$CYCLES" ]
check "no scan was refused: $(head -3 "$dir/refused" 2>/dev/null)" [ ! -s "$dir/refused" ]
# the acknowledged serials go to sqlite3 as a file, never on a command line: their
# number grows with the machine's speed (11,438 in 10 cycles on a fast one)
missing=$((acked - $(serials_in_ledger "$db" "$dir/acked")))
check "every acknowledged scan is in the ledger ($missing missing)" [ "$missing" -eq 0 ]
check "no device received twice" [ "$(sql "SELECT count(*) FROM (SELECT device_id FROM events WHERE type = 'receive' GROUP BY device_id HAVING count(*) > 1)")" -eq 0 ]
check "one receive event per device" [ "$(sql "SELECT count(*) FROM events WHERE type = 'receive'")" -eq "$(sql "SELECT count(*) FROM devices")" ]
check "every ok outcome in the journal has its event" \
  [ "$(sql "SELECT count(*) FROM scan_journal WHERE result LIKE 'ok:%' AND (event_id IS NULL OR event_id NOT IN (SELECT id FROM events))")" -eq 0 ]
check "no event without an ok journal outcome" \
  [ "$(sql "SELECT count(*) FROM events WHERE type = 'receive' AND id NOT IN (SELECT event_id FROM scan_journal WHERE event_id IS NOT NULL)")" -eq 0 ]
check "integrity_check ok" [ "$(sql "PRAGMA integrity_check")" = ok ]
out=$("$WMS_BIN" --db "$db" db check 2>&1)
check "projections equal a rebuild from the ledger: $out" "$WMS_BIN" --db "$db" db check
echo "$CYCLES power cuts, $SCANNERS scanners, $acked scans acknowledged, $(sql "SELECT count(*) FROM scan_journal") journalled"
finish
