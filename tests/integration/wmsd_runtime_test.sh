#!/usr/bin/env bash
# wmsd_runtime_test.sh - runtime files (issue 17 item 6): wmsd makes the FIFO
# stations it is configured for (mode= of the scanner) and makes them again
# after they were removed between two runs (RuntimeDirectory= empties
# /run/wmsd); a station that cannot open is reported by name and does not
# keep wmsd from being ready, unless it is configured `required = yes`.
# usage: wmsd_runtime_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/wms.db conf=$dir/wmsd.conf log=$dir/wmsd.log run=$dir/run
mkdir "$run"
GS=$'\x1d'
"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || bad "setup"
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "setup"

write_conf() {   # write_conf REQUIRED(yes|no)
  cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = off
[station a]
mode = receipt
scanner = fifo:$run/a ack=$run/a.ack mode=0620
double_read_ms = 0
[station b]
mode = receipt
scanner = fifo:$dir/absent/b
required = $1
CONF
}
in_log() { grep -qF -- "$1" "$log"; }
start() {
  : >"$log"
  "$WMSD_BIN" -d -c "$conf" >>"$log" 2>&1 &
  pid=$!
}
stop() {
  kill -TERM "$pid"; wait "$pid"; local rc=$?; pid=
  check "clean stop ($rc)" [ "$rc" -eq 0 ]
}
scan_ok() {
  local ack=
  exec 4<>"$run/a" 5<>"$run/a.ack"
  printf ']d20109506000134352%s\n' "21$1${GS}10L1" >&4
  read -r -t 10 -u 5 ack
  exec 4>&- 5>&-
  check "scan $1 acknowledged through the made pipe ($ack)" [ "$ack" = ok ]
}

# --- pipes made, a station down: ready all the same, and says which
write_conf no
check "wmsd -n accepts mode= and required" "$WMSD_BIN" -n -c "$conf"
start
wait_for 60 in_log "ready:" || { bad "wmsd not ready: $(cat "$log")"; exit 1; }
check "ready names the station that is down" in_log "ready: 2 stations (1 of 2 stations open; down: b)"
check "the scan pipe was made" test -p "$run/a"
check "the ack pipe was made" test -p "$run/a.ack"
check "with mode 0620 ($(stat -c %a "$run/a"))" [ "$(stat -c %a "$run/a")" = 620 ]
scan_ok R1
stop

# --- the runtime directory emptied between two runs (RuntimeDirectory=)
rm -f "$run/a" "$run/a.ack"
start
wait_for 60 in_log "ready:" || { bad "wmsd not ready after the pipes went: $(cat "$log")"; exit 1; }
check "the pipes are there again" test -p "$run/a" -a -p "$run/a.ack"
scan_ok R2
stop

# --- required = yes: not ready until the station opens
write_conf yes
start
wait_for 60 in_log "not ready: a station with required = yes" || bad "no 'not ready' line: $(cat "$log")"
check "not ready while station b cannot open" bash -c '! grep -qE "ready: [0-9]" "$1"' _ "$log"
mkdir "$dir/absent"
wait_for 60 in_log "ready: 2 stations (2 of 2 stations open)" || bad "not ready once b could open: $(cat "$log")"
check "b's pipe was made by the retry" test -p "$dir/absent/b"
stop
finish
