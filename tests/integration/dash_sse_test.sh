#!/usr/bin/env bash
# dash_sse_test.sh - a station screen's event stream stays alive when idle:
# the real wmsd with [http] sse_keepalive_s = 1 sends ": keep-alive" comments
# on a stream that has nothing to say, a scan still arrives as an event
# between them, and a bad sse_keepalive_s is refused by `wmsd -n` with its
# file:line and what is allowed.  Also the dashboard panels' CSV route:
# unknown panel 404 with the allowed names, a bad filter 400, roles.
# usage: dash_sse_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; sleep 0.3; fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log fifo=$dir/goods-in
wms() { "$WMS_BIN" --db "$db" "$@"; }

mkfifo "$fifo"
echo "pw-manager-12345" | wms user add maja --role manager >/dev/null || bad "user add maja"
echo "pw-worker-12345" | wms user add wille --role warehouse >/dev/null || bad "user add wille"
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM 07350045101013 >/dev/null

# --- configuration: a bad period names its line and what is allowed
for v in 0 3601 soon; do
  printf '[store]\ndatabase = %s\n[http]\nlisten = 127.0.0.1:0\nsse_keepalive_s = %s\n' "$db" "$v" >"$dir/bad.conf"
  out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
  check "sse_keepalive_s = $v refused" [ "$rc" -ne 0 ]
  check "sse_keepalive_s = $v: file:line and the range ($out)" \
    grep -qE "bad.conf:5: .*sse_keepalive_s: .*1.*3600" <<<"$out"
done
printf '[store]\ndatabase = %s\n[http]\nsse_keepalive_s = 15\n' "$db" >"$dir/good.conf"
out=$("$WMSD_BIN" -n -c "$dir/good.conf" 2>&1)
check "sse_keepalive_s = 15 accepted ($out)" [ "$out" = "configuration OK" ]

cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
sse_keepalive_s = 1
[station goods-in]
mode = receipt
scanner = fifo:$fifo
CONF
"$WMSD_BIN" -d -c "$conf" >"$log" 2>&1 &
pid=$!
wait_for 60 grep -q "wmsd: ready" "$log" || { bad "wmsd was not ready"; cat "$log" >&2; finish; exit 1; }
port=$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
base=http://127.0.0.1:$port

# login USER PASSWORD JAR: the form's token from GET /login, then POST it
login() {
  local token
  token=$(curl -s -c "$3" "$base/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')
  curl -s -o /dev/null -w '%{http_code}' -c "$3" -b "$3" "$base/login" --data-urlencode "user=$1" \
    --data-urlencode "password=$2" --data-urlencode "csrf=$token"
}
check "login maja" [ "$(login maja pw-manager-12345 "$dir/jar")" = 303 ]
check "login wille" [ "$(login wille pw-worker-12345 "$dir/jar2")" = 303 ]

# keepalives FILE N: the stream in FILE has at least N keep-alive comments
keepalives() { [ "$(grep -c '^: keep-alive$' "$1")" -ge "$2" ]; }

# --- an idle stream: keep-alive comments about once a second. Waited for, not timed: a
# slow machine sends them later, never more often than once a second
t0=$(date +%s%N)
curl -s -N -b "$dir/jar" --max-time 120 "$base/stations/goods-in/events" >"$dir/idle" 2>/dev/null &
reader=$!
wait_for 60 keepalives "$dir/idle" 2 || bad "idle stream: no 2 keep-alives in 60 s"
secs=$(( ($(date +%s%N) - t0 + 999999999) / 1000000000 ))
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
n=$(grep -c '^: keep-alive$' "$dir/idle")
check "idle stream: retry first" [ "$(head -1 "$dir/idle")" = "retry: 2000" ]
check "idle stream: at most one keep-alive a second ($n in ${secs} s)" [ "$n" -le $((secs + 1)) ]
check "idle stream: no event" [ "$(grep -c '^data:' "$dir/idle")" -eq 0 ]

# --- a scan between keep-alives arrives as an event; keep-alives go on afterwards
curl -s -N -b "$dir/jar" --max-time 120 "$base/stations/goods-in/events" >"$dir/busy" 2>/dev/null &
reader=$!
wait_for 60 keepalives "$dir/busy" 1 || bad "busy stream: no keep-alive"
printf '010735004510101321SN-SSE-1\n' >"$fifo"
after_scan() { sed -n '/SN-SSE-1/,$p' "$dir/busy" >"$dir/after"; keepalives "$dir/after" 1; }
wait_for 60 after_scan
kill "$reader" 2>/dev/null; wait "$reader" 2>/dev/null
check "a scan arrived on the stream" grep -q '^data: .*SN-SSE-1' "$dir/busy"
after=$(grep -c '^: keep-alive$' "$dir/after")
check "keep-alives after the scan, got $after" [ "$after" -ge 1 ]

# --- the panels' CSV route
code() { curl -s -o "$dir/body" -w '%{http_code}' "$@"; }
check "rentals.csv 200" [ "$(code -b "$dir/jar" "$base/dashboard/rentals.csv")" = 200 ]
check "rentals.csv header" grep -q '^section,key,name,devices,rental_days,started' "$dir/body"
check "recon.csv 200" [ "$(code -b "$dir/jar" "$base/dashboard/recon.csv?product=BPM")" = 200 ]
check "print-queue.csv 200" [ "$(code -b "$dir/jar" "$base/dashboard/print-queue.csv")" = 200 ]
check "unknown panel 404" [ "$(code -b "$dir/jar" "$base/dashboard/stock.csv")" = 404 ]
check "unknown panel: the allowed names" grep -q "rentals.csv, recon.csv, print-queue.csv" "$dir/body"
check "bad filter 400" [ "$(code -b "$dir/jar" "$base/dashboard/rentals.csv?from=2026-13-01")" = 400 ]
check "bad filter: what was wrong" grep -q "from: not a date" "$dir/body"
check "a warehouse worker may not read a panel" [ "$(code -b "$dir/jar2" "$base/dashboard/rentals.csv")" = 403 ]
check "no login: to the login form" [ "$(code "$base/dashboard/recon.csv")" = 303 ]
[ "$failed" -eq 0 ] || tail -20 "$log" >&2
finish
