#!/usr/bin/env bash
# conf_example_test.sh - the configuration's documentation is in step with the
# parsers: `wmsd -n` accepts docs/wmsd.conf.example as it is and with every
# commented "; [section]" / "; key = value" line made live, and the EXAMPLE of
# wmsd.conf(5); every section and key that the parsers allow (as their own
# "allowed: ..." refusals list them) is documented in wmsd.conf(5) and shown in
# the example; the page renders without groff warnings.
# usage: conf_example_test.sh PATH/TO/wmsd SRCDIR
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
src=$2
example=$src/docs/wmsd.conf.example
page=$src/docs/man/wmsd.conf.5
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export LC_ALL=C.UTF-8

# wmsd -n on FILE: "configuration OK", exit 0
conf_ok() {
  local out rc
  out=$("$WMSD_BIN" -n -c "$1" 2>&1); rc=$?
  if [ "$rc" -eq 0 ] && grep -q "configuration OK" <<<"$out"; then ok; else bad "wmsd -n $2: exit $rc: $out"; fi
}

conf_ok "$example" "docs/wmsd.conf.example"

# every commented section header and key made live
sed -E 's/^; ?(\[[^]]+\]|[a-z_]+ = )/\1/' "$example" > "$dir/live.conf"
n=$(grep -cE '^(\[[^]]+\]|[a-z_]+ = )' "$dir/live.conf")
check "the example shows keys to uncomment ($n lines)" test "$n" -gt 60
conf_ok "$dir/live.conf" "the example with every key uncommented"

# the EXAMPLE of the man page, unescaped
sed -n '/^\.SH EXAMPLE/,/^\.fi/p' "$page" | sed -e '1,2d' -e '$d' \
  | sed -e 's/\\-/-/g' -e 's/\\(:a/ä/g' -e 's/\\(:o/ö/g' -e 's/\\(oa/å/g' > "$dir/man.conf"
check "wmsd.conf(5) has an EXAMPLE" grep -q '^\[store\]' "$dir/man.conf"
conf_ok "$dir/man.conf" "the EXAMPLE of wmsd.conf(5)"

# The parsers' own lists: an unknown section, and an unknown key in each section.
allowed() { sed -nE 's/.*; allowed: (.*)$/\1/p' <<<"$1" | sed -e 's/, /\n/g'; }
printf '[no-such-section]\nkey = 1\n' > "$dir/bad.conf"
sections=$(allowed "$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1)")
check "wmsd -n lists the sections it allows" test "$(wc -l <<<"$sections")" -ge 13
while read -r section; do
  [ -n "$section" ] || continue
  header=${section/NAME/x}; header=${header/CODE/X}   # [depot CODE]: named by the depot's code
  grep -qF ".SS [$section]" "$page" && ok || bad "wmsd.conf(5) lacks section [$section]"
  pat=${section/ NAME/ [^]]+}; pat=${pat/ CODE/ [^]]+}
  grep -qE "^(; ?)?\[$pat\]" "$example" && ok || bad "wmsd.conf.example lacks section [$section]"
  printf '[%s]\nno_such_key = 1\n' "$header" > "$dir/bad.conf"
  keys=$(allowed "$("$WMSD_BIN" -n -c "$dir/bad.conf" 2>&1)")
  [ -n "$keys" ] && ok || bad "wmsd -n names no allowed keys for [$section]"
  for key in $keys; do
    grep -qE "^\.BI? \"?$key(\$| = )" "$page" && ok || bad "wmsd.conf(5) does not document $key of [$section]"
    grep -qE "^(; ?)?$key = " "$example" && ok || bad "wmsd.conf.example does not show $key of [$section]"
  done
done <<<"$sections"

# the page renders without warnings
warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
check "groff -man -ww: no warnings: $warn" test -z "$warn"
finish
