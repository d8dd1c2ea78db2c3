#!/usr/bin/env bash
# cli_i18n_test.sh - `wms` speaks the user's language (wms/cli/cli_i18n.c): Swedish
# under LANGUAGE=sv or LANG=sv_SE.UTF-8 (installed or not: Debian may only have
# C.UTF-8), English under LANG=C, C.UTF-8 or en; the CLI's own text (usage,
# help lines, its errors, results, the lead-time report) and the core's error
# messages (wms_error_set) alike; data (names, JSON) untouched;
# exit codes and refusals (the database byte-identical) are the same in both.
# usage: cli_i18n_test.sh PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
wms=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_CONFIG WMS_NOW WMS_LOCALEDIR
WMS_BIN=$dir/wms

# lang VAR=VALUE...: the only locale variables of the wms runs that follow (through
# a wrapper, so that this shell keeps its own locale)
lang() {
  printf '#!/bin/sh\nexec env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG %s "%s" "$@"\n' \
    "$*" "$wms" >"$WMS_BIN"
  chmod +x "$WMS_BIN"
}

lang LANG=C
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- customer add BORAS --name "Borås stad" --kind municipality
expect 0 "added" -- location add A-01 --name "Hylla A1" --kind shelf --depot ML

# English under every one of these: a core error and a help line
for env in "LANG=C.UTF-8" "LANG=POSIX" "LC_ALL=C LANGUAGE=sv" "LANG=C LANGUAGE=sv" \
           "LANG=C.UTF-8 LANGUAGE=en" "LANG=en_GB.UTF-8" "" "LANG=sv_SE.UTF-8 LC_MESSAGES=C"; do
  # shellcheck disable=SC2086
  lang $env
  expect 3 '^wms product add: bad category "Other": use HoS or SoL$' -- \
    product add XX --name-sv x --name-en y --category Other
  expect 0 '^  customer list +list ordering units$' -- --help
done

# English in full under LANG=C: the core's errors, the CLI's errors, usage and help lines
lang LANG=C
refused 3 '^wms product add: bad category "Other": use HoS or SoL$' -- \
  product add XX --name-sv x --name-en y --category Other
refused 4 'unknown product type "NOPE"' -- receive SN-1 --product NOPE --location A-01
expect 2 'unknown command "frobnicate"; see `wms --help`' -- frobnicate
expect 2 'wms product add: unknown option --colour; allowed: name-sv' -- product add X --colour red
expect 2 'wms deliver: expected SERIAL \(too many arguments\)' -- deliver A B
expect 0 '^  customer list +list ordering units$' -- --help
expect 0 '^Exit codes: 0 ok' -- --help
expect 0 '^usage: wms product add CODE ' -- product add --help
expect 0 '^add a product type \(category HoS or SoL\)$' -- product add --help
expect 0 '^\(none\)$' -- order list
expect 0 '^Lead time in working days, target 7 ' -- leadtime report
expect 0 '^schema version [0-9]+ \(latest [0-9]+\)$' -- db migrate

# Swedish under every one of these: LANGUAGE with a UTF-8 locale, or a Swedish
# locale that is not installed (only C.UTF-8 is, on a bare Debian)
for env in "LANGUAGE=sv" "LANG=sv_SE.UTF-8" "LC_ALL=sv_SE.UTF-8 LANG=C" "LC_MESSAGES=sv_SE.UTF-8" \
           "LANGUAGE=sv:en LC_ALL=C.UTF-8" "LANG=sv_SE"; do
  # shellcheck disable=SC2086
  lang $env
  expect 3 '^wms product add: felaktig kategori "Other": använd HoS eller SoL$' -- \
    product add XX --name-sv x --name-en y --category Other
  expect 0 '^  customer list +lista beställande enheter$' -- --help
done

# Swedish in full under LANGUAGE=sv LANG=C.UTF-8
lang LANGUAGE=sv LANG=C.UTF-8
refused 3 '^wms product add: felaktig kategori "Other": använd HoS eller SoL$' -- \
  product add XX --name-sv x --name-en y --category Other
refused 4 'okänd produkttyp "NOPE"' -- receive SN-1 --product NOPE --location A-01
refused 3 'felaktig kundsort "town": använd region, municipality eller private' -- \
  customer add X --name Y --kind town
expect 2 'okänt kommando "frobnicate"; se `wms --help`' -- frobnicate
expect 2 'wms product add: okänd flagga --colour; tillåtna: name-sv' -- product add X --colour red
expect 2 'wms deliver: väntade SERIAL \(för många argument\)' -- deliver A B
expect 0 '^  customer list +lista beställande enheter$' -- --help
expect 0 '^Slutkoder: 0 ok' -- --help
expect 0 'Hjälpmedelscentralens digitala hjälpmedel' -- --help
expect 0 '^användning: wms product add CODE ' -- product add --help
expect 0 '^lägg till en produkttyp \(kategori HoS eller SoL\)$' -- product add --help
expect 2 "^användning: wms " --
expect 0 '^\(inga\)$' -- order list
refused 4 '^wms print-queue cancel: okänt utskriftsjobb 999$' -- print-queue cancel 999
refused 4 'okänt ärende 5; se `wms case list`' -- case close 5 --text fixed
expect 0 '^lagerplats B-01 tillagd$' -- location add B-01 --name "Hylla B1" --kind shelf --depot ML
expect 0 '^Ledtid i vardagar, mål 7 ' -- leadtime report
expect 0 '^alla mätta beställningar +0 ' -- leadtime report
expect 0 '^schemaversion [0-9]+ \(senaste [0-9]+\)$' -- db migrate
# data stays as it is: names, JSON keys
expect 0 '"code": "BPM"' -- product list --json
expect 0 'Borås stad' -- customer list
# the GS1 linter's faults, as a scan of a label shows them
expect 3 '^wms scan-text: skanning avvisad: GS1 \(11\) datum "261340": månad 13 är inte 01-12' -- scan-text '(11)261340'
expect 3 '^wms scan-text: skanning avvisad: GS1 \(422\) "999": är inte en numerisk landskod enligt ISO 3166-1 \(t\.ex\. 752 Sverige\)' -- scan-text '(01)09506000134352(422)999'

# no catalogue where WMS_LOCALEDIR points: English, nothing breaks
lang LANG=sv_SE.UTF-8
WMS_LOCALEDIR=$dir/none expect 3 'bad category "Other": use HoS or SoL' -- \
  product add XX --name-sv x --name-en y --category Other
finish
