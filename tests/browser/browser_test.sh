#!/usr/bin/env bash
# browser_test.sh - the dashboard and a station screen in a real browser:
# headless Debian Chromium (/usr/bin/chromium) driven by Playwright
# (npm playwright-core, installed into tests/browser/node_modules when
# missing; never a downloaded browser).  The real wmsd runs on a temporary
# database with the demo data (--demo), a free loopback port and a station
# fed from a named pipe; a manager is added with `wms user add`.  The
# numbers the page must show are computed here, apart from wmsd: counts with
# sqlite3 on the database, shares and percentiles with `wms leadtime report`.
# dashboard.mjs then logs in, checks the KPI tiles and charts, filters,
# exports CSV, switches language, watches a scan arrive on the station
# screen through server-sent events, and logs out.
# usage: browser_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
WMSD_BIN=$1
WMS_BIN=$2
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; sleep 0.5; fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log fifo=$dir/goods-in

fail() { echo "FAIL: $*" >&2; [ -f "$log" ] && tail -20 "$log" >&2; exit 1; }
for tool in /usr/bin/chromium node npm sqlite3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs it)"
done
if [ ! -d "$here/node_modules/playwright-core" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$here" playwright-core@1 >"$dir/npm.log" 2>&1 ||
    { cat "$dir/npm.log" >&2; fail "npm install playwright-core"; }
fi

mkfifo "$fifo"
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[station goods-in]
mode = receipt
scanner = fifo:$fifo
CONF
"$WMSD_BIN" -d -c "$conf" --demo >"$log" 2>&1 &
pid=$!
for _ in $(seq 1800); do
  grep -q "wmsd: ready" "$log" && break
  kill -0 "$pid" 2>/dev/null || fail "wmsd ended"
  sleep 0.1
done
grep -q "wmsd: ready" "$log" || fail "wmsd was not ready in 180 s"
port=$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
[ -n "$port" ] || fail "wmsd does not listen"
echo "pw-manager-12345" | "$WMS_BIN" --db "$db" user add maja --role manager >/dev/null || fail "user add"

# --- the pages' security with curl first: login redirects, the login form's token,
# same-origin forms, the session's CSRF token on logout, roles
echo "pw-worker-12345" | "$WMS_BIN" --db "$db" user add wille --role warehouse >/dev/null || fail "user add"
base=http://127.0.0.1:$port
code() { curl -s -o "$dir/body" -w '%{http_code}' "$@"; }
sessions() { sqlite3 "$db" "SELECT count(*) FROM sessions"; }
expect_code() { local want=$1 what=$2; shift 2; local got; got=$(code "$@");
  [ "$got" = "$want" ] || fail "$what: HTTP $got, wanted $want: $(head -c 300 "$dir/body")"; }
# curl_login USER PASSWORD JAR: the form's token from GET /login, then POST it
curl_login() {
  local token
  token=$(curl -s -c "$3" "$base/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')
  code -c "$3" -b "$3" "$base/login" --data-urlencode "user=$1" --data-urlencode "password=$2" \
    --data-urlencode "csrf=$token"
}
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$base/dashboard.csv")" = \
  "303 $base/login?next=/dashboard.csv" ] || fail "no login: /dashboard.csv does not redirect to /login"
expect_code 303 "no login: the station's events redirect" "$base/stations/goods-in/events"
n=$(sessions)
curl -s -c "$dir/jar0" "$base/login" >/dev/null
expect_code 403 "login without the form's token" -b "$dir/jar0" "$base/login" -d "user=maja&password=pw-manager-12345&csrf=00"
grep -q "inte från den här webbplatsen" "$dir/body" || fail "login without token: no reason given"
expect_code 403 "login from another site" -b "$dir/jar0" -H "Origin: http://evil.example" "$base/login" \
  -d "user=maja&password=pw-manager-12345&csrf=00"
expect_code 415 "login as JSON to the form" -H "Content-Type: application/json" "$base/login" -d '{}'
expect_code 400 "login with an unknown field" "$base/login" -d "user=maja&admin=1"
grep -q 'unknown form field' "$dir/body" || fail "unknown field: no reason given"
[ "$(sessions)" = "$n" ] || fail "a refused login created a session"
[ "$(curl_login maja pw-manager-12345 "$dir/jar1")" = 303 ] || fail "curl login"
grep -q "wms_csrf" "$dir/jar1" || fail "no CSRF cookie after login"
expect_code 200 "dashboard after login" -b "$dir/jar1" "$base/"
expect_code 403 "logout without the CSRF token" -b "$dir/jar1" "$base/logout" -d "lang=sv"
expect_code 403 "logout with a wrong CSRF token" -b "$dir/jar1" "$base/logout" -d "csrf=$(printf '%064d' 0)"
expect_code 200 "the session outlives refused logouts" -b "$dir/jar1" "$base/"
expect_code 400 "unknown query argument" -b "$dir/jar1" "$base/?bogus=1"
expect_code 404 "unknown station" -b "$dir/jar1" "$base/stations/nowhere"
[ "$(curl_login wille pw-worker-12345 "$dir/jar2")" = 303 ] || fail "curl login warehouse"
expect_code 403 "a warehouse worker may not read the dashboard" -b "$dir/jar2" "$base/"
expect_code 200 "a warehouse worker sees the stations" -b "$dir/jar2" "$base/stations"
grep -q 'href="/stations/goods-in"' "$dir/body" || fail "station list lacks goods-in"
echo "ok - pages' security with curl"

# --- the expected numbers, apart from wmsd
"$WMS_BIN" --db "$db" leadtime report --json >"$dir/all.json" || fail "leadtime report"
"$WMS_BIN" --db "$db" leadtime report --product BPM --json >"$dir/bpm.json" || fail "leadtime report BPM"
q() { sqlite3 "$db" "$1"; }
cat >"$dir/expect.json" <<JSON
{
  "all": $(cat "$dir/all.json"),
  "bpm": $(cat "$dir/bpm.json"),
  "sql": {
    "delivered": $(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND requested_date IS NULL"),
    "delivered_bpm": $(q "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id
                          WHERE o.status = 'delivered' AND o.requested_date IS NULL AND p.code = 'BPM'"),
    "customer_set": $(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND requested_date IS NOT NULL"),
    "rented": $(q "SELECT count(*) FROM devices WHERE state = 'rented'"),
    "recon": $(q "SELECT count(*) FROM devices WHERE state IN ('quarantine', 'in_recon', 'repair')")
  }
}
JSON

BASE=http://127.0.0.1:$port FIFO=$fifo EXPECT=$dir/expect.json OUT=$dir \
  node "$here/dashboard.mjs" || fail "dashboard.mjs"
echo "browser test passed"
