#!/usr/bin/env bash
# hub_test.sh - central reporting on a real PostgreSQL (issue 18, phase 2):
# two depots (ML, SK: one database each) ship their ledgers with `wms hub
# ship`; shipping again adds nothing; the link down (a closed port) loses
# nothing and the next ship catches up with no gap and no duplicate; a serial
# received at both depots is exactly one conflict, also when both ship it at
# the same moment (five rounds); a depot restored from an
# older backup starts a new epoch by itself (the shipped mark beside its
# database), and without the mark is refused by the hub (a key conflict,
# nothing overwritten); hub_events refuses UPDATE and DELETE.
# Then wmsd ships by itself from its worker thread ([central] conninfo) while
# scans go on, and catches up after the hub was stopped and started again.
# usage: hub_test.sh PATH/TO/wms PATH/TO/wmsd
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1 WMSD_BIN=$2
. "$(dirname "$0")/pg.sh"
wmsd_pid=
dir=$(mktemp -d)
cleanup() {
  if [ -n "$wmsd_pid" ] && kill -0 "$wmsd_pid" 2>/dev/null; then kill -KILL "$wmsd_pid"; fi
  pg_stop immediate
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB
pg_init "$dir"

ml=$dir/ml.db sk=$dir/sk.db
wml() { "$WMS_BIN" --db "$ml" "$@"; }
wsk() { "$WMS_BIN" --db "$sk" "$@"; }
for w in wml wsk; do
  $w product add BPM --name-sv B --name-en B --category HoS >/dev/null
  $w customer add VC --name "VC" --kind region >/dev/null
done
wsk depot add SK --name "HMC Skövde" --default >/dev/null || bad "SK's own database: depot SK"
wml location add ML-A1 --name a --kind shelf >/dev/null
wsk location add SK-A1 --name a --kind shelf >/dev/null
scan() { # DB-FUNCTION SERIAL SHELF HOUR
  $1 receive "$2" --product BPM --at "2026-03-02T$4:00" >/dev/null &&
  $1 move "$2" --location "$3" --at "2026-03-02T$4:10" >/dev/null || bad "$1 $2 scanned"
}
for i in 1 2 3; do scan wml "ML-$i" ML-A1 "0$i"; scan wsk "SK-$i" SK-A1 "0$i"; done
wml order create O-ML-1 --customer VC --product BPM --mode home --at 2026-03-02T09:00 >/dev/null
wml allocate O-ML-1 --at 2026-03-02T09:10 >/dev/null || bad "allocate"
wml order create O-ML-P --customer VC --product BPM --mode home --at 2026-03-02T09:20 \
  --patient-ref PAT-4711 --patient-name "Ada Lund" --patient-address "Storgatan 1" --patient-phone 0701234567 \
  >/dev/null || bad "order with a patient"

# --- steady shipping, then again: nothing twice
expect 0 "^9 events shipped to the hub \(depot ML, epoch [0-9a-f]{16}\)" -- --db "$ml" hub ship --conninfo "$CONN"
expect 0 "^6 events shipped to the hub \(depot SK" -- --db "$sk" hub ship --conninfo "$CONN"
expect 0 "^0 events shipped" -- --db "$ml" hub ship --conninfo "$CONN" --batch 2
check "hub holds 15 events" [ "$(psql_ "SELECT count(*) FROM hub_events")" = 15 ]
check "the order with a patient is on the hub" [ "$(psql_ "SELECT count(*) FROM hub_events WHERE order_number = 'O-ML-P'")" = 1 ]
check "nothing of the patient on the hub" [ "$(psql_ "SELECT count(*) FROM hub_events WHERE body::text ~ '(PAT-4711|Ada Lund|Storgatan|0701234567|patient)'")" = 0 ]
check "events carry codes, not row ids" [ "$(psql_ "SELECT body->'payload'->>'product' FROM hub_events WHERE depot = 'ML' AND seq = 1")" = BPM ]

# --- link down: both depots keep scanning; nothing shipped, nothing lost
DOWN="host=127.0.0.1 port=1 user=wms dbname=postgres connect_timeout=2"
for i in 4 5 6 7; do scan wml "ML-$i" ML-A1 1$i; scan wsk "SK-$i" SK-A1 1$i; done
# the same serial received at both depots while cut off
wml receive DUP-1 --product BPM --at 2026-03-02T18:00 >/dev/null
wsk receive DUP-1 --product BPM --at 2026-03-02T18:05 >/dev/null
expect 1 "hub: cannot connect" -- --db "$ml" hub ship --conninfo "$DOWN"
check "nothing arrived while down" [ "$(psql_ "SELECT count(*) FROM hub_events")" = 15 ]
# --- heal, in small batches: every event once, no gap
expect 0 "^9 events shipped" -- --db "$ml" hub ship --conninfo "$CONN" --batch 2
expect 0 "^9 events shipped" -- --db "$sk" hub ship --conninfo "$CONN" --batch 3
check "per depot: count = highest sequence (no gap, no duplicate)" \
  [ "$(psql_ "SELECT bool_and(n = top) FROM (SELECT count(*) n, max(seq) top FROM hub_events GROUP BY depot, epoch) x")" = t ]
check "hub = each depot's ledger" [ "$(psql_ "SELECT count(*) FROM hub_events WHERE depot = 'ML'")" = "$(sqlite3 "$ml" "SELECT count(*) FROM events")" ]
check "a serial received at both depots is exactly one conflict" \
  [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'serial_twice' AND serial = 'DUP-1'")" = 1 ]
expect 0 "^0 events shipped" -- --db "$sk" hub ship --conninfo "$CONN"
check "still one conflict after shipping again" [ "$(psql_ "SELECT count(*) FROM hub_conflicts")" = 1 ]

check "hub status: per depot, the last event it holds" \
  [ "$("$WMS_BIN" --db "$ml" hub status --conninfo "$CONN" --json | jq '[.[] | select(.depot == "ML")][0].seq')" = "$(sqlite3 "$ml" "SELECT max(id) FROM events")" ]
# --- the hub's ledger is append-only
check "UPDATE refused" bash -c "! '$PGBIN/psql' -X -q '$CONN' -c \"UPDATE hub_events SET type = 'x'\" 2>/dev/null"
check "DELETE refused" bash -c "! '$PGBIN/psql' -X -q '$CONN' -c 'DELETE FROM hub_events' 2>/dev/null"

# --- a depot restored from an older backup: its next events would reuse sequences
sqlite3 "$sk" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$sk" "$dir/sk-backup.db"
scan wsk SK-8 SK-A1 20
expect 0 "^2 events shipped" -- --db "$sk" hub ship --conninfo "$CONN"
cp "$dir/sk-backup.db" "$sk"; rm -f "$sk-wal" "$sk-shm"
scan wsk SK-9 SK-A1 21
# without the shipped mark beside the database (lost with the disk), the hub refuses
mv "$sk.shipped" "$dir/sk.shipped"
expect 6 "differs from the one the hub holds; a restored depot needs a new epoch" -- --db "$sk" hub ship --conninfo "$CONN"
check "nothing overwritten" [ "$(psql_ "SELECT body->>'serial' FROM hub_events WHERE depot = 'SK' AND seq = (SELECT max(seq) FROM hub_events WHERE depot = 'SK')")" = SK-8 ]
check "the conflict is listed for a person" [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'key' AND depot = 'SK'")" = 1 ]
# with the mark, the restore is found at once: a new epoch, its whole ledger shipped
mv "$dir/sk.shipped" "$sk.shipped"
expect 0 "restored from an older backup\?\): new ledger epoch [0-9a-f]{16}" -- --db "$sk" hub ship --conninfo "$CONN"
check "the new epoch holds the restored depot's whole ledger" \
  [ "$(psql_ "SELECT count(*) FROM hub_events WHERE depot = 'SK' AND epoch = '$(sqlite3 "$sk" "SELECT value FROM ledger_meta")'")" = "$(sqlite3 "$sk" "SELECT count(*) FROM events")" ]
check "the new epoch is listed for a person" [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'new_epoch' AND depot = 'SK'")" = 1 ]
expect 0 "^0 events shipped" -- --db "$sk" hub ship --conninfo "$CONN"
expect 0 "new ledger epoch [0-9a-f]{16}" -- --db "$sk" hub new-epoch
expect 0 "events shipped to the hub \(depot SK" -- --db "$sk" hub ship --conninfo "$CONN"
check "a manual new epoch ships the whole ledger too" \
  [ "$(psql_ "SELECT count(*) FROM hub_events WHERE depot = 'SK' AND epoch = '$(sqlite3 "$sk" "SELECT value FROM ledger_meta")'")" = "$(sqlite3 "$sk" "SELECT count(*) FROM events")" ]

# --- the same serial shipped by both depots at the same moment: exactly one conflict.
# A session of the test holds hub_conflicts (every finding writes there) while
# both depots ship; once both wait for it, it lets go and both go on at once.
coproc HOLD { "$PGBIN/psql" -X -q -A -t "$CONN" 2>&1; }
waiting() { [ "$(psql_ "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query NOT LIKE '%pg_stat_activity%'")" -ge 2 ]; }
for r in 1 2 3 4 5; do
  wml receive "AT-ONCE-$r" --product BPM --at "2026-03-03T0$r:00" >/dev/null || bad "ML receives AT-ONCE-$r"
  wsk receive "AT-ONCE-$r" --product BPM --at "2026-03-03T0$r:00" >/dev/null || bad "SK receives AT-ONCE-$r"
  echo "BEGIN; LOCK TABLE hub_conflicts IN EXCLUSIVE MODE; SELECT 'held';" >&"${HOLD[1]}"
  read -r held <&"${HOLD[0]}"; [ "$held" = held ] || bad "the test holds hub_conflicts: $held"
  "$WMS_BIN" --db "$ml" hub ship --conninfo "$CONN" >"$dir/ship-ml" 2>&1 & a=$!
  "$WMS_BIN" --db "$sk" hub ship --conninfo "$CONN" >"$dir/ship-sk" 2>&1 & b=$!
  check "round $r: both depots' batches wait at the hub together" wait_for 60 waiting
  echo "COMMIT;" >&"${HOLD[1]}"
  wait "$a" && wait "$b" || bad "round $r: both shipped: $(cat "$dir/ship-ml" "$dir/ship-sk")"
  check "round $r: shipped at once, exactly one conflict" \
    [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'serial_twice' AND serial = 'AT-ONCE-$r'")" = 1 ]
done
echo '\q' >&"${HOLD[1]}"; wait "$HOLD_PID" 2>/dev/null

# --- wmsd ships by itself, beside scanning; the hub down and up again loses nothing
cat >"$dir/ml.conf" <<CONF
[store]
database = $ml
[http]
listen = 127.0.0.1:0
[central]
conninfo = $CONN
batch = 3
CONF
"$WMSD_BIN" -d -c "$dir/ml.conf" >"$dir/wmsd.log" 2>&1 &
wmsd_pid=$!
hub_has() { [ "$(psql_ "SELECT count(*) FROM hub_events WHERE depot = 'ML' AND epoch = '$(sqlite3 "$ml" "SELECT value FROM ledger_meta")'" 2>/dev/null)" = "$(sqlite3 "$ml" "SELECT count(*) FROM events")" ]; }
scan wml ML-20 ML-A1 20
check "wmsd shipped the new events itself" wait_for 60 hub_has
pg_stop
scan wml ML-21 ML-A1 21
scan wml ML-22 ML-A1 22
check "scans acknowledged while the hub is down" [ "$(sqlite3 "$ml" "SELECT count(*) FROM devices WHERE serial IN ('ML-21','ML-22')")" = 2 ]
check "wmsd noticed the hub down" wait_for 60 grep -q "hub shipping: .*next try" "$dir/wmsd.log"
pg_start || bad "pg restart"
check "wmsd caught up after the hub came back" wait_for 120 hub_has
check "still no gap, no duplicate" \
  [ "$(psql_ "SELECT bool_and(n = top) FROM (SELECT count(*) n, max(seq) top FROM hub_events GROUP BY depot, epoch) x")" = t ]
kill -TERM "$wmsd_pid"; wait "$wmsd_pid" 2>/dev/null; wmsd_pid=
finish
