#!/usr/bin/env bash
# cli_help_test.sh - `wms COMMAND --help` for every command of `wms --commands`:
# the usage, each option with its text, one example whose options the command
# accepts; and wms(1) lists exactly those commands, each with all its options.
# usage: cli_help_test.sh PATH/TO/wms PATH/TO/wms.1
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1 PAGE=$2
export LC_ALL=C.UTF-8 LANGUAGE=
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$WMS_BIN" --commands >"$dir/commands"
n=$(wc -l <"$dir/commands")
check "wms --commands lists the commands ($n)" [ "$n" -ge 50 ]
: >"$dir/want"
while IFS= read -r name; do
  # shellcheck disable=SC2086
  help=$("$WMS_BIN" $name --help 2>&1); rc=$?
  check "wms $name --help exits 0 ($rc)" [ "$rc" -eq 0 ]
  check "wms $name --help: usage" grep -q "^usage: wms $name" <<<"$help"
  check "wms $name --help: every option described" bash -c '! grep -q "(not described)" <<<"$1"' _ "$help"
  example=$(sed -n '/^example:$/{n;s/^  //p;}' <<<"$help")
  check "wms $name --help has an example" grep -q "^wms $name" <<<"$example"
  # the example's options are the command's own: --help after them stops before running
  if [ -n "$example" ]; then
    eval "set -- ${example#wms }"
    out=$("$WMS_BIN" "$@" --help 2>&1); rc=$?
    check "the example of $name parses: $example: $out" [ "$rc" -eq 0 ]
  fi
  echo "$name|" >>"$dir/want"
  sed -n '/^options:$/,/^$/p' <<<"$help" | grep -oE '^  --[a-z-]+' | sed "s/^  /$name|/" >>"$dir/want"
done <"$dir/commands"
sort -u "$dir/want" -o "$dir/want"

# the page's COMMANDS section as "command|--option" lines (a command alone: "command|"):
# each ".B" right after a ".TP" is a command heading or one of its options
sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$PAGE" | sed 's/\\-/-/g' \
  | awk 'prev == ".TP" && /^\.B / { sub(/^\.B /, ""); print } { prev = $0 }' >"$dir/page-items"
cmd=
while IFS= read -r item; do
  case $item in
    --*) echo "$cmd|${item%% *}" ;;
    *) cmd=   # the longest command name the heading starts with
       while IFS= read -r name; do
         case "$item " in "$name "*) [ ${#name} -gt ${#cmd} ] && cmd=$name ;; esac
       done <"$dir/commands"
       echo "${cmd:-?$item}|" ;;
  esac
done <"$dir/page-items" | sort -u >"$dir/page"
check "wms(1) lists every command and option of the binary: $(comm -23 "$dir/want" "$dir/page" | head -5)" \
  [ -z "$(comm -23 "$dir/want" "$dir/page")" ]
check "wms(1) lists no command or option the binary lacks: $(comm -13 "$dir/want" "$dir/page" | head -5)" \
  [ -z "$(comm -13 "$dir/want" "$dir/page")" ]
finish
