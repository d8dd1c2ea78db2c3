#!/usr/bin/env bash
# run.sh - the main job: install what is missing, build, and run the daemon
# wmsd on an embedded SQLite database under ./var (two years of demo data
# when it is empty), with two scanner stations a newcomer can scan into from
# the shell; prints where to look, then runs until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh run
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWMS_TESTS=OFF -DWMS_BENCH=OFF >/dev/null
cmake --build build

var=$PWD/var
mkdir -p "$var/scan"
for station in goods-in desk; do [ -p "$var/scan/$station" ] || mkfifo "$var/scan/$station"; done
conf=$var/wmsd.conf
if [ ! -f "$conf" ]; then
  cat >"$conf" <<CONF
; wmsd.conf written by scripts/run.sh (see wms/daemon/wmsd.h and README.md)
[store]
database = $var/wms.db

[station goods-in]
mode = receipt
scanner = fifo:$var/scan/goods-in

[station desk]
mode = putaway
scanner = fifo:$var/scan/desk
CONF
fi
export WMS_CONFIG=$conf

log=$var/wmsd.log
: >"$log"
build/bin/wmsd -d --demo -c "$conf" 2>&1 | tee -a "$log" &
trap 'kill %1 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
for _ in $(seq 600); do grep -q "ready:" "$log" && break; sleep 0.1; done
grep -q "ready:" "$log" || { echo "wmsd did not start; see $log" >&2; exit 1; }

build/bin/wms leadtime report
# a manager for the dashboard, with a password of its own made once (kept in var/)
if [ ! -s "$var/demo-password" ]; then
  (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=' >"$var/demo-password")
fi
# made on the first run; "already exists" (exit 5) on the later ones, any other failure stops
rc=0
out=$(build/bin/wms user add demo --role manager --password-file "$var/demo-password" 2>&1) || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then echo "run.sh: wms user add demo: $out" >&2; exit "$rc"; fi
http=$(grep -o 'http: listening on [0-9.:]*' "$log" | head -1 | sed 's/http: listening on //')
gtin=$(sqlite3 "$var/wms.db" "SELECT gtin FROM product_gtins LIMIT 1")
shelf=$(sqlite3 "$var/wms.db" "SELECT code FROM locations WHERE kind = 'shelf' LIMIT 1")
cat <<MSG

wmsd is running (log: $log, database: $var/wms.db, config: $conf).
Scan from another shell, the way a scanner would send it:
  export WMS_CONFIG=$conf
  printf ']d201${gtin}1730063021NEW-0001\\x1d10LOT1\\n' > $var/scan/goods-in
  printf 'NEW-0001\\nLOC:${shelf}\\n' > $var/scan/desk
  build/bin/wms station goods-in --follow     # the station's screen
  build/bin/wms device show NEW-0001          # the device and its history
  build/bin/wms stock; build/bin/wms order list --status open; build/bin/wms --help
MSG
if [ -n "$http" ]; then
  cat <<MSG
In a browser: http://$http/ (the managers' dashboard; log in as "demo" with the password in
$var/demo-password), http://$http/stations/goods-in (a station's live screen, big enough to
read from a metre away), http://$http/metrics; the API is under http://$http/api/v1.
MSG
else
  echo "The HTTP API is off: port 8080 was taken (see $log)."
fi
echo "Ctrl-C stops wmsd."
wait %1
