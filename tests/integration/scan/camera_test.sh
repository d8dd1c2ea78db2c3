#!/usr/bin/env bash
# camera_test.sh - the V4L2 camera source end to end without a camera: a
# preloaded stand-in for the driver (v4l2_fake.so: umockdev cannot script
# VIDIOC_* ioctls) plays frames rendered by libzint; the real source
# negotiates the format, streams mmap buffers, decodes with ZBar/libdmtx and
# debounces.  GREY and YUYV, a barcode held over several frames is one
# scan, a station's expected symbols (one by default: a frame with a Code 128
# and a DataMatrix gives the Code 128; `symbols = all` both), a camera
# without the requested format, an absent device.  libdmtx gets a budget of
# a second so that a busy machine does not decide the outcome.
# usage: camera_test.sh PATH/TO/source_replay PATH/TO/v4l2_fake.so PATH/TO/barcode_png
set -u
. "$(dirname "$0")/../lib.sh"
REPLAY=$1
FAKE=$2
PNG=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:verify_asan_link_order=0

"$PNG" "$dir/udi.pgm" gs1-datamatrix '[01]09506000134352[17]301231[10]10D9T[21]12345678' 4 || bad "render udi"
"$PNG" "$dir/loc.pgm" code128 'LOC:A-01-01' 1 || bad "render loc"
printf 'P5\n1 1\n255\n\377' > "$dir/blank.pgm"

# cam OFFER FRAMES SPEC COUNT: source_replay with the fake driver preloaded,
# waiting WAIT_MS (default 1500) for COUNT scans: the cases that expect fewer
# wait all of it, those that expect COUNT end when they have them
cam() {
  local offer=$1 frames=$2; shift 2
  out=$(LD_PRELOAD="$FAKE" FAKE_V4L2_DEV=/dev/video42 FAKE_V4L2_OFFER=$offer FAKE_V4L2_SIZE=640x480 \
        FAKE_V4L2_FRAMES="$frames" "$REPLAY" "$@" "${WAIT_MS:-1500}" 2>&1)
  rc=$?
}
scans() { grep -c '^scan' <<<"$out"; }
has() { if grep -qF -- "$1" <<<"$out"; then ok; else bad "$2: output lacks '$1': $out"; fi; }

U=$dir/udi.pgm L=$dir/loc.pgm B=$dir/blank.pgm
# held over three frames: one scan; then a location; the UDI again within hold_ms: nothing
cam GREY "$U,$U,$U,$L,$U" "camera:/dev/video42 width=640 height=480 format=GREY interval_ms=0 hold_ms=60000 budget_ms=1000" 3
[ "$rc" -eq 1 ] && ok || bad "held: exit $rc (wanted 1: fewer than 3 scans): $out"
[ "$(scans)" -eq 2 ] && ok || bad "held: $(scans) scans, wanted 2: $out"
[ "$(grep '^scan' <<<"$out" | head -1)" = 'scan UDI "]d20109506000134352173012311010D9T\x1d2112345678"' ] && ok || bad "held 1: $out"
[ "$(grep '^scan' <<<"$out" | sed -n 2p)" = 'scan location "]C0LOC:A-01-01"' ] && ok || bad "held 2: $out"
# taken away (a blank frame) and shown again after hold_ms: a new scan
cam GREY "$U,$B,$B,$U" "camera:/dev/video42 format=GREY interval_ms=0 hold_ms=1 budget_ms=1000" 2
[ "$rc" -eq 0 ] && ok || bad "again: exit $rc: $out"
[ "$(scans)" -eq 2 ] && ok || bad "again: $(scans) scans, wanted 2: $out"
# a Code 128 and a DataMatrix in one frame: one symbol expected (the default),
# ZBar's Code 128, libdmtx not run; symbols = all (wmsd hands the station's key
# over) or 2: both
cam GREY "$L+$U" "camera:/dev/video42 format=GREY interval_ms=0 budget_ms=1000" 2
[ "$rc" -eq 1 ] && ok || bad "one expected: exit $rc (wanted 1: a single scan): $out"
[ "$(scans)" -eq 1 ] && ok || bad "one expected: $(scans) scans, wanted 1: $out"
has 'scan location "]C0LOC:A-01-01"' "one expected"
# (every symbol: libdmtx searches on for more after the DataMatrix until its
# budget, a second of CPU time, which is more under ASan on a busy machine)
for n in all 2; do
  WAIT_MS=30000 SOURCE_REPLAY_SYMBOLS=$n cam GREY "$L+$U" "camera:/dev/video42 format=GREY interval_ms=0 budget_ms=1000" 2
  [ "$rc" -eq 0 ] && ok || bad "symbols $n: exit $rc: $out"
  has 'scan location "]C0LOC:A-01-01"' "symbols $n"
  has 'scan UDI "]d20109506000134352173012311010D9T\x1d2112345678"' "symbols $n"
done
SOURCE_REPLAY_SYMBOLS=17 cam GREY "$L" "camera:/dev/video42 format=GREY" 1
[ "$rc" -eq 7 ] && ok || bad "symbols 17: exit $rc: $out"
has "allowed 1..16 or all" "symbols 17"
# YUYV: the Y bytes are the image
cam YUYV "$L" "camera:/dev/video42 format=YUYV interval_ms=0" 1
[ "$rc" -eq 0 ] && ok || bad "yuyv: exit $rc: $out"
has 'scan location "]C0LOC:A-01-01"' "yuyv"
# a camera that only has YUYV, asked for GREY
cam YUYV "$L" "camera:/dev/video42 format=GREY" 1
[ "$rc" -eq 7 ] && ok || bad "no GREY: exit $rc: $out"
has "cannot deliver format=GREY (it offers YUYV); allowed: GREY, YUYV" "no GREY"
# absent device: the daemon retries
cam GREY "$L" "camera:/dev/video43" 1
[ "$rc" -eq 4 ] && ok || bad "absent: exit $rc: $out"
has "cannot open /dev/video43" "absent"
cam GREY "$L" "camera:/dev/video42 format=MJPG" 1
[ "$rc" -eq 7 ] && ok || bad "MJPG: exit $rc: $out"

echo "camera_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
