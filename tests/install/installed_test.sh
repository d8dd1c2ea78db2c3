#!/usr/bin/env bash
# installed_test.sh - an installed wms finds its own data: install the build
# into a temporary prefix, hide the source and build trees (a private mount
# namespace with empty tmpfs over both), and run the installed wms and wmsd
# there: every label kind previewed (fields from demo data and --set), every
# checklist found (`wms recon checklists`), translations from the installed
# catalogue, `wmsd -n` naming the installed data directories.
# usage: installed_test.sh SOURCE_DIR BUILD_DIR        (root: unshare -m)
set -u
. "$(dirname "$0")/../integration/lib.sh"
SRC=$(realpath "$1") BUILD=$(realpath "$2")

if [ "${WMS_INSTALLED_INNER:-}" != 1 ]; then
  [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null ||
    { echo "SKIP: hiding the source and build trees needs root and a mount namespace"; exit 77; }
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
  out=$(cmake --install "$BUILD" --prefix "$dir/prefix" 2>&1) || { echo "FAIL: cmake --install: $out" >&2; exit 1; }
  # the test's own copy of this script and lib.sh: the source tree disappears
  mkdir -p "$dir/t/install" "$dir/t/integration"
  cp "$0" "$dir/t/install/"; cp "$(dirname "$0")/../integration/lib.sh" "$dir/t/integration/"
  WMS_INSTALLED_INNER=1 unshare -m --propagation private \
    bash -c 'mount -t tmpfs -o ro wms-hidden "$2" && mount -t tmpfs -o ro wms-hidden "$1" && shift 2 && exec bash "$@"' \
    _ "$SRC" "$BUILD" "$dir/t/install/installed_test.sh" "$SRC" "$BUILD" "$dir"
  exit
fi

# --- inside: the source and build trees are empty
dir=$3 p=$3/prefix
unset WMS_CONFIG WMS_DB WMS_NOW WMS_DATADIR WMS_LOCALEDIR WMSD_LOCALEDIR LANGUAGE
export LANG=C.UTF-8 WMS_DB=$dir/t.db
check "the source tree is hidden" [ ! -e "$SRC/CMakeLists.txt" ]
check "the build tree is hidden" [ ! -e "$BUILD/CMakeCache.txt" ]
wms() { "$p/bin/wms" "$@"; }

out=$(wms demo 2>&1) || bad "wms demo: $out"
serial=$(sqlite3 "$WMS_DB" "SELECT serial FROM devices ORDER BY id LIMIT 1")
location=$(sqlite3 "$WMS_DB" "SELECT code FROM locations ORDER BY id LIMIT 1")
order=$(sqlite3 "$WMS_DB" "SELECT number FROM orders ORDER BY id LIMIT 1")

# a plausible value for a label field by its name
value() {
  case $1 in
    sscc) echo 373500123450000014 ;;   gtin) echo 09506000134352 ;;
    *postcode) echo 41101 ;;           date) echo 2026-03-02 ;;
    weight) echo 1.2 ;;                qty) echo 1 ;;
    result) echo pass ;;               *) echo "X-$1" ;;
  esac
}
kinds=$(wms label preview no-such-kind --zpl "$dir/x" 2>&1 | sed -n 's/.*; allowed: //p' | tr -d ,)
check "wms names the label kinds ($kinds)" [ "$(wc -w <<<"$kinds")" -ge 5 ]
for kind in $kinds; do
  args=()
  case $kind in
    device|recon) args=(--device "$serial") ;;
    location) args=(--location "$location") ;;
    picklist) args=(--order "$order") ;;
    command-sheet) args=(--station verkstad) ;;
  esac
  # the fields the ledger does not give, one by one as wms asks for them
  for _ in $(seq 30); do
    out=$(wms label preview "$kind" "${args[@]}" --png "$dir/$kind.png" 2>&1) && break
    field=$(sed -n "s/.*missing required field '\([a-z_]*\)'.*/\1/p" <<<"$out")
    [ -n "$field" ] || break
    args+=(--set "$field=$(value "$field")")
  done
  check "label preview $kind from the installed template: $out" \
    bash -c '[ -s "$1" ] && [ "$(head -c 4 "$1" | tail -c 3)" = PNG ]' _ "$dir/$kind.png"
done

n=$(ls "$p/share/wms/checklists" | wc -l)
check "the checklists are installed ($n)" [ "$n" -ge 1 ]
out=$(wms recon checklists 2>&1); rc=$?
rows=$(awk 'NR > 1 && $2 == "ok"' <<<"$out" | wc -l)
check "wms recon checklists: all $n ok (exit $rc, $rows ok): $out" \
  bash -c '[ "$1" -eq 0 ] && [ "$2" -eq "$3" ] && [ "$(awk "NR > 1 && \$2 != \"ok\"" <<<"$4")" = "" ]' _ "$rc" "$rows" "$n" "$out"
for f in "$p"/share/wms/checklists/*.checklist; do
  product=$(basename "$f" .checklist)
  out=$(wms recon checklist "$product" 2>&1)
  check "checklist $product from the installed tree: $out" grep -q "$p/share/wms/checklists" <<<"$out"
done

check "the installed wms speaks Swedish from the installed catalogue" \
  bash -c 'LANGUAGE=sv "$1" frobnicate 2>&1 | grep -q "okänt kommando"' _ "$p/bin/wms"
printf '[store]\ndatabase = %s\n' "$WMS_DB" >"$dir/wmsd.conf"
out=$("$p/sbin/wmsd" -n -d -c "$dir/wmsd.conf" 2>&1); rc=$?
check "wmsd -n -d: configuration OK (exit $rc): $out" bash -c '[ "$1" -eq 0 ] && grep -q "configuration OK" <<<"$2"' _ "$rc" "$out"
check "wmsd -n uses the installed templates" grep -qx "label templates: $p/share/wms/templates" <<<"$out"
check "wmsd -n uses the installed checklists" grep -qx "checklists: $p/share/wms/checklists" <<<"$out"
check "wmsd -n: no warning" bash -c '! grep -q warning <<<"$1"' _ "$out"
# [paths] data moves both
mkdir -p "$dir/data"; cp -r "$p/share/wms/templates" "$p/share/wms/checklists" "$dir/data/"
printf '[store]\ndatabase = %s\n[paths]\ndata = %s\n' "$WMS_DB" "$dir/data" >"$dir/paths.conf"
out=$("$p/sbin/wmsd" -n -d -c "$dir/paths.conf" 2>&1)
check "[paths] data: templates there" grep -qx "label templates: $dir/data/templates" <<<"$out"
check "[paths] data: checklists there" grep -qx "checklists: $dir/data/checklists" <<<"$out"
out=$(WMS_DATADIR=$dir/data "$p/sbin/wmsd" -n -d -c "$dir/wmsd.conf" 2>&1)
check "\$WMS_DATADIR: templates there" grep -qx "label templates: $dir/data/templates" <<<"$out"
out=$(wms --config "$dir/paths.conf" recon checklist BPM 2>&1)
check "wms with [paths] data: $out" grep -q "$dir/data/checklists" <<<"$out"
finish
