#!/usr/bin/env bash
# browser_test.sh - the dashboard and a station screen in a real browser:
# headless Debian Chromium (/usr/bin/chromium) driven by Playwright
# (npm playwright-core, installed into node/ of the build tree when
# missing; never a downloaded browser).  The real wmsd runs on a temporary
# database with the demo data (--demo), a free loopback port and a station
# fed from a named pipe; a manager is added with `wms user add`.  The
# numbers the page must show are computed here, apart from wmsd: counts with
# sqlite3 on the database, shares and percentiles with `wms leadtime report`.
# dashboard.mjs then logs in, checks the overview's KPI tiles and charts (on
# one 1920x1080 screen, each tile equal to the panel of the page it links
# to), the drill-down pages: breakdowns, the late list in pages, open orders
# past the target apart from those at risk, the rentals, reconditioning and
# print-queue panels (print jobs queued, failed and cancelled here with the
# CLI), filters (product, depot, delivery mode, dates as yyyy-mm-dd text), exports
# CSV, switches language, takes screenshots at 1920x1080 and 1366x768 in both
# languages (into browser-screenshots/ of the build tree) checking that no
# page is wider than the screen and the overview fits both screens,
# watches a scan arrive on the station screen through server-sent events,
# and logs out.
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
# playwright-core lives in the build tree (the test's working directory), never in the
# source tree; the script runs from beside it so that node finds it
npm_dir=$PWD/node
if [ ! -d "$npm_dir/node_modules/playwright-core" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$npm_dir" playwright-core@1 >"$dir/npm.log" 2>&1 ||
    { cat "$dir/npm.log" >&2; fail "npm install playwright-core"; }
fi
cp "$here/dashboard.mjs" "$npm_dir/dashboard.mjs"

mkfifo "$fifo"
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[station goods-in]
mode = receipt
scanner = fifo:$fifo
language = sv
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

# --- print jobs for the print-queue panel, through the CLI: printers where nothing
# listens keep their jobs queued with the reason; a printer that is no longer
# configured when the queue is worked fails its jobs; one job cancelled
cat >"$dir/print.conf" <<CONF
[printer lager]
queue = raw
server = 127.0.0.1:9
language = zpl
purposes = device location
[printer gammal]
queue = old
server = 127.0.0.1:9
language = zpl
purposes = device
CONF
sed '/^\[printer gammal\]/,$d' "$dir/print.conf" >"$dir/print-later.conf"
serial=$(sqlite3 "$db" "SELECT serial FROM devices WHERE state = 'in_stock' ORDER BY serial LIMIT 1")
for printer in lager lager gammal gammal gammal; do
  "$WMS_BIN" --db "$db" --config "$dir/print.conf" label print device --device "$serial" --printer "$printer" \
    >/dev/null || fail "label print for $printer"
done
"$WMS_BIN" --db "$db" --config "$dir/print.conf" print-queue cancel "$(sqlite3 "$db" "SELECT max(id) FROM outbox")" \
  >/dev/null || fail "print-queue cancel"
"$WMS_BIN" --db "$db" --config "$dir/print-later.conf" print-queue work --once >/dev/null || fail "print-queue work"
"$WMS_BIN" --db "$db" --config "$dir/print.conf" label print device --device "$serial" --printer lager \
  >/dev/null || fail "label print after the work"

# --- the expected numbers, apart from wmsd
"$WMS_BIN" --db "$db" leadtime report --json >"$dir/all.json" || fail "leadtime report"
"$WMS_BIN" --db "$db" leadtime report --product BPM --json >"$dir/bpm.json" || fail "leadtime report BPM"
"$WMS_BIN" --db "$db" leadtime report --depot SK --json >"$dir/sk.json" || fail "leadtime report SK"
"$WMS_BIN" --db "$db" leadtime report --mode home --from 2010-01-01 --json >"$dir/home.json" ||
  fail "leadtime report --mode home"
q() { sqlite3 "$db" "$1"; }
# the panels' period: the 12 months up to this one, Stockholm time
month=$(TZ=Europe/Stockholm date +%Y-%m)
from=$(TZ=Europe/Stockholm date -d "$month-01 -11 months" +%Y-%m-%d)
from_ts=$(TZ=Europe/Stockholm date -d "$from" +%s)
"$WMS_BIN" --db "$db" rental report --month "$month" --json >"$dir/rental.json" || fail "rental report"
"$WMS_BIN" --db "$db" recon report --from "$from" --json >"$dir/recon.json" || fail "recon report"
charged="start_ts <= strftime('%s', 'now') AND (end_ts IS NULL OR end_ts > strftime('%s', 'now'))"
ev() { q "SELECT count(*) FROM events WHERE ts >= $from_ts AND $1"; }
cat >"$dir/expect.json" <<JSON
{
  "all": $(cat "$dir/all.json"),
  "bpm": $(cat "$dir/bpm.json"),
  "home": $(cat "$dir/home.json"),
  "sk": $(cat "$dir/sk.json"),
  "sql": {
    "delivered": $(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND requested_date IS NULL"),
    "delivered_bpm": $(q "SELECT count(*) FROM orders o JOIN products p ON p.id = o.product_id
                          WHERE o.status = 'delivered' AND o.requested_date IS NULL AND p.code = 'BPM'"),
    "customer_set": $(q "SELECT count(*) FROM orders WHERE status = 'delivered' AND requested_date IS NOT NULL")
  },
  "rentals": {
    "out": $(q "SELECT count(*) FROM rentals WHERE $charged"),
    "out_bpm": $(q "SELECT count(*) FROM rentals r JOIN devices d ON d.id = r.device_id
                   JOIN products p ON p.id = d.product_id WHERE p.code = 'BPM' AND $charged"),
    "customers": $(q "SELECT count(DISTINCT customer_id) FROM rentals WHERE $charged"),
    "month": "$month",
    "report": $(cat "$dir/rental.json")
  },
  "recon": {
    "from": "$from",
    "queue": $(q "SELECT count(*) FROM devices WHERE state IN ('quarantine', 'in_recon')"),
    "approved": $(ev "type = 'recon_approve'"),
    "repair": $(ev "type = 'recon_repair'"),
    "scrapped": $(ev "type = 'scrap' AND from_state IN ('quarantine', 'in_recon', 'repair')"),
    "report": $(cat "$dir/recon.json")
  },
  "printq": {
    "queued": $(q "SELECT count(*) FROM outbox WHERE kind = 'label' AND state = 'queued'"),
    "failed": $(q "SELECT count(*) FROM outbox WHERE kind = 'label' AND state = 'failed'"),
    "lager_queued": $(q "SELECT count(*) FROM outbox WHERE target = 'lager' AND state = 'queued'"),
    "gammal_failed": $(q "SELECT count(*) FROM outbox WHERE target = 'gammal' AND state = 'failed'"),
    "gammal_cancelled": $(q "SELECT count(*) FROM outbox WHERE target = 'gammal' AND state = 'cancelled'"),
    "oldest_queued_ts": $(q "SELECT min(created_ts) FROM outbox WHERE state = 'queued'"),
    "reason": $(q "SELECT json_quote(last_error) FROM outbox WHERE state = 'failed' ORDER BY id DESC LIMIT 1")
  }
}
JSON

# the screenshots stay beside the test's build files for a person to look at
shots=$PWD/browser-screenshots
mkdir -p "$shots"
BASE=http://127.0.0.1:$port FIFO=$fifo EXPECT=$dir/expect.json OUT=$dir SHOTS=$shots \
  node "$npm_dir/dashboard.mjs" || fail "dashboard.mjs"
echo "browser test passed"
