#!/usr/bin/env bash
# hub_link_test.sh - two depots' wmsd ship to a real PostgreSQL through a TCP
# proxy owned by the test (tcp_proxy.py), through everything a link and a
# server do (issue 18): the link cut (proxy stopped) and frozen (SIGSTOP)
# while both depots scan: every scan acknowledged, then after healing the hub
# holds per depot count = highest sequence (no gap) and each depot's whole
# ledger (no loss, no duplicate); a depot's wmsd killed -9 while shipping a
# backlog; the central server stopped mid-batch (immediate); a depot restored
# from an older backup starts a new epoch by itself.
# usage: hub_link_test.sh PATH/TO/wms PATH/TO/wmsd
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"
WMS_BIN=$1 WMSD_BIN=$2
dir=$(mktemp -d)
declare -A pid=()
trap 'hub_cleanup "$dir"' EXIT
unset WMS_CONFIG WMS_NOW WMS_DB
pg_init "$dir"

# --- the link: a proxy on a port of its own choosing, started again on the same port
proxy_start "$dir"

# --- two depots, one database each, each with its own wmsd shipping through the proxy
for d in ML SK; do
  db=$dir/$d.db
  "$WMS_BIN" --db "$db" product add BPM --name-sv B --name-en B --category HoS >/dev/null
  [ $d = SK ] && "$WMS_BIN" --db "$db" depot add SK --name "HMC Skövde" --default >/dev/null
  "$WMS_BIN" --db "$db" location add $d-A1 --name a --kind shelf >/dev/null
  "$WMS_BIN" --db "$db" customer add VC --name VC --kind region >/dev/null
  cat >"$dir/$d.conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[central]
conninfo = $LINK
batch = 2
timeout = 3
CONF
done
start() { "$WMSD_BIN" -d -c "$dir/$1.conf" >>"$dir/$1.log" 2>&1 & pid[$1]=$!; }
stop() { kill -TERM "${pid[$1]}"; wait "${pid[$1]}" 2>/dev/null; unset "pid[$1]"; }
start ML; start SK

# --- the hub: the same wmsd in the hub role, straight on the hub's PostgreSQL
"$WMS_BIN" --db "$dir/hub.db" token create t-manager --role manager >"$dir/token" 2>/dev/null || bad "hub token"
cat >"$dir/hub.conf" <<CONF
[store]
database = $dir/hub.db
[http]
listen = 127.0.0.1:0
[central]
role = hub
conninfo = $CONN
timeout = 3
CONF
"$WMSD_BIN" -d -c "$dir/hub.conf" >"$dir/hub.log" 2>&1 & pid[hub]=$!
wait_for 60 grep -q "http: listening on" "$dir/hub.log" || bad "the hub's wmsd listens"
HUB=http://127.0.0.1:$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$dir/hub.log" | head -1 | sed 's/.*://')
api() { curl -s -H "Authorization: Bearer $(cat "$dir/token")" "$HUB$1"; }
# the hub's view of a depot: behind (no shipment for 3 s or more, with a backlog or not)
behind() { [ "$(api /api/v1/hub | jq --arg d "$1" '[.depots[] | select(.depot == $d and .current and .age_s >= 3)] | length')" = 1 ]; }

n=0
# an order delivered at DEPOT: registered Monday 2026-03-02 09:00, delivered on DAY
order() { # DEPOT DAY
  local w=("$WMS_BIN" --db "$dir/$1.db") o=O-$1-$((++n)) sn=$1-D$n
  "${w[@]}" receive "$sn" --product BPM --at 2026-03-02T07:00 >/dev/null &&
  "${w[@]}" move "$sn" --location "$1-A1" --at 2026-03-02T07:10 >/dev/null &&
  "${w[@]}" order create "$o" --customer VC --product BPM --mode home --at 2026-03-02T09:00 >/dev/null &&
  "${w[@]}" allocate "$o" --at 2026-03-02T09:10 >/dev/null &&
  "${w[@]}" pick "$sn" --at 2026-03-02T10:00 >/dev/null &&
  "${w[@]}" dispatch "$sn" --at 2026-03-02T11:00 >/dev/null &&
  "${w[@]}" deliver "$sn" --at "$2T10:00" >/dev/null || bad "order $o delivered at $1"
}

# one scan: a device received at the depot, acknowledged once committed (exit 0 and the row)
scan() { # DEPOT
  n=$((n + 1))
  "$WMS_BIN" --db "$dir/$1.db" receive "$1-$n" --product BPM --at 2026-03-02T08:00 >/dev/null &&
  [ "$(sqlite3 "$dir/$1.db" "SELECT count(*) FROM devices WHERE serial = '$1-$n'")" = 1 ]
}
scans() { # DEPOT COUNT: all acknowledged
  local i; for ((i = 0; i < $2; i++)); do scan "$1" || return 1; done
}
epoch() { sqlite3 "$dir/$1.db" "SELECT value FROM ledger_meta"; }
local_count() { sqlite3 "$dir/$1.db" "SELECT count(*) FROM events"; }
hub_count() { psql_ "SELECT count(*) FROM hub_events WHERE depot = '$1' AND epoch = '$(epoch "$1")'" 2>/dev/null; }
caught_up() { [ "$(hub_count "$1")" = "$(local_count "$1")" ]; }
both_caught_up() { caught_up ML && caught_up SK; }
no_gap() {
  [ "$(psql_ "SELECT bool_and(n = top) FROM (SELECT count(*) n, max(seq) top FROM hub_events GROUP BY depot, epoch) x")" = t ]
}
same_events() { # DEPOT: the hub holds the depot's events, each once, in the same order
  [ "$(psql_ "SELECT string_agg(seq || ':' || type || ':' || coalesce(serial, ''), ',' ORDER BY seq) FROM hub_events
              WHERE depot = '$1' AND epoch = '$(epoch "$1")'")" = \
    "$(sqlite3 "$dir/$1.db" "SELECT group_concat(x, ',') FROM (SELECT e.id || ':' || e.type || ':' || coalesce(d.serial, '') x
              FROM events e LEFT JOIN devices d ON d.id = e.device_id ORDER BY e.id)")" ]
}
healed() { # WHAT
  check "$1: both depots caught up" wait_for 120 both_caught_up
  check "$1: per depot, count = highest sequence (no gap)" no_gap
  check "$1: ML's ledger on the hub, each event once" same_events ML
  check "$1: SK's ledger on the hub, each event once" same_events SK
}

# --- steady shipping
check "steady: scans acknowledged" scans ML 3
check "steady: scans acknowledged" scans SK 3
order ML 2026-03-03; order ML 2026-03-06; order ML 2026-03-16
order SK 2026-03-04; order SK 2026-03-13
healed steady

# --- the link cut: the proxy stopped
kill -KILL "$proxy_pid"; wait "$proxy_pid" 2>/dev/null
check "cut: every scan at ML acknowledged" scans ML 5
check "cut: every scan at SK acknowledged" scans SK 5
check "cut: the hub is behind for ML" [ "$(hub_count ML)" -lt "$(local_count ML)" ]
check "cut: the hub is behind for SK" [ "$(hub_count SK)" -lt "$(local_count SK)" ]
check "cut: ML's wmsd backs off" wait_for 60 grep -q "hub shipping: .*next try" "$dir/ML.log"
check "cut: SK's wmsd backs off" wait_for 60 grep -q "hub shipping: .*next try" "$dir/SK.log"
check "cut: the hub shows ML behind" wait_for 60 behind ML
check "cut: the hub shows SK behind" wait_for 60 behind SK
order SK 2026-03-05
proxy_start "$dir"
healed "cut and healed"

# --- the link frozen: connections open, nothing moves
kill -STOP "$proxy_pid"
check "frozen: every scan at ML acknowledged" scans ML 5
check "frozen: every scan at SK acknowledged" scans SK 5
order ML 2026-03-04
check "frozen: ML's wmsd gives up waiting" wait_for 60 grep -q "no answer from the hub within 3 s" "$dir/ML.log"
check "frozen: SK's wmsd gives up waiting" wait_for 60 grep -q "no answer from the hub within 3 s" "$dir/SK.log"
# a wmsd asked to stop while its link hangs stops (the wait looks at the stop flag)
kill -TERM "${pid[SK]}"
check "frozen: SK's wmsd stops all the same" wait_for 30 bash -c "! kill -0 ${pid[SK]} 2>/dev/null"
wait "${pid[SK]}"; check "frozen: SK's wmsd exit status 0" [ $? = 0 ]
start SK
kill -CONT "$proxy_pid"
healed "frozen and thawed"

# a backlog of 12 events while DEPOT's wmsd is stopped; returns once its wmsd
# (started again) has shipped some of it, two events a batch
backlog() { # DEPOT
  local before
  stop "$1"
  scans "$1" 12 || bad "$1: backlog scans"
  before=$(hub_count "$1")
  start "$1"
  wait_for 60 bash -c "[ \"\$(\"$PGBIN/psql\" -X -A -t -q \"$CONN\" -c \"SELECT count(*) FROM hub_events WHERE depot = '$1'\")\" -gt $before ]" ||
    bad "$1: shipping the backlog started"
}

# --- ML's wmsd killed -9 while shipping a backlog
backlog ML
kill -KILL "${pid[ML]}"; wait "${pid[ML]}" 2>/dev/null; unset "pid[ML]"
start ML
healed "wmsd killed -9 while shipping"

# --- the central server stopped (immediate) while a backlog ships, then started again
backlog SK
pg_stop immediate
check "central down: scans acknowledged" scans SK 2
pg_start || bad "pg restart"
healed "central restarted mid-batch"

# --- ML restored from an older backup: a new epoch by itself, the whole ledger under it
stop ML
sqlite3 "$dir/ML.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$dir/ML.db" "$dir/ML-backup.db"
start ML
scans ML 2 || bad "scans after the backup"
check "restore: shipped before the restore" wait_for 120 caught_up ML
old_epoch=$(epoch ML)
stop ML
cp "$dir/ML-backup.db" "$dir/ML.db"; rm -f "$dir/ML.db-wal" "$dir/ML.db-shm"
start ML
check "restore: wmsd noticed" wait_for 60 grep -q "restored from an older backup" "$dir/ML.log"
check "restore: a new epoch" [ "$(epoch ML)" != "$old_epoch" ]
scans ML 2 || bad "scans after the restore"
healed "restored from a backup"
check "restore: no key refused (the new epoch ships what the old one lacks)" \
  [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'key'")" = 0 ]
check "restore: the new epoch listed for a person" \
  [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'new_epoch' AND depot = 'ML'")" = 1 ]
check "restore: the old epoch's events kept" \
  [ "$(psql_ "SELECT count(*) FROM hub_events WHERE depot = 'ML' AND epoch = '$old_epoch'")" -gt 0 ]

# --- the region's report equals the depots' own figures
rows_depot() { sqlite3 "$dir/$1.db" "SELECT group_concat(x, ',') FROM (SELECT number || ':' || lead_days x FROM orders
                                     WHERE delivered_ts IS NOT NULL ORDER BY number)"; }
rows_hub() { psql_ "SELECT string_agg(number || ':' || lead_days, ',' ORDER BY number) FROM hub_orders
                    WHERE depot = '$1' AND delivered_ts IS NOT NULL"; }
projected() { [ "$(rows_hub ML)" = "$(rows_depot ML)" ] && [ "$(rows_hub SK)" = "$(rows_depot SK)" ]; }
check "hub: per-order rows equal each depot's own" wait_for 60 projected
check "hub: the orders are there" [ "$(rows_depot ML | tr ',' '\n' | wc -l)" -ge 3 ]
hist_depot() { "$WMS_BIN" --db "$dir/$1.db" leadtime report --json | jq -c '.overall.histogram'; }
hist_hub() { api "/api/v1/hub${1:+?depot=$1}" | jq -c '.leadtime.overall.histogram'; }
report_fresh() { [ "$(hist_hub ML)" = "$(hist_depot ML)" ] && [ "$(hist_hub SK)" = "$(hist_depot SK)" ]; }
check "hub: each depot's histogram equals the depot's own" wait_for 30 report_fresh
check "hub: the region's histogram is the sum of the depots'" [ "$(hist_hub)" = "$(jq -nc --argjson a "$(hist_depot ML)" --argjson b "$(hist_depot SK)" \
  '[range(0; [($a|length), ($b|length)] | max) as $i | ($a[$i] // 0) + ($b[$i] // 0)]')" ]
check "hub: depot filter cuts the lag table" [ "$(api '/api/v1/hub?depot=SK' | jq '[.depots[].depot] | unique')" = '[
  "SK"
]' ]
check "hub: an unknown depot refused" [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$dir/token")" "$HUB/api/v1/hub?depot=XX")" = 400 ]
check "hub: the new epoch listed on the report" [ "$(api /api/v1/hub | jq '[.conflicts[] | select(.kind == "new_epoch")] | length')" = 1 ]
page=$(curl -s -H "Authorization: Bearer $(cat "$dir/token")" "$HUB/hub?depot=ML&lang=en")
check "hub page: ML's lag row" grep -q '<tr class="current" data-depot="ML">' <<<"$page"
check "hub page: filtered to ML" bash -c "! grep -q 'data-depot=\"SK\"' <<<'$page'"
check "hub page: the conflict for a person" grep -q 'data-kind="new_epoch"' <<<"$page"
check "hub page: the menu leads to it" grep -qF '<li><a href="/hub?lang=en">Region</a></li>' <<<"$page"
check "hub page: Swedish keeps the depot filter" grep -qF '<a href="?depot=ML&amp;lang=sv" hreflang="sv">Svenska</a>' <<<"$page"

stop ML; stop SK; stop hub
finish
