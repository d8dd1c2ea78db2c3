#!/usr/bin/env bash
# cli_i18n_po_test.sh - the Swedish catalogue of `wms` (wms/cli/po/sv.po) matches
# the sources: every message xgettext finds (wms_error_set formats of every room,
# the CLI's _() and N_() text) is translated, nothing in sv.po is left over from
# a message that is gone, and `msgfmt -c` accepts it (every printf directive of
# a translation is the message's own, in order).
# usage: cli_i18n_po_test.sh SRCDIR
set -u
. "$(dirname "$0")/lib.sh"
src=$1
po=$src/wms/cli/po/sv.po
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export LC_ALL=C.UTF-8 LANGUAGE=   # the tools' own messages in English

check "update-pot.sh makes the template" "$src/wms/cli/po/update-pot.sh" "$src" "$dir/wms.pot"
ids=$(grep -c '^msgid ' "$dir/wms.pot")
check "the template has the CLI's and the rooms' messages ($ids)" test "$ids" -gt 500

stats=$(msgfmt -c --statistics -o "$dir/wms.mo" "$po" 2>&1); rc=$?
echo "sv.po: $stats"
check "msgfmt -c accepts sv.po: $stats" test "$rc" -eq 0
check "sv.po has no fuzzy or untranslated message: $stats" \
  bash -c '! grep -qE "fuzzy|untranslated" <<<"$1"' _ "$stats"

msgmerge -q --no-fuzzy-matching --no-wrap -o "$dir/merged.po" "$po" "$dir/wms.pot"
msgattrib --untranslated --no-obsolete --no-wrap -o "$dir/missing.po" "$dir/merged.po"
missing=$(grep -c '^msgid ' "$dir/missing.po" 2>/dev/null)
missing=$((${missing:-0} > 0 ? missing - 1 : 0))   # minus the header
if [ "$missing" -gt 0 ]; then
  bad "$missing message(s) of the sources have no Swedish translation; add them to wms/cli/po/sv.po" \
      "(msgmerge -U --no-location --width=100 wms/cli/po/sv.po BUILD/wms.pot after the target wms-pot):"
  awk 'BEGIN { RS = ""; ORS = "\n\n" } NR > 1' "$dir/missing.po" | grep -E '^(#:|msgid|")' >&2
else
  ok
fi
msgattrib --only-obsolete --no-wrap -o "$dir/stale.po" "$dir/merged.po"
stale=$(grep -c '^#~ msgid ' "$dir/stale.po" 2>/dev/null)
if [ "${stale:-0}" -gt 0 ]; then
  bad "${stale} message(s) of sv.po are no longer in the sources (changed or removed); update or delete them:"
  grep '^#~ msgid ' "$dir/stale.po" >&2
else
  ok
fi
finish
