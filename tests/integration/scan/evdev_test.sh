#!/usr/bin/env bash
# evdev_test.sh - the evdev keyboard-wedge source under umockdev: key events
# replayed from evemu files into an emulated /dev/input/event5 are read by
# the real source through the same ops table wmsd uses.  US and Swedish
# layouts, GS from Ctrl+], autorepeat, lost events (SYN_DROPPED), an
# over-long scan, that the device is grabbed (EVIOCGRAB, seen by a shim of
# ours preloaded before umockdev's) and released, a device held by another
# program, an absent device and bad specs.
# usage: evdev_test.sh PATH/TO/source_replay PATH/TO/grab_shim.so
set -u
. "$(dirname "$0")/../lib.sh"
REPLAY=$1
SHIM=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0

if ! command -v umockdev-run >/dev/null; then
  echo "evdev_test: umockdev-run missing (Debian package umockdev; scripts/setup.sh installs it)" >&2
  exit 1
fi

cat > "$dir/dev.umockdev" <<'DEV'
P: /devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/0003:0C2E:0B61.0001/input/input5/event5
N: input/event5
E: DEVNAME=/dev/input/event5
E: MAJOR=13
E: MINOR=69
E: SUBSYSTEM=input
E: ID_INPUT=1
E: ID_INPUT_KEY=1
E: ID_INPUT_KEYBOARD=1
E: ID_SERIAL=Honeywell_Scanner
DEV

# --- evemu event writers: what a wedge scanner types
t=0
ev()      { t=$((t + 250)); printf 'E: %d.%06d %04x %04x %d\n' $((t / 1000000)) $((t % 1000000)) "$1" "$2" "$3"; }
syn()     { ev 0 0 0; }
key()     { ev 1 "$1" 1; syn; ev 1 "$1" 0; syn; }
shifted() { ev 1 42 1; syn; key "$1"; ev 1 42 0; syn; }
ctrl()    { ev 1 29 1; syn; key "$1"; ev 1 29 0; syn; }
enter()   { key 28; }
letter()  {  # Linux key code of a lower-case letter
  local row base keys pre
  for row in "16 qwertyuiop" "30 asdfghjkl" "44 zxcvbnm"; do
    base=${row%% *} keys=${row#* } pre=${keys%%"$1"*}
    if [ "$pre" != "$keys" ]; then echo $((base + ${#pre})); return; fi
  done
}
# type LAYOUT TEXT: '|' types GS (Ctrl+], the same key on both layouts)
type_text() {
  local layout=$1 s=$2 i c
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [a-z]) key "$(letter "$c")" ;;
      [A-Z]) shifted "$(letter "$(tr A-Z a-z <<<"$c")")" ;;
      [1-9]) key $((c + 1)) ;;
      0) key 11 ;;
      -) if [ "$layout" = sv ]; then key 53; else key 12; fi ;;
      :) if [ "$layout" = sv ]; then shifted 52; else shifted 39; fi ;;
      '|') ctrl 27 ;;
      *) echo "type_text: no key for '$c'" >&2; exit 2 ;;
    esac
  done
}

{
  echo "# EVEMU 1.2"
  type_text us "LOC:A-01-01"; enter
  type_text us "01095060001343521010D9T|2112345678"; enter
  type_text us "ORD:12"; ev 1 4 1; syn; ev 1 4 2; syn; ev 1 4 2; syn; ev 1 4 0; syn; enter   # 3 held: autorepeat
  type_text us "USR:an"; ev 0 3 0; type_text us "na"; enter                               # SYN_DROPPED
  type_text us "CMD:DONE"; enter
  for ((n = 0; n < 1100; n++)); do key 2; done; enter                                      # 1100 x "1"
} > "$dir/us.evemu"
{
  echo "# EVEMU 1.2"
  type_text sv "LOC:A-01-01"; enter
} > "$dir/sv.evemu"

# inside umockdev-run: our shim before umockdev's preload library (already in LD_PRELOAD)
export SHIM EVDEV_GRAB_LOG=$dir/grab.log
shim_first='export LD_PRELOAD="$SHIM:$LD_PRELOAD"; exec "$@"'
# run EVENTS SPEC COUNT: source_replay on the emulated device, the shim first
# EVENTS "-": no replay.  A case that never reads event5 (absent device, bad
# spec) must not replay into it: umockdev-run then waits at exit, forever
# under load, for its replay thread blocked writing into the unread device.
run() {
  local events=$1; shift
  local replay=(-e "/dev/input/event5=$events")
  [ "$events" = - ] && replay=()
  : > "$dir/grab.log"
  out=$(umockdev-run -d "$dir/dev.umockdev" "${replay[@]}" -- \
        sh -c "$shim_first" sh "$REPLAY" "$@" 1500 2>&1)
  rc=$?
}
has() { if grep -qF -- "$1" <<<"$out"; then ok; else bad "$2: output lacks '$1': $out"; fi; }

# --- US layout: six scans in order
run "$dir/us.evemu" "evdev:/dev/input/event5" 6
[ "$rc" -eq 0 ] && ok || bad "us: exit $rc: $out"
lines=$(grep -E '^(scan|fault)' <<<"$out")
[ "$(sed -n 1p <<<"$lines")" = 'scan location "LOC:A-01-01"' ] && ok || bad "us 1: $lines"
[ "$(sed -n 2p <<<"$lines")" = 'scan UDI "01095060001343521010D9T\x1d2112345678"' ] && ok || bad "us 2: $lines"
[ "$(sed -n 3p <<<"$lines")" = 'scan order "ORD:123"' ] && ok || bad "us 3 (autorepeat): $lines"
sed -n 4p <<<"$lines" | grep -q '^fault "USR:anna" keystrokes lost' && ok || bad "us 4 (SYN_DROPPED): $lines"
[ "$(sed -n 5p <<<"$lines")" = 'scan command "CMD:DONE"' ] && ok || bad "us 5: $lines"
sed -n 6p <<<"$lines" | grep -q '^fault "1111.*longer than 1024' && ok || bad "us 6 (over-long): $lines"
# grabbed at open, released at close
[ "$(tr '\n' ' ' < "$dir/grab.log")" = "grab 1 grab 0 " ] && ok || bad "grab log: $(cat "$dir/grab.log")"

# --- Swedish layout: the same label typed on a Swedish keyboard map
run "$dir/sv.evemu" "evdev:/dev/input/event5 layout=sv" 1
[ "$rc" -eq 0 ] && ok || bad "sv: exit $rc: $out"
has 'scan location "LOC:A-01-01"' "sv"
# ... and read with the wrong layout it is something else
run "$dir/sv.evemu" "evdev:/dev/input/event5 layout=us" 1
has 'scan text "LOC>A/01/01"' "sv keys on us"

# --- another program holds the device: refused, nothing read
: > "$dir/grab.log"
out=$(EVDEV_GRAB_BUSY=1 umockdev-run -d "$dir/dev.umockdev" -- \
      sh -c "$shim_first" sh "$REPLAY" "evdev:/dev/input/event5" 1 500 2>&1)
rc=$?
[ "$rc" -eq 5 ] && ok || bad "busy: exit $rc: $out"
has "cannot grab /dev/input/event5: another program holds it" "busy"
grep -q '^scan' <<<"$out" && bad "busy: read scans: $out" || ok

# --- absent device, bad specs
run - "evdev:/dev/input/event9" 1
[ "$rc" -eq 4 ] && ok || bad "absent: exit $rc: $out"
has "cannot open /dev/input/event9" "absent"
run - "evdev:/dev/input/event5 layout=de" 1
[ "$rc" -eq 7 ] && ok || bad "layout=de: exit $rc: $out"
has "layout=de is not known; allowed: us, sv" "layout=de"
run - "evdev:/tmp/event5" 1
[ "$rc" -eq 7 ] && ok || bad "not /dev/input: exit $rc: $out"
has "an input device path is needed" "not /dev/input"
run - "evdev:/dev/input/event5 baud=9600" 1
[ "$rc" -eq 7 ] && ok || bad "baud: exit $rc: $out"

echo "evdev_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
