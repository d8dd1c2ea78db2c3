#!/usr/bin/env bash
# http_login_test.sh - logins under attack (issue 17): the real wmsd with
# short [http] login_* settings.  300 wrong guesses for the admin end in a
# lockout with a clear message (API and login page), the right password is
# refused until the lockout has passed and works after it; every wrong
# password is an audit row and a log line naming the user and address,
# never the password.  Then a login flood (30 clients posting wrong
# passwords, throttling off so that every one costs an argon2id check on the
# login workers) while a FIFO station scans: every scan is acknowledged ok
# and recorded, every login answered 401.  Last, 40 parallel API writes
# through the loop's commit step: each answered 201 only once recorded.
# usage: http_login_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
fifo=$dir/goods-in
GTIN=07350045101013
wms() { "$WMS_BIN" --db "$db" "$@"; }
stop_wmsd() {
  kill -TERM "$pid"
  wait_for 30 bash -c "! kill -0 $pid 2>/dev/null" || bad "wmsd did not stop"
  wait "$pid" 2>/dev/null
  pid=
}

http_users admin
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM $GTIN >/dev/null

# --- configuration: every login_* key is checked with its range
for kv in "login_workers = 0" "login_workers = 17" "login_delay_ms = -1" "login_lockout_s = 0" \
          "login_lockout_after = many"; do
  printf '[store]\ndatabase = %s\n[http]\n%s\n' "$db" "$kv" >"$dir/bad.conf"
  out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
  check "$kv refused" [ "$rc" -ne 0 ]
  check "$kv: file:line and the key ($out)" grep -qE "bad.conf:4: .*${kv%% *}" <<<"$out"
done

# --- 300 wrong guesses for the admin: delays, then a lockout
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
login_delay_after = 3
login_delay_ms = 20
login_delay_max_s = 1
login_lockout_after = 10
login_address_lockout_after = 100000
login_lockout_s = 20
CONF
http_start "$WMSD_BIN" "$conf" "$log"
guess='{"user":"u-admin","password":"wrong-guess-31337"}'
urls=()
for i in $(seq 300); do urls+=("$base/api/v1/login"); done
# one curl, one kept-alive connection, 300 requests back to back
curl -s "${JSON[@]}" -d "$guess" -w '%{http_code}\n' -o /dev/null "${urls[@]}" >"$dir/codes"
n401=$(grep -c '^401$' "$dir/codes") n429=$(grep -c '^429$' "$dir/codes")
check "300 answers, each 401 or 429 ($n401 + $n429)" [ "$((n401 + n429))" -eq 300 ]
check "3 to 10 passwords checked before the lockout ($n401)" [ "$n401" -ge 3 -a "$n401" -le 10 ]
check "the last guesses are refused (429)" [ "$(tail -1 "$dir/codes")" = 429 ]
expect_req 429 '"error":"too many requests".*locked out after too many failed logins \(this user name\); try again after' \
  POST /api/v1/login "${JSON[@]}" -d "$guess"
until_text=$(jq -r .detail <<<"$body" | sed -E 's/.*try again after ([^,]*),.*/\1/')
until_s=$(date -d "$until_text" +%s 2>/dev/null || echo 0)
check "the lockout names when it ends ($until_text)" [ "$until_s" -gt "$(date +%s)" ]
# the right password is refused too, with Retry-After
code=$(curl -s -D "$dir/headers" -o "$dir/body" -w '%{http_code}' "${JSON[@]}" \
  -d '{"user":"u-admin","password":"pw-admin-12345"}' "$base/api/v1/login")
check "the right password is refused while locked out ($code)" [ "$code" = 429 ]
check "429 has Retry-After" grep -qiE '^Retry-After: [0-9]+' "$dir/headers"
# the login page says so in its language
token=$(curl -s -c "$dir/form.jar" "$base/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')
code=$(curl -s -o "$dir/page" -w '%{http_code}' -b "$dir/form.jar" "$base/login" --data-urlencode "user=u-admin" \
  --data-urlencode "password=pw-admin-12345" --data-urlencode "csrf=$token")
check "login page: locked out is 429 ($code)" [ "$code" = 429 ]
check "login page: the lockout in Swedish" grep -q "inloggningen är spärrad en stund" "$dir/page"
# audit rows and log lines: the name and address, never the password
# (audit rows of failed logins commit with the loop's turn, just after the reply)
audit_rows() { [ "$(sql "SELECT count(*) FROM audit WHERE $1")" -eq "$2" ]; }
check "one audit row per wrong password ($n401)" \
  wait_for 30 audit_rows "actor = 'u-admin' AND action = 'POST /api/v1/login' AND status = 401" "$n401"
check "the lockout in the audit trail" \
  [ "$(sql "SELECT count(*) FROM audit WHERE actor = 'u-admin' AND status = 429")" -ge 1 ]
check "a log line per wrong password with user and address" \
  [ "$(grep -c 'failed login for user "u-admin" from 127.0.0.1' "$log")" -eq "$n401" ]
check "the lockout logged" grep -q 'logins locked out for user name u-admin for 20 s' "$log"
check "refused tries logged at most every 10 s" [ "$(grep -c 'login tries refused while throttled' "$log")" -le 3 ]
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
check "no password in the log" [ "$(grep -c 'wrong-guess' "$log")" -eq 0 ]
check "no password in the database" [ "$(cat "$db" "$db-wal" 2>/dev/null | grep -ac 'wrong-guess')" -eq 0 ]
# the right password works once the lockout has passed, not before
# (wait for the end the server named without trying: every try while locked
# out is a refused try of its own, so polling would depend on the speed)
while [ "$(date +%s)" -le "$until_s" ]; do sleep 1; done
rc=1
for _ in 1 2 3; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"user":"u-admin","password":"pw-admin-12345"}' "$base/api/v1/login")" = 200 ] && { rc=0; break; }
  sleep 1
done
now=$(date +%s)
check "the right password works after the lockout" [ "$rc" -eq 0 ]
check "... and not before it ended ($now >= $until_s - 1)" [ "$now" -ge "$((until_s - 1))" ]
expect_req 200 '"user":"u-admin"' POST /api/v1/login "${JSON[@]}" -d '{"user":"u-admin","password":"pw-admin-12345"}'
stop_wmsd

# --- a login flood while a station scans: every scan acknowledged
mkfifo "$fifo" "$fifo.ack"
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
login_delay_after = 1000000
login_lockout_after = 1000000
login_address_lockout_after = 1000000
[station goods-in]
mode = receipt
scanner = fifo:$fifo ack=$fifo.ack
double_read_ms = 0
CONF
: >"$log"
http_start "$WMSD_BIN" "$conf" "$log"
wait_for 60 grep -q "wmsd: ready" "$log" || bad "wmsd was not ready"
exec 3<>"$fifo.ack"
exec 4>"$fifo"
before=$(sql "SELECT count(*) FROM audit WHERE status = 401")
for c in $(seq 30); do
  curl -s "${JSON[@]}" -d "{\"user\":\"flood-$c\",\"password\":\"flood-guess-$c\"}" -w '%{http_code}\n' \
    -o /dev/null "$base/api/v1/login" >"$dir/flood-$c" 2>&1 &
  bg+=($!)
done
acks=0
for i in $(seq 100); do
  printf ']d201%s17300630%s\x1d10LOT1\n' "$GTIN" "21FL-$i" >&4
  if read -r -t 60 -u 3 a && [ "$a" = ok ]; then acks=$((acks + 1)); else bad "scan $i: ack '${a:-none}'"; fi
done
check "100 scans acknowledged ok during the flood ($acks)" [ "$acks" -eq 100 ]
for p in "${bg[@]}"; do wait "$p" || bad "a flood client failed"; done
bg=()
check "every flood login answered 401 (30)" [ "$(cat "$dir"/flood-* | grep -c '^401$')" -eq 30 ]
check "100 devices received" [ "$(sql "SELECT count(*) FROM devices WHERE serial LIKE 'FL-%'")" -eq 100 ]
check "30 more audit rows of failed logins" wait_for 30 audit_rows "status = 401" "$((before + 30))"

# --- API writes group-committed with the loop's turn: 40 at once, each answered 201 after its commit
urls=()
for i in $(seq 40); do urls+=("$base/api/v1/devices/GC-$i/events"); done
curl -s -Z --parallel-max 20 -H "Authorization: Bearer $(cat "$dir/token-admin")" "${JSON[@]}" \
  -d '{"type":"receive","product":"BPM"}' -w '%{http_code}\n' -o /dev/null "${urls[@]}" >"$dir/gc-codes"
check "40 parallel writes answered 201" [ "$(grep -c '^201$' "$dir/gc-codes")" -eq 40 ]
check "... and all 40 recorded when answered" [ "$(sql "SELECT count(*) FROM devices WHERE serial LIKE 'GC-%'")" -eq 40 ]
check "... each with its audit row" [ "$(sql "SELECT count(*) FROM audit WHERE action LIKE 'POST /api/v1/devices/GC-%/events' AND status = 201")" -eq 40 ]
expect_req 409 'allowed' POST /api/v1/devices/GC-1/events -H "Authorization: Bearer $(cat "$dir/token-admin")" \
  "${JSON[@]}" -d '{"type":"receive","product":"BPM"}'
check "a refused write in the turn wrote nothing" [ "$(sql "SELECT count(*) FROM events e JOIN devices d ON d.id = e.device_id WHERE d.serial = 'GC-1'")" -eq 1 ]
stop_wmsd
finish
