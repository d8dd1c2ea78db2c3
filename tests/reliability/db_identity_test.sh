#!/usr/bin/env bash
# db_identity_test.sh - an operator's mistakes with the database file under a
# running wmsd: a second wmsd on the same database refuses to start naming
# the first one's pid (and `wms` keeps working); a missing database is not
# created without --init; the database deleted (rm wms.db*) or replaced with
# its old -wal/-shm left in place (mv backup.db wms.db): no scan is
# acknowledged after it, wmsd stops with an error, and at restart the
# restored file is intact (integrity, foreign keys, projections) and holds
# nothing of the old log; `wms db backup` while wmsd runs, `wms db restore`
# refused while it runs and working once it stopped.
# usage: db_identity_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  jobs -p | xargs -r kill -KILL 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/wms.db conf=$dir/wmsd.conf log=$dir/wmsd.log
sql() { sqlite3 "$db" "$@"; }
GS=$'\x1d'
mkfifo "$dir/scan" "$dir/ack"
printf '[store]\ndatabase = %s\n[http]\nlisten = off\n[station s]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n' \
  "$db" "$dir/scan" "$dir/ack" >"$conf"

in_log() { grep -qF -- "$1" "$log"; }
start() {
  : >"$log"
  "$WMSD_BIN" -d -c "$conf" "$@" >>"$log" 2>&1 &
  pid=$!
  wait_for 60 in_log "ready:" || { bad "wmsd did not become ready: $(cat "$log")"; exit 1; }
}
# gone: wmsd has exited; its status in $rc
gone() { ! kill -0 "$pid" 2>/dev/null; }
reap() { wait_for 30 gone; wait "$pid"; rc=$?; pid=; }
# scan SERIAL: one receipt scan; the ack line in $ack ("" when none within 10 s)
exec 4<>"$dir/scan" 5<>"$dir/ack"
scan() {
  ack=
  printf ']d20109506000134352%s\n' "21$1${GS}10L1" >&4
  read -r -t 10 -u 5 ack
}

# --- never created without being told
out=$("$WMSD_BIN" -d -c "$conf" 2>&1); rc=$?
check "wmsd refuses a missing database (exit $rc)" [ "$rc" -ne 0 ]
check "the refusal says how to create one: $out" grep -q -- "--init" <<<"$out"
check "nothing was created" [ ! -e "$db" ]
start --init
check "--init creates the database" [ -s "$db" ]
"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || bad "wms product add while wmsd runs"
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "wms product add-gtin"
for n in 1 2 3; do scan "A$n"; check "scan A$n acknowledged ($ack)" [ "$ack" = ok ]; done

# --- a second wmsd on the same database
out=$(timeout 30 "$WMSD_BIN" -d -c "$conf" 2>&1); rc=$?
check "a second wmsd refuses to start (exit $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check "it names the first one's pid $pid: $out" grep -q "in use by wmsd (pid $pid)" <<<"$out"
check "the first one still acknowledges" bash -c 'true'
scan A4; check "scan A4 acknowledged after the second start ($ack)" [ "$ack" = ok ]
check "wms works beside wmsd" "$WMS_BIN" --db "$db" device show A4
expect 6 "wmsd is running.*pid $pid" -- --db "$db" db restore "$dir/none.db"

# --- a backup while wmsd runs, and the restore refused
expect 0 "backup written" -- --db "$db" db backup "$dir/backup.db"
expect 5 "exists" -- --db "$db" db backup "$dir/backup.db"
check "the backup is a sound database" [ "$(sqlite3 "$dir/backup.db" "PRAGMA integrity_check")" = ok ]
check "the backup holds the 4 devices" [ "$(sqlite3 "$dir/backup.db" "SELECT count(*) FROM devices")" -eq 4 ]
check "the backup needs no -wal" [ ! -e "$dir/backup.db-wal" ]
for n in 5 6; do scan "A$n"; check "scan A$n acknowledged ($ack)" [ "$ack" = ok ]; done

# --- replaced under the running daemon, the old -wal/-shm left in place
cp "$dir/backup.db" "$dir/restore.db"
check "the old log is there" [ -s "$db-wal" ]
mv "$dir/restore.db" "$db"
scan B1
check "no ok after the database was replaced ($ack)" [ "$ack" = bad ]
reap
check "wmsd stops with an error (exit $rc)" [ "$rc" -ne 0 ]
check "it says why" in_log "was replaced while open"
start
check "the stale log was moved aside" in_log "moved aside"
check "restored file: integrity ok" [ "$(sql "PRAGMA integrity_check")" = ok ]
check "restored file: foreign keys ok" [ -z "$(sql "PRAGMA foreign_key_check")" ]
check "restored file holds the backup's 4 devices, nothing of the old log" \
  [ "$(sql "SELECT count(*) FROM devices")" -eq 4 ]
check "B1 is nowhere" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'B1'")" -eq 0 ]
scan C1; check "scans are acknowledged on the restored file ($ack)" [ "$ack" = ok ]
check "and land in it" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'C1'")" -eq 1 ]

# --- deleted under the running daemon
rm -f "$db" "$db-wal" "$db-shm"
scan D1
check "no ok after the database was deleted ($ack)" [ "$ack" = bad ]
reap
check "wmsd stops with an error (exit $rc)" [ "$rc" -ne 0 ]
check "it says why" in_log "was deleted while open"
out=$("$WMSD_BIN" -d -c "$conf" 2>&1); rc=$?
check "a restart does not create an empty database (exit $rc)" [ "$rc" -ne 0 ] && [ ! -e "$db" ]

# --- the documented way back: wms db restore, while no wmsd runs
expect 0 "restored" -- --db "$db" db restore "$dir/backup.db"
out=$("$WMS_BIN" --db "$db" db check 2>&1)
check "db check after the restore: $out" "$WMS_BIN" --db "$db" db check
check "the restore holds the backup's 4 devices" [ "$(sql "SELECT count(*) FROM devices")" -eq 4 ]
start
scan E1; check "scans are acknowledged after the restore ($ack)" [ "$ack" = ok ]
kill -TERM "$pid"; reap
check "clean stop ($rc)" [ "$rc" -eq 0 ]
out=$("$WMS_BIN" --db "$db" db check 2>&1)
check "db check at the end: $out" "$WMS_BIN" --db "$db" db check

# --- ownership (as root only: the daemon's user is played by nobody)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$dir"
  mkdir "$dir/lib"; chown nobody "$dir/lib"
  "$WMS_BIN" --db "$dir/lib/wms.db" db migrate >/dev/null || bad "wms db migrate as root"
  check "a database root creates belongs to its directory's owner" \
    [ "$(stat -c %U "$dir/lib/wms.db")" = nobody ]
  mkdir "$dir/rootdb"
  "$WMS_BIN" --db "$dir/rootdb/wms.db" db migrate >/dev/null
  chown nobody "$dir/rootdb"          # the directory is the daemon's, the file root's
  printf '[store]\ndatabase = %s\n[http]\nlisten = off\n' "$dir/rootdb/wms.db" >"$dir/ro.conf"
  chmod 644 "$dir/ro.conf"
  out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$WMSD_BIN" -d -c "$dir/ro.conf" 2>&1); rc=$?
  check "wmsd refuses a database it may not write (exit $rc)" [ "$rc" -ne 0 ]
  check "naming its owner and mode: $out" grep -q "read-only for this process.*belongs to uid 0.*mode 0644" <<<"$out"
  check "and is never ready" bash -c '! grep -q "ready:" <<<"$1"' _ "$out"
else
  echo "ownership checks skipped: not root"
fi
finish
