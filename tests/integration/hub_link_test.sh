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
PROXY=$(dirname "$0")/tcp_proxy.py
dir=$(mktemp -d)
declare -A pid=()
proxy_pid=
cleanup() {
  [ -n "$proxy_pid" ] && kill -CONT "$proxy_pid" 2>/dev/null && kill -KILL "$proxy_pid" 2>/dev/null
  for d in "${!pid[@]}"; do kill -KILL "${pid[$d]}" 2>/dev/null; done
  pg_stop immediate
  [ -n "${KEEP:-}" ] && echo "kept $dir" >&2 || rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB
pg_init "$dir"

# --- the link: a proxy on a port of its own choosing, started again on the same port
proxy_start() {
  rm -f "$dir/proxy.port"
  python3 "$PROXY" "${PPORT:-0}" "$PGPORT" "$dir/proxy.port" 2>>"$dir/proxy.log" &
  proxy_pid=$!
  wait_for 30 test -s "$dir/proxy.port" || bad "proxy started"
  PPORT=$(cat "$dir/proxy.port")
}
proxy_start
LINK="host=127.0.0.1 port=$PPORT user=wms dbname=postgres connect_timeout=3"

# --- two depots, one database each, each with its own wmsd shipping through the proxy
for d in ML SK; do
  db=$dir/$d.db
  "$WMS_BIN" --db "$db" product add BPM --name-sv B --name-en B --category HoS >/dev/null
  [ $d = SK ] && "$WMS_BIN" --db "$db" depot add SK --name "HMC Skövde" --default >/dev/null
  "$WMS_BIN" --db "$db" location add $d-A1 --name a --kind shelf >/dev/null
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

n=0
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
healed steady

# --- the link cut: the proxy stopped
kill -KILL "$proxy_pid"; wait "$proxy_pid" 2>/dev/null
check "cut: every scan at ML acknowledged" scans ML 5
check "cut: every scan at SK acknowledged" scans SK 5
check "cut: the hub is behind for ML" [ "$(hub_count ML)" -lt "$(local_count ML)" ]
check "cut: the hub is behind for SK" [ "$(hub_count SK)" -lt "$(local_count SK)" ]
check "cut: ML's wmsd backs off" wait_for 60 grep -q "hub shipping: .*next try" "$dir/ML.log"
check "cut: SK's wmsd backs off" wait_for 60 grep -q "hub shipping: .*next try" "$dir/SK.log"
proxy_start
healed "cut and healed"

# --- the link frozen: connections open, nothing moves
kill -STOP "$proxy_pid"
check "frozen: every scan at ML acknowledged" scans ML 5
check "frozen: every scan at SK acknowledged" scans SK 5
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

stop ML; stop SK
finish
