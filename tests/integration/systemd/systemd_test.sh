#!/usr/bin/env bash
# systemd_test.sh - wmsd as a systemd service: the unit, sysusers and
# tmpfiles entries pass systemd's own checks (systemd-analyze verify, the
# offline security score, systemd-sysusers and systemd-tmpfiles into a
# scratch root), and the daemon speaks the notify protocol: READY=1,
# STATUS=, WATCHDOG=1 at half the interval, RELOADING=1 then READY=1 on
# SIGHUP, STOPPING=1 on SIGTERM.
# usage: systemd_test.sh UNIT SYSTEMD_SRC_DIR WMSD NOTIFY_SINK
set -u
. "$(dirname "$0")/../lib.sh"
UNIT=$1 SRC=$2 WMSD_BIN=$3 SINK=$4
dir=$(mktemp -d)
pid= spid=
cleanup() {
  for p in $pid $spid; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$dir"
}
trap cleanup EXIT

# --- the unit, with ExecStart pointing at the binary under test
sed "s|^\(Exec[A-Za-z]*=\)[^ ]*/wmsd |\1$WMSD_BIN |" "$UNIT" >"$dir/wmsd.service"
check "ExecStart rewritten" grep -q "^ExecStart=$WMSD_BIN -c" "$dir/wmsd.service"
out=$(systemd-analyze verify --man=no "$dir/wmsd.service" 2>&1); rc=$?
check "systemd-analyze verify passes: $out" [ "$rc:$out" = "0:" ]
score=$(systemd-analyze security --offline=yes "$dir/wmsd.service" 2>&1 | sed -n 's/.*Overall exposure level for wmsd.service: \([0-9.]*\).*/\1/p')
check "exposure level at most 2.5 (got '$score')" awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.5) }'
for key in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes DevicePolicy=closed Type=notify WatchdogSec=; do
  check "unit has $key" grep -q "^$key" "$dir/wmsd.service"
done

# --- sysusers and tmpfiles applied to a scratch root
mkdir -p "$dir/root/etc" "$dir/root/var/lib" "$dir/root/run"
out=$(systemd-sysusers --root="$dir/root" "$SRC/wmsd.sysusers" 2>&1); rc=$?
check "systemd-sysusers accepts wmsd.sysusers: $out" [ "$rc" -eq 0 ]
check "user wmsd created" grep -q "^wmsd:" "$dir/root/etc/passwd"
check "group wmsd created" grep -q "^wmsd:" "$dir/root/etc/group"
out=$(systemd-tmpfiles --root="$dir/root" --create "$SRC/wmsd.tmpfiles" 2>&1); rc=$?
check "systemd-tmpfiles accepts wmsd.tmpfiles: $out" [ "$rc" -eq 0 ]
check "/var/lib/wmsd created 0750" [ "$(stat -c %a "$dir/root/var/lib/wmsd")" = 750 ]

# --- the notify protocol from a real wmsd
printf '[store]\ndatabase = %s/t.db\ncreate = yes\n' "$dir" >"$dir/wmsd.conf"
# the sink runs until killed: how many WATCHDOG=1 come in between depends on the speed
"$SINK" "$dir/notify" 100000 600 >"$dir/notify.log" &
spid=$!
wait_for 60 grep -q LISTENING "$dir/notify.log"
NOTIFY_SOCKET=$dir/notify WATCHDOG_USEC=400000 "$WMSD_BIN" -c "$dir/wmsd.conf" 2>"$dir/wmsd.log" &
pid=$!
got() { grep -q "^$1" "$dir/notify.log"; }
wait_got() { wait_for 60 got "$1"; }
check "READY=1" wait_got "READY=1"
check "STATUS= with the stations" wait_got "STATUS=0 of 0 stations open"
check "WATCHDOG=1 within the interval" wait_got "WATCHDOG=1"
kill -HUP "$pid"
check "RELOADING=1 on SIGHUP" wait_got "RELOADING=1"
readies() { [ "$(grep -c '^READY=1' "$dir/notify.log")" -ge 2 ]; }
check "READY=1 again after the reload" wait_for 60 readies
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check "clean exit on SIGTERM ($rc)" [ "$rc" -eq 0 ]
check "STOPPING=1" wait_got "STOPPING=1"

finish
