#!/usr/bin/env bash
# update-pot.sh SRCDIR OUT.pot - the template of the "wms" text domain: every
# wms_error_set format in the rooms `wms` links (wms/ courier/ printing/
# reconditioning/ scanners/; wmsd's pages have their own domain, "wmsd"), and
# the CLI's own text, _() and N_(), in wms/cli.  Used by the build (target
# wms-pot) and by the test that sv.po matches the sources (cli_i18n_po).
# A new message: run this, then
#   msgmerge -U --no-location --width=100 wms/cli/po/sv.po OUT.pot
# and translate what msgmerge added (keep every printf directive, in order).
set -euo pipefail
src=$1 out=$2
cd "$src"
rooms=$(find wms courier printing reconditioning scanners -name '*.c' ! -path 'wms/daemon/dash_*' | LC_ALL=C sort)
cli=$(find wms/cli -name '*.c' | LC_ALL=C sort)
common=(--language=C --from-code=UTF-8 --package-name=wms --msgid-bugs-address=wms-developers --sort-by-file
        --add-comments=TRANSLATORS: --keyword= --keyword=wms_error_set:3 --keyword=wms_tr --keyword=WMS_N_
        --keyword=ok:2 --keyword=failed:2 --keyword=warning:2)
# shellcheck disable=SC2086
xgettext "${common[@]}" -o "$out" $rooms
# shellcheck disable=SC2086
xgettext "${common[@]}" --keyword=_ --keyword=N_ --join-existing -o "$out" $cli
