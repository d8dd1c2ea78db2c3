#!/bin/sh
# gen-wms-man.sh WMS_BINARY SRC_DIR VERSION OUT: wms(1) from the hand-written
# head and tail and the COMMANDS section taken from `wms --help`, so that the
# page lists exactly the commands the binary has (in English: LC_ALL=C).
set -eu
wms=$1 src=$2 version=$3 out=$4
{
  sed "s/@VERSION@/$version/" "$src/wms.1.head"
  LC_ALL=C "$wms" --help | sed -n '/^commands:/,$p' | sed 1d | while IFS= read -r line; do
    [ -n "$line" ] || continue
    name=$(printf '%s\n' "$line" | sed -E 's/^  ([^ ]+( [a-z-]+)?) {2,}.*/\1/')
    help=$(printf '%s\n' "$line" | sed -E 's/^  [^ ]+( [a-z-]+)? {2,}//')
    printf '.TP\n.B %s\n%s\n' "$(printf '%s' "$name" | sed 's/-/\\-/g')" "$(printf '%s' "$help" | sed 's/^\./\\\&./; s/-/\\-/g')"
  done
  cat "$src/wms.1.tail"
} >"$out.tmp"
mv "$out.tmp" "$out"
