#!/usr/bin/env bash
# readonly_test.sh - the database's storage stops taking writes under a
# running wmsd, and later takes them again.  The database lives on a small
# ext4 image mounted in a private mount namespace (unshare -m, gone with the
# test); the fault is the kernel's: its file and write-ahead log are made
# immutable (chattr +i), so every write wmsd makes fails with EPERM until
# chattr -i.  (`mount -o remount,ro` cannot be the fault: the kernel refuses
# it with EBUSY while wmsd holds the database open for writing.)
# Scans during the fault get the bad signal and the station line "database
# is read-only: scan not recorded" (in the log and on the station screen's
# event stream, without an event id: nothing was journalled); wmsd neither
# dies nor spins (CPU time while idle); afterwards
# the same wmsd takes scans again; every acknowledged scan is in the ledger
# exactly once, no refused one is; integrity_check and db check are ok.
# Exit 77 (skipped) only when the kernel refuses the namespace or the mount.
# usage: readonly_test.sh PATH/TO/wmsd PATH/TO/wms [ROUNDS]
set -u
if [ -z "${WMS_RO_NS:-}" ]; then
  for t in unshare mount mkfs.ext4 chattr; do
    command -v "$t" >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
  done
  unshare -m --propagation private true 2>/dev/null ||
    { echo "SKIP: the kernel refuses a private mount namespace (unshare -m)"; exit 77; }
  WMS_RO_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
ROUNDS=${3:-2}
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  chattr -i "$db" "$db-wal" 2>/dev/null
  umount "$dir/mnt" 2>/dev/null
  cp "$log" /tmp/readonly.log 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
mkdir "$dir/mnt"
db=$dir/mnt/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log fifo=$dir/scan
truncate -s 64M "$dir/disk.img" && mkfs.ext4 -q -F "$dir/disk.img" ||
  { echo "FAIL: cannot make the ext4 image"; exit 1; }
mount -o loop "$dir/disk.img" "$dir/mnt" 2>"$dir/mount.err" ||
  { echo "SKIP: the kernel refuses a loop mount: $(cat "$dir/mount.err")"; exit 77; }
sql()   { sqlite3 "$db" "$@"; }
GS=$'\x1d'

"$WMS_BIN" --db "$db" product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || { bad setup; exit 1; }
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null
echo "pw-manager-12345" | "$WMS_BIN" --db "$db" user add maja --role manager >/dev/null || bad "user add"
mkfifo "$fifo" "$fifo.ack"
exec 3<>"$fifo.ack"
printf '[store]\ndatabase = %s\n[http]\nlisten = 127.0.0.1:0\n[station s]\nmode = receipt\nscanner = fifo:%s ack=%s\ndouble_read_ms = 0\n' \
  "$db" "$fifo" "$fifo.ack" >"$conf"
"$WMSD_BIN" -d -c "$conf" 2>"$log" &
pid=$!
wait_for 60 grep -q "ready:" "$log" || { bad "wmsd did not start: $(tail -3 "$log")"; exit 1; }
exec 4>"$fifo"
# the station's screen: its event stream (GET /stations/s/events), as a signed-in manager
base=http://127.0.0.1:$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
csrf=$(curl -s -c "$dir/jar" "$base/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"//')
check "login for the station screen" [ "$(curl -s -o /dev/null -w '%{http_code}' -c "$dir/jar" -b "$dir/jar" \
  "$base/login" --data-urlencode user=maja --data-urlencode password=pw-manager-12345 \
  --data-urlencode "csrf=$csrf")" = 303 ]

acked=() refused=() n=0
scan() {  # one new serial; its ack into acked/refused
  local a serial
  n=$((n + 1)); serial="RO-$n"
  printf ']d20109506000134352%s\n' "21$serial${GS}10L1" >&4
  if read -r -t 60 -u 3 a; then
    if [ "$a" = ok ]; then acked+=("$serial"); else refused+=("$serial"); fi
  else bad "no ack for $serial"; fi
}
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

for r in $(seq 1 "$ROUNDS"); do
  before=${#acked[@]}
  for _ in 1 2 3 4 5; do scan; done
  check "round $r: scans taken before the fault" [ $((${#acked[@]} - before)) -eq 5 ]

  screen=
  if [ "$r" = 1 ]; then   # the screen watches while the database is read-only
    curl -s -N -b "$dir/jar" --max-time 4 "$base/stations/s/events?after=999999" >"$dir/screen" 2>/dev/null &
    screen=$!
    wait_for 60 grep -q '^retry:' "$dir/screen"
  fi
  chattr +i "$db" "$db-wal" || { bad "chattr +i failed"; break; }
  before=${#refused[@]}
  for _ in 1 2 3 4 5; do scan; done
  if [ -n "$screen" ]; then
    wait "$screen"
    check "the station screen shows it 5 times: $(grep -m1 '^data:' "$dir/screen")" \
      [ "$(grep -c '^data: .*"ok":false.*"line":"refused: database is read-only: scan not recorded"' "$dir/screen")" -eq 5 ]
    check "with no event id (nothing journalled to resume from)" [ "$(grep -c '^id:' "$dir/screen")" -eq 0 ]
  fi
  check "round $r: every scan refused while read-only (${#refused[@]} refused in all)" \
    [ $((${#refused[@]} - before)) -eq 5 ]
  check "round $r: the station says so: $(grep -m1 'station s: refused' "$log")" \
    grep -q "station s: refused: database is read-only: scan not recorded" "$log"
  # a loop that spins takes a whole CPU; an idle one a sliver, on any machine's speed
  t0=$(cpu_ticks); sleep 2; t1=$(cpu_ticks)
  check "round $r: wmsd idles while read-only ($((t1 - t0)) of $((2 * hz)) ticks of CPU in 2 s)" [ $((t1 - t0)) -lt "$hz" ]
  check "round $r: wmsd survived" kill -0 "$pid"

  chattr -i "$db" "$db-wal"
  before=${#acked[@]}
  for _ in 1 2; do scan; done
  check "round $r: the same wmsd takes scans again once writable" [ $((${#acked[@]} - before)) -eq 2 ]
done
check "the log has the database's reason: $(grep -m1 'not journalled' "$log")" \
  grep -q "not journalled, refused: database is read-only while" "$log"

kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check "wmsd stopped cleanly (status $rc)" [ "$rc" -eq 0 ]
printf '%s\n' "${acked[@]}" >"$dir/acked"; printf '%s\n' "${refused[@]}" >"$dir/refused"
missing=$((${#acked[@]} - $(serials_in_ledger "$db" "$dir/acked")))
check "every acknowledged scan is in the ledger (${#acked[@]}, $missing missing)" [ "$missing" -eq 0 ]
check "once: one device and one receive event per acknowledged scan" \
  [ "$(sql "SELECT count(*) FROM events WHERE type = 'receive'") $(sql "SELECT count(*) FROM devices")" \
    = "${#acked[@]} ${#acked[@]}" ]
check "no refused scan left a device" \
  [ "$(serials_in_ledger "$db" "$dir/refused")" -eq 0 ]
check "integrity_check ok" [ "$(sql "PRAGMA integrity_check")" = ok ]
check "projections equal a rebuild" "$WMS_BIN" --db "$db" db check
echo "$ROUNDS read-only rounds: ${#acked[@]} scans acknowledged, ${#refused[@]} refused"
finish
