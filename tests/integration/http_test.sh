#!/usr/bin/env bash
# http_test.sh - wmsd's HTTP API end to end with curl(1): the real daemon on a
# temporary database listening on a free loopback port; the role matrix
# (every route x every role, and no login, by session cookie and by API
# token); CSRF; session expiry and logout; malformed, oversized and wrongly
# typed requests (4xx, database byte-identical); the audit trail (actor =
# user); the read endpoints against the CLI; /metrics in Prometheus format.
# usage: http_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir

sql()  { sqlite3 "$db" "$@"; }
wms()  { "$WMS_BIN" --db "$db" "$@"; }

# --- users, tokens, reference data (through the CLI), then the daemon
roles=(warehouse technician dispatcher manager admin)
http_users "${roles[@]}"
printf 'pw-file-12345\n' >"$dir/pwfile"
check "user add --password-file" wms user add u-file --role manager --password-file "$dir/pwfile"
out=$(echo "short" | wms user add u-short --role admin 2>&1); rc=$?
check "short password refused (exit 3)" [ "$rc" -eq 3 ]
check "short password message" grep -q "8 to 1024 allowed" <<<"$out"
out=$(echo "long enough pw" | wms user add u-x --role boss 2>&1); rc=$?
check "bad role refused" [ "$rc" -eq 3 ]
check "bad role message lists the roles" grep -q "allowed: warehouse, technician, dispatcher, manager, admin" <<<"$out"
check "no password stored in clear" [ "$(sql "SELECT count(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")" -eq 6 ]
check "token printed once, stored hashed" [ "$(sql "SELECT count(*) FROM api_tokens WHERE token_hash = '$(cat "$dir/token-admin")'")" -eq 0 ]

wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region >/dev/null
wms location add A-01-01 --name "Hylla A1" --kind shelf >/dev/null
for r in "${roles[@]}"; do
  for via in cookie token; do
    wms order create "O-C-$r-$via" --customer VC-MOLNDAL --product BPM --mode home --at 2026-03-02T08:00 >/dev/null
  done
done
wms receive SN-1 --product BPM --at 2026-03-02T08:00 >/dev/null
wms order create O-1 --customer VC-MOLNDAL --product BPM --mode home --at 2026-03-02T08:00 >/dev/null

cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
session_minutes = 60
CONF
check "wmsd -n accepts [http]" "$WMSD_BIN" -n -c "$conf"
check "wms reads a wmsd.conf with [http]" "$WMS_BIN" --config "$conf" product list
printf '[http]\nlisten = localhost:80\n' >"$dir/bad.conf"
out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
check "bad listen refused with the line" [ "$rc" -eq 7 ]
check "bad listen message" grep -q "bad.conf:2: listen: bad value" <<<"$out"

http_start "$WMSD_BIN" "$conf" "$log"


for r in "${roles[@]}"; do login "$r"; done
check "session cookie is HttpOnly" grep -q "^#HttpOnly_" "$dir/admin.jar"
req POST /api/v1/login -D "$dir/headers" "${JSON[@]}" -d '{"user":"u-admin","password":"pw-admin-12345"}'
check "cookie has HttpOnly and SameSite=Strict" grep -qi "^Set-Cookie: wms_session=[0-9a-f]\{64\}; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict" "$dir/headers"
sid=$(grep -io 'wms_session=[0-9a-f]*' "$dir/headers" | cut -d= -f2)
check "session id stored only hashed" [ "$(sql "SELECT count(*) FROM sessions WHERE id_hash = '$sid' OR csrf_hash = '$(jq -r .csrf <<<"$body")'")" -eq 0 ]
expect_req 401 "wrong user name or password" POST /api/v1/login "${JSON[@]}" -d '{"user":"u-admin","password":"wrong-password"}'
expect_req 401 "wrong user name or password" POST /api/v1/login "${JSON[@]}" -d '{"user":"nobody","password":"wrong-password"}'
expect_req 400 "needs user and password" POST /api/v1/login "${JSON[@]}" -d '{"user":"u-admin"}'

# --- the role matrix: every route x (no login, each role), by cookie and by token.
# Columns: none warehouse technician dispatcher manager admin.  {who} makes ids unique.
matrix=(
  "GET|/api/v1/me||401 200 200 200 200 200"
  "GET|/api/v1/devices/SN-1||401 200 200 200 200 200"
  "POST|/api/v1/devices/SN-M-{who}/events|{\"type\":\"receive\",\"product\":\"BPM\"}|401 201 403 403 403 201"
  "GET|/api/v1/stock?product=BPM||401 200 200 200 200 200"
  "GET|/api/v1/orders?status=open&limit=5||401 200 200 200 200 200"
  "POST|/api/v1/orders|{\"number\":\"O-M-{who}\",\"customer\":\"VC-MOLNDAL\",\"product\":\"BPM\",\"mode\":\"home\"}|401 403 403 201 403 201"
  "GET|/api/v1/orders/O-1||401 200 200 200 200 200"
  "POST|/api/v1/orders/O-C-{who}/cancel|{\"reason\":\"double order\"}|401 403 403 200 200 200"
  "POST|/api/v1/orders/O-1/notes|{\"note\":\"waiting for training\"}|401 403 403 201 201 201"
  "GET|/api/v1/leadtime?from=2026-01-01&product=BPM||401 403 403 200 200 200"
  "GET|/api/v1/products||401 200 200 200 200 200"
  "GET|/api/v1/customers||401 200 200 200 200 200"
  "GET|/api/v1/locations||401 200 200 200 200 200"
  "POST|/api/v1/logout|{}|401 200 200 200 200 200"
)
# /metrics is open from the loopback interface (the only one this test can reach).
for via in token cookie; do
  for spec in "${matrix[@]}"; do
    if [ "$via" = token ] && [[ $spec == *logout* ]]; then continue; fi
    matrix_row "$via" "$spec"
  done
done
for r in "${roles[@]}"; do
  expect_req 200 "wms_events_total" GET /metrics -b "$dir/$r.jar"
done
expect_req 200 "wms_events_total" GET /metrics

# after logout the cookie is dead
expect_req 401 "log in again" GET /api/v1/me -b "$dir/admin.jar"
req POST /api/v1/logout -D "$dir/headers" -H "Authorization: Bearer $(cat "$dir/token-admin")" "${JSON[@]}" -d '{}'
check "logout clears the cookie" grep -qi "^Set-Cookie: wms_session=; Path=/; Max-Age=0" "$dir/headers"

# --- audit: every change names its user; the station is "http"
check "events by cookie carry the user" [ "$(sql "SELECT actor || '/' || station FROM events WHERE type = 'receive' AND device_id = (SELECT id FROM devices WHERE serial = 'SN-M-warehouse-cookie')")" = "u-warehouse/http" ]
check "events by token carry the token name" [ "$(sql "SELECT actor FROM events WHERE type = 'order_create' AND order_id = (SELECT id FROM orders WHERE number = 'O-M-dispatcher-token')")" = "t-dispatcher" ]
check "forbidden requests wrote nothing" [ "$(sql "SELECT count(*) FROM devices WHERE serial LIKE 'SN-M-manager%' OR serial LIKE 'SN-M-none%'
                                                  OR serial LIKE 'SN-M-technician%' OR serial LIKE 'SN-M-dispatcher%'")" -eq 0 ]
check "every API event is audited" [ "$(sql "SELECT count(*) FROM events WHERE station = 'http' AND (actor IS NULL OR actor = '')")" -eq 0 ]

# --- CSRF: a cookie alone may read but not change anything
for r in "${roles[@]}"; do login "$r"; done
refused_req 403 "CSRF token missing or wrong" POST /api/v1/devices/SN-X1/events -b "$dir/warehouse.jar" "${JSON[@]}" -d '{"type":"receive","product":"BPM"}'
refused_req 403 "CSRF" POST /api/v1/devices/SN-X1/events -b "$dir/warehouse.jar" -H "X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000" "${JSON[@]}" -d '{"type":"receive","product":"BPM"}'
refused_req 403 "CSRF" POST /api/v1/devices/SN-X1/events -b "$dir/warehouse.jar" -H "X-CSRF-Token: $(cat "$dir/admin.csrf")" "${JSON[@]}" -d '{"type":"receive","product":"BPM"}'
refused_req 403 "CSRF" POST /api/v1/logout -b "$dir/warehouse.jar" "${JSON[@]}" -d '{}'
expect_req 200 '"role": "warehouse"' GET /api/v1/me -b "$dir/warehouse.jar"

# --- session expiry (the clock is the daemon's; age the session in the store)
sql "UPDATE sessions SET expires_ts = strftime('%s','now') - 1 WHERE user_id = (SELECT id FROM users WHERE name = 'u-technician')"
expect_req 401 "session expired: log in again" GET /api/v1/me -b "$dir/technician.jar"
expect_req 200 '"role": "manager"' GET /api/v1/me -b "$dir/manager.jar"

# --- bad requests: 4xx with {error, detail, allowed}, and nothing written
A=(-H "Authorization: Bearer $(cat "$dir/token-admin")")
refused_req 400 '"detail": "malformed JSON' POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive",'
refused_req 400 "not an object" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '["receive"]'
refused_req 400 'unknown field \\"colour\\"' POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","colour":"red"}'
refused_req 400 'field \\"product\\" must be a string' POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","product":7}'
refused_req 400 "duplicate" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","type":"scrap"}'
refused_req 400 '"allowed": "receive, move, ' POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"teleport"}'
refused_req 400 'missing field' POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{}'
refused_req 415 '"allowed": "application/json"' POST /api/v1/devices/SN-X2/events "${A[@]}" -H 'Content-Type: text/plain' -d '{"type":"receive","product":"BPM"}'
refused_req 415 "not JSON" POST /api/v1/devices/SN-X2/events "${A[@]}" -d 'type=receive&product=BPM'
head -c 70000 /dev/zero | tr '\0' ' ' >"$dir/big"
refused_req 413 "larger than 65536 bytes" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" --data-binary @"$dir/big"
refused_req 413 "larger than 65536 bytes" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$dir/big"
refused_req 400 "no such date|bad date" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","product":"BPM","at":"2026-02-30T10:00"}'
refused_req 400 "bad serial" POST /api/v1/devices/bad%20serial/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","product":"BPM"}'
refused_req 404 "unknown product" POST /api/v1/devices/SN-X2/events "${A[@]}" "${JSON[@]}" -d '{"type":"receive","product":"NOPE"}'
refused_req 409 '"allowed": "move, scrap, transfer_out"' POST /api/v1/devices/SN-1/events "${A[@]}" "${JSON[@]}" -d '{"type":"rent"}'
refused_req 409 "already" POST /api/v1/orders "${A[@]}" "${JSON[@]}" -d '{"number":"O-1","customer":"VC-MOLNDAL","product":"BPM","mode":"home"}'
refused_req 400 "mode" POST /api/v1/orders "${A[@]}" "${JSON[@]}" -d '{"number":"O-9","customer":"VC-MOLNDAL","product":"BPM","mode":"drone"}'
refused_req 404 "unknown serial" GET /api/v1/devices/NOPE "${A[@]}"
refused_req 404 "no such route" GET /api/v1/nothing "${A[@]}"
refused_req 404 "no such route" GET /api/v2/products "${A[@]}"
refused_req 405 '"allowed": "GET, POST"' DELETE /api/v1/products "${A[@]}"
refused_req 405 '"allowed": "GET"' POST /api/v1/devices/SN-1 "${A[@]}" "${JSON[@]}" -d '{}'
refused_req 400 'unknown query argument \\"colour\\"' GET "/api/v1/stock?colour=red" "${A[@]}"
refused_req 400 "bad date|expected" GET "/api/v1/leadtime?from=2026-13-01" "${A[@]}"
refused_req 400 "takes no request body" GET /api/v1/products "${A[@]}" "${JSON[@]}" -d '{}' -X GET
refused_req 401 "unknown or revoked API token" GET /api/v1/products -H "Authorization: Bearer 0000000000000000000000000000000000000000000000000000000000000000"
check "token revoke" wms token revoke t-technician
refused_req 401 "unknown or revoked API token" GET /api/v1/products -H "Authorization: Bearer $(cat "$dir/token-technician")"
refused_req 401 'not \\"Bearer TOKEN\\"' GET /api/v1/products -H "Authorization: Basic dTpw"
refused_req 401 "log in again" GET /api/v1/products -b "wms_session=garbage"

# --- reads agree with the CLI
req GET "/api/v1/leadtime?product=BPM&now=2026-03-06T12:00" "${A[@]}"
api=$(jq -c '.overall, .at_risk' <<<"$body")
cli=$(WMS_NOW=2026-03-06T12:00 wms leadtime report --json --product BPM | jq -c '.overall, .at_risk')
check "leadtime: API = CLI" [ "$api" = "$cli" ]
req GET /api/v1/devices/SN-1 "${A[@]}"
check "device show: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms device show SN-1 --json | jq -c .)" ]
req GET "/api/v1/orders?status=cancelled" "${A[@]}"
check "order list filtered" [ "$(jq length <<<"$body")" -eq "$(sql "SELECT count(*) FROM orders WHERE status = 'cancelled'")" ]

# --- the audit trail: every change through the API, with who and how it ended; append-only
req GET "/api/v1/audit?limit=1000" "${A[@]}"
check "audit 200" [ "$code" = 200 ]
check "audit: the admin's logout" bash -c 'jq -e "any(.[]; .actor == \"t-admin\" and .action == \"POST /api/v1/logout\" and .status == 200)" <<<"$1" >/dev/null' _ "$body"
check "audit: logins by name" bash -c 'jq -e "any(.[]; .actor == \"u-warehouse\" and .action == \"POST /api/v1/login\")" <<<"$1" >/dev/null' _ "$body"
check "audit: one row per successful POST, none for refusals but failed logins" \
  [ "$(jq '[.[] | select(.status >= 400 and .action != "POST /api/v1/login")] | length' <<<"$body")" -eq 0 ]
check "audit: failed logins are there (401)" bash -c 'jq -e "any(.[]; .action == \"POST /api/v1/login\" and .status == 401)" <<<"$1" >/dev/null' _ "$body"
check "audit: no bodies, no passwords" bash -c '! grep -q "pw-" <<<"$1"' _ "$body"
req GET "/api/v1/audit?actor=u-warehouse" "${A[@]}"
check "audit by actor" [ "$(jq '[.[] | select(.actor != "u-warehouse")] | length' <<<"$body")" -eq 0 ]
refused_req 400 "expected a whole number 1..1000" GET "/api/v1/audit?limit=0" "${A[@]}"
refused_req 403 "" GET /api/v1/audit -H "Authorization: Bearer $(cat "$dir/token-warehouse")"
check "audit rows cannot be deleted" bash -c "! sqlite3 '$db' 'DELETE FROM audit' 2>/dev/null"
check "audit rows cannot be changed" bash -c "! sqlite3 '$db' \"UPDATE audit SET actor = 'x'\" 2>/dev/null"

# --- /metrics: every line is Prometheus text format; counts match the store
req GET /metrics
check "metrics 200" [ "$code" = 200 ]
name='[a-zA-Z_:][a-zA-Z0-9_:]*'
lv='"([^"\\]|\\.)*"'
sample="^$name(\\{$name=$lv(,$name=$lv)*\\})? -?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\$"
comment="^# (HELP $name .+|TYPE $name (counter|gauge|histogram|summary|untyped))\$"
badlines=$(grep -vE -- "$sample|$comment" <<<"$body")
check "metrics lines all parse (bad: $badlines)" [ -z "$badlines" ]
check "metrics have samples" [ "$(grep -cvE '^#' <<<"$body")" -ge 5 ]
check "metrics: each family has one TYPE" [ "$(grep -c '^# TYPE' <<<"$body")" -eq "$(grep '^# TYPE' <<<"$body" | sort -u | wc -l)" ]
check "metrics: receive events" grep -qx "wms_events_total{type=\"receive\"} $(sql "SELECT count(*) FROM events WHERE type = 'receive'")" <<<"$body"
check "metrics: open orders" grep -qx "wms_orders{status=\"open\"} $(sql "SELECT count(*) FROM orders WHERE status = 'open'")" <<<"$body"
check "metrics: 4xx answered" grep -qE '^wms_http_requests_total\{code="4xx"\} [1-9]' <<<"$body"
check "metrics name no serial" bash -c "! grep -q 'SN-' <<<\"\$1\"" _ "$body"

# --- the daemon stops cleanly
kill -TERM "$pid"
wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" && ok || bad "wmsd did not stop"
check "stopped on signal" grep -q "stopping on signal" "$log"
check "no sanitizer report" bash -c "! grep -q 'runtime error\|AddressSanitizer' '$log'"

echo "http_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
