#!/usr/bin/env bash
# http_conn_test.sh - wmsd's HTTP connections under exhaustion (issue 17):
# the real wmsd behind a "proxy" on 127.0.0.1 ([http] trusted_proxies) with
# small caps.  40 station screen streams from 127.0.0.1 leave the API
# answering, one stream over max_streams gets 503; slowloris clients
# (trickling headers from 127.0.0.2) are refused beyond
# max_connections_per_address and cut with 408 after request_timeout_s
# although they keep sending, while a screen streams a scan and the API
# answers; more connections than max_connections get 503, not a reset; the
# refusals are logged rate-limited; X-Forwarded-For counts only from a
# trusted proxy (log address, /metrics loopback).
# usage: http_conn_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
fifo=$dir/goods-in
GTIN=07350045101013
wms() { "$WMS_BIN" --db "$db" "$@"; }

# slowloris HOST N FIRST_ADDR: N connections, each from its own source address
# when FIRST_ADDR ends in "+" (127.0.0.3+ -> .3, .4, ...), else all from FIRST_ADDR;
# each sends a request line and then one header line every 0.3 s, never the end.
# Prints "accepted408 refused open" after at most 40 s.
cat >"$dir/slowloris.py" <<'PY'
import socket, sys, time, select
port, n, first = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks, refused = [], 0
for i in range(n):
    src = first
    if first.endswith("+"):
        a = first[:-1].split("."); a[3] = str(int(a[3]) + i); src = ".".join(a)
    s = socket.socket()
    s.bind((src, 0))
    try:
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /api/v1/me HTTP/1.1\r\nHost: wms\r\n")
        socks.append(s)
    except OSError:
        refused += 1
open(sys.argv[4], "w").write("started\n")
got408, deadline, sent = 0, time.time() + 40, {s: 0 for s in socks}
while socks and time.time() < deadline:
    r, _, _ = select.select(socks, [], [], 0.3)
    for s in r:
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if data.startswith(b"HTTP/1.1 408") and sent[s] > 0:
            got408 += 1
        elif not data or not data.startswith(b"HTTP/1.1 408"):
            refused += 1          # closed (or reset) without a word: refused at accept
        socks.remove(s); s.close()
    for s in socks:
        try:
            s.sendall(b"X-Slow: 1\r\n"); sent[s] += 1
        except OSError:
            pass
print(got408, refused, len(socks))
PY

http_users manager admin
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM $GTIN >/dev/null
mkfifo "$fifo" "$fifo.ack"
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
trusted_proxies = 127.0.0.1, ::1
max_connections = 16
max_connections_per_address = 8
max_streams = 40
request_timeout_s = 3
sse_keepalive_s = 1
[station goods-in]
mode = receipt
scanner = fifo:$fifo ack=$fifo.ack
double_read_ms = 0
CONF
for kv in "trusted_proxies = 10.0.0.0/33" "trusted_proxies = proxy.example" "max_streams = 0" \
          "request_timeout_s = 0" "max_connections_per_address = x"; do
  printf '[store]\ndatabase = %s\n[http]\n%s\n' "$db" "$kv" >"$dir/bad.conf"
  out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
  check "$kv refused ($out)" [ "$rc" -ne 0 ] && check "$kv: line and key" grep -qE "bad.conf:4: .*${kv%% *}" <<<"$out"
done
http_start "$WMSD_BIN" "$conf" "$log"
wait_for 120 grep -q "wmsd: ready" "$log" || bad "wmsd was not ready"
exec 3<>"$fifo.ack"
exec 4>"$fifo"
scan() {   # scan SERIAL: acknowledged ok
  printf ']d201%s17300630%s\x1d10LOT1\n' "$GTIN" "21$1" >&4
  if read -r -t 60 -u 3 a && [ "$a" = ok ]; then ok; else bad "scan $1: ack '${a:-none}'"; fi
}
login manager
TOK=(-H "Authorization: Bearer $(cat "$dir/token-admin")")

# --- 40 station screens through the proxy (127.0.0.1): the API still answers
for i in $(seq 40); do
  curl -s -N -b "$dir/manager.jar" -H "X-Forwarded-For: 10.0.0.$i" --max-time 120 \
    "$base/stations/goods-in/events" >"$dir/stream-$i" 2>/dev/null &
  bg+=($!)
done
streams_open() { [ "$(grep -l '^retry: 2000' "$dir"/stream-* 2>/dev/null | wc -l)" -eq 40 ]; }
check "40 streams open" wait_for 60 streams_open
expect_req 503 'max_streams' GET /stations/goods-in/events -b "$dir/manager.jar"
n=0
for i in $(seq 20); do req GET /api/v1/me "${TOK[@]}"; [ "$code" = 200 ] && n=$((n + 1)); done
check "the API answers beside 40 streams ($n of 20)" [ "$n" -eq 20 ]
scan STREAM-1
got_all() { [ "$(grep -l 'STREAM-1' "$dir"/stream-* 2>/dev/null | wc -l)" -eq 40 ]; }
check "every screen got the scan" wait_for 60 got_all
for p in "${bg[@]}"; do kill "$p" 2>/dev/null; done
bg=()

# the closed screens are noticed at their next keep-alive: then a stream opens again
stream_opens() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' -b "$dir/manager.jar" --max-time 1 "$base/stations/goods-in/events")" = 200 ]
}
check "closed streams are let go" wait_for 60 stream_opens

# --- slowloris from one address while a screen streams: refused beyond 8, cut after 3 s
curl -s -N -b "$dir/manager.jar" --max-time 120 "$base/stations/goods-in/events" >"$dir/screen" 2>/dev/null &
bg+=($!)
wait_for 60 grep -q '^retry: 2000' "$dir/screen" || bad "the screen's stream did not open"
python3 "$dir/slowloris.py" "$port" 30 127.0.0.2 "$dir/slow.started" >"$dir/slow.out" 2>&1 &
slow=$!
wait_for 60 test -s "$dir/slow.started" || bad "slowloris did not start"
n=0
for i in $(seq 10); do req GET /api/v1/me "${TOK[@]}"; [ "$code" = 200 ] && n=$((n + 1)); done
check "the API answers during slowloris ($n of 10)" [ "$n" -eq 10 ]
scan SLOW-1
check "the screen streams the scan during slowloris" wait_for 60 grep -q 'SLOW-1' "$dir/screen"
wait "$slow"
read -r cut refused open <"$dir/slow.out"
check "slowloris: every connection cut with 408 or refused (${cut:-?} + ${refused:-?}, ${open:-?} open)" \
  [ "${open:-1}" -eq 0 -a "$((cut + refused))" -eq 30 ]
check "slowloris: at most 8 held at a time, so most refused ($refused)" [ "$refused" -ge 1 ]
check "slowloris: the held ones cut with 408 although trickling ($cut)" [ "$cut" -ge 1 ]
lines=$(grep -c 'connection(s) refused since the last such line' "$log")
check "refusals logged rate-limited ($lines lines for $refused refusals)" [ "$lines" -ge 1 -a "$lines" -lt "$refused" ]

# --- the global cap: 20 trickling clients from 20 addresses, then the API gets 503, not a reset
python3 "$dir/slowloris.py" "$port" 20 127.0.0.3+ "$dir/cap.started" >"$dir/cap.out" 2>&1 &
slow=$!
wait_for 60 test -s "$dir/cap.started" || bad "the cap's clients did not start"
code=$(curl -s -D "$dir/headers" -o "$dir/body" -w '%{http_code}' "${TOK[@]}" "$base/api/v1/me"); rc=$?
check "over max_connections: an answer, not a reset (curl $rc)" [ "$rc" -eq 0 ]
check "over max_connections: 503 ($code)" [ "$code" = 503 ]
check "503 names the cap" grep -q 'max_connections' "$dir/body"
check "503 has Retry-After" grep -qi "^Retry-After: 1" "$dir/headers"
check "503 closes the connection" grep -qi "^Connection: close" "$dir/headers"
wait "$slow"
check "the API answers again once the trickling clients were cut" \
  wait_for 60 bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $(cat "$dir/token-admin")' $base/api/v1/me)\" = 200 ]"

# --- X-Forwarded-For: from the trusted proxy only
req POST /api/v1/login "${JSON[@]}" -H 'X-Forwarded-For: 10.9.8.7' -d '{"user":"u-manager","password":"wrong-12345"}'
check "via the proxy: the client's address in the log" grep -q 'failed login for user "u-manager" from 10.9.8.7 ' "$log"
code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 "${JSON[@]}" -H 'X-Forwarded-For: 10.9.8.6' \
  -d '{"user":"u-manager","password":"wrong-12345"}' "$base/api/v1/login")
check "untrusted peer: 401 ($code)" [ "$code" = 401 ]
check "untrusted peer: its own address logged, the header ignored" grep -q 'failed login for user "u-manager" from 127.0.0.2 ' "$log"
check "untrusted peer: no forged address" bash -c "! grep -q 'from 10.9.8.6' '$log'"
expect_req 401 'unauthorized' GET /metrics -H 'X-Forwarded-For: 10.9.8.7'
expect_req 200 'wms_scans_total' GET /metrics
finish
