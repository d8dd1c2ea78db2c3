#!/usr/bin/env bash
# wmsd_usb_test.sh - wmsd end to end with two USB scanners emulated by
# umockdev (the real libusb in the real daemon): a Honeywell HID POS scanner
# (usb-pos, a UDI in two reports, a refused location label, a second UDI)
# and a boot-keyboard scanner on the Swedish layout (usb-kbd), both at a
# receipt station; then each is unplugged (the replay ends with -ENODEV)
# and the daemon carries on and stops cleanly.  Also `wmsd -n` on usb specs.
# One scanner per daemon run: umockdev's ioctl replay keeps one URB at a
# time per process, whichever device it belongs to (the keyboard scanner
# reads with transfers=1); the HID POS scanner is a pcap replay read with
# the default four URBs in flight.
# usage: wmsd_usb_test.sh PATH/TO/wmsd PATH/TO/wms FIXTURE_DIR
set -u
. "$(dirname "$0")/../lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
FIX=$3
dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log

sql()  { sqlite3 "$db" "$@"; }
in_log()       { grep -qF -- "$1" "$log"; }
journal_rows() { [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL" 2>/dev/null || echo 0)" -ge "$1" ]; }
res()          { sql "SELECT result FROM scan_journal WHERE station = '$1' ORDER BY id LIMIT 1 OFFSET $2"; }

cat >"$conf" <<CONF
[store]
database = $db

[station pos-in]
mode = receipt
scanner = usb-pos:0c2e:0b87 serial=HW-0001 profile=honeywell

[station kbd-in]
mode = receipt
scanner = usb-kbd:05e0:1200 keymap=sv
CONF

# --- the configuration check knows the kinds and refuses bad specs
out=$("$WMSD_BIN" -n -c "$conf" 2>&1); rc=$?
check "-n on usb stations: exit $rc, $out" [ "$rc" -eq 0 ]
sed 's/profile=honeywell/profile=acme/' "$conf" >"$dir/bad.conf"
out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
check "-n on a bad profile exits 7 and lists the profiles: $rc $out" \
  bash -c "[ $rc -eq 7 ] && grep -qF 'profile=acme: one of honeywell, zebra' <<<'$out'"
sed 's/05e0:1200 keymap=sv/5e0:1200/' "$conf" >"$dir/bad.conf"
out=$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1); rc=$?
check "-n on a bad VID:PID exits 7: $rc $out" \
  bash -c "[ $rc -eq 7 ] && grep -qF 'four hex digits each' <<<'$out'"

# --- the product the UDIs name
"$WMS_BIN" --db "$db" product add BPM --name-sv "Blodtrycksmätare" --name-en "Blood-pressure monitor" \
  --category HoS >/dev/null || bad "wms product add"
"$WMS_BIN" --db "$db" product add-gtin BPM 09506000134352 >/dev/null || bad "wms product add-gtin"
events_before=$(sql "SELECT count(*) FROM events")

# run_wmsd STATION SCANNER FIXTURE NODE: wmsd with one USB station under umockdev
run_wmsd() {
  cat >"$dir/one.conf" <<CONF
[store]
database = $db

[http]
listen = off

[station $1]
mode = receipt
scanner = $2
CONF
  : >"$log"
  # NODE: an ioctl replay (one URB at a time: transfers=1); a sysfs path: a pcap
  case $4 in
  /dev/*) replay=(-i "$4=$FIX/$3.ioctl") ;;
  *) replay=(-p "$4=$FIX/$3.pcap") ;;
  esac
  umockdev-run -d "$FIX/$3.umockdev" "${replay[@]}" -- "$WMSD_BIN" -d -c "$dir/one.conf" >"$log" 2>&1 &
  pid=$!
  wait_for 60 in_log "ready: 1 stations" || { bad "wmsd did not become ready"; cat "$log" >&2; exit 1; }
}

# stop: SIGTERM, exit status 0
stop() {
  kill -TERM "$pid"
  if wait_for 60 eval '! kill -0 '"$pid"' 2>/dev/null'; then
    wait "$pid"; local rc=$?
    check "wmsd exited $rc on SIGTERM" [ "$rc" -eq 0 ]
  else
    bad "wmsd still running 60 s after SIGTERM"; kill -KILL "$pid"
  fi
  pid=
}

# --- the HID POS scanner scans three times, then is unplugged
# (four transfers in flight, the default: the pcap replay goes on only with as many)
run_wmsd pos-in "usb-pos:0c2e:0b87 serial=HW-0001 profile=honeywell" wmsd-pos \
  /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1
wait_for 60 journal_rows 3 || bad "journal rows: $(sql 'SELECT count(*) FROM scan_journal')"
sleep 0.5   # nothing more may come (a window for a wrong extra scan: a slow machine only misses it)
check "3 scans journalled: $(sql 'SELECT count(*) FROM scan_journal')" \
  [ "$(sql 'SELECT count(*) FROM scan_journal')" -eq 3 ]
check "pos: UDI in two reports received: $(res pos-in 0)" grep -q "^ok: SN-U1 received" <<<"$(res pos-in 0)"
check "pos: raw bytes carry the AIM id" \
  [ "$(sql "SELECT substr(CAST(raw AS TEXT), 1, 3) FROM scan_journal WHERE station = 'pos-in' ORDER BY id LIMIT 1")" = "]C1" ]
check "pos: location label refused in receipt: $(res pos-in 1)" grep -q "^refused: receipt expects" <<<"$(res pos-in 1)"
check "pos: next UDI received: $(res pos-in 2)" grep -q "^ok: SN-U3 received" <<<"$(res pos-in 2)"
check "still running with the scanner unplugged" kill -0 "$pid"
stop

# --- the keyboard scanner (Swedish layout, GS as Alt+029) scans once, then is unplugged
run_wmsd kbd-in "usb-kbd:05e0:1200 keymap=sv transfers=1" wmsd-kbd /dev/bus/usb/001/003
wait_for 60 journal_rows 4 || bad "journal rows: $(sql 'SELECT count(*) FROM scan_journal')"
sleep 0.5
check "kbd: UDI typed on the Swedish layout received: $(res kbd-in 0)" grep -q "^ok: SN-U2 received" <<<"$(res kbd-in 0)"
check "4 scans journalled in all" [ "$(sql 'SELECT count(*) FROM scan_journal')" -eq 4 ]
check "three receive events" [ "$(sql 'SELECT count(*) FROM events')" -eq $((events_before + 3)) ]
show=$("$WMS_BIN" --db "$db" device show SN-U1 2>&1)
check "SN-U1 received with its expiry: $show" \
  bash -c "grep -qE '^state +received' <<<'$show' && grep -qE '^expiry +2030-06-30' <<<'$show'"
show=$("$WMS_BIN" --db "$db" device show SN-U2 2>&1)
check "SN-U2 received from the keyboard scanner" grep -qE "^state +received" <<<"$show"
stop

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || { cat "$log" >&2; exit 1; }
