#!/bin/sh
# gen-wms-man.sh WMS_BINARY SRC_DIR VERSION OUT: wms(1) from the hand-written
# head and tail and a COMMANDS section taken from the binary itself (in
# English: LC_ALL=C): every command of `wms --commands` with what
# `wms COMMAND --help` says: its arguments, what it does, each option with
# its text, and its example.  So the page lists exactly the commands and
# options the binary has.
set -eu
wms=$1 src=$2 version=$3 out=$4
# roff-escape: a leading dot, hyphens and backslashes
esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e 's/^\./\\\&./'; }
{
  sed "s/@VERSION@/$version/" "$src/wms.1.head"
  LC_ALL=C LANGUAGE= "$wms" --commands | while IFS= read -r name; do
    # shellcheck disable=SC2086
    LC_ALL=C LANGUAGE= "$wms" $name --help >"$out.cmd"
    usage=$(sed -n '1s/^usage: wms //p' "$out.cmd" | sed 's/ \[--.*//')
    printf '.TP\n.B %s\n' "$(printf '%s' "$usage" | esc)"
    # the description: from line 3 to the blank line before "options:"
    sed -n '3,/^$/p' "$out.cmd" | sed '/^$/d' | esc
    printf '.RS\n'
    sed -n '/^options:$/,/^$/p' "$out.cmd" | sed -e '1d' -e '/^$/d' | while IFS= read -r line; do
      opt=$(printf '%s\n' "$line" | sed -E 's/^  (--[a-z-]+( [^ ]+)?) {2,}.*/\1/')
      text=$(printf '%s\n' "$line" | sed -E 's/^  --[a-z-]+( [^ ]+)? {2,}//')
      printf '.TP\n.B %s\n%s\n' "$(printf '%s' "$opt" | esc)" "$(printf '%s' "$text" | esc)"
    done
    example=$(sed -n '/^example:$/{n;s/^  //p;}' "$out.cmd")
    if [ -n "$example" ]; then
      printf '.PP\nExample:\n.RS\n.nf\n%s\n.fi\n.RE\n' "$(printf '%s' "$example" | esc)"
    fi
    printf '.RE\n'
  done
  rm -f "$out.cmd"
  cat "$src/wms.1.tail"
} >"$out.tmp"
mv "$out.tmp" "$out"
