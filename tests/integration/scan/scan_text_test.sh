#!/usr/bin/env bash
# scan_text_test.sh - `wms scan-text DATA`: what a scan of those bytes means
# or why it is refused, as support staff would use it: literal GS1 reading
# after an AIM identifier, <GS> and \x1d separators, --aim, --gs dropped
# (inferred separators, ambiguity with the fix), --gs C (a printable stand-in),
# association rules, Digital Link, --json, bad escapes, and no database touched.
# usage: scan_text_test.sh PATH/TO/wms
set -u
. "$(dirname "$0")/../lib.sh"
WMS_BIN=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/none.db
unset WMS_CONFIG WMS_NOW

# issue 15: a UDI with a numeric serial, GS1 DataMatrix, separators transmitted
expect 0 'GTIN 53361899575461 serial 889791' -- scan-text ']d2015336189957546121889791'
expect 0 '\(21\) SERIAL: 889791' -- scan-text ']d2015336189957546121889791'
expect 0 'serial 99999999' -- scan-text ']C1010950600013435221''99999999'
expect 0 'GTIN 09506000134352 serial 123 lot ABC' -- scan-text '0109506000134352<GS>10ABC\x1d21123'
expect 0 'Data Matrix, GS1' -- scan-text --aim ']d2' '0109506000134352'
# a source that drops GS: inferred when one reading is valid, refused with the fix otherwise
expect 3 'reads validly in two ways.*gs=CHAR' -- scan-text --gs dropped ']d2015336189957546121889791'
expect 0 'inferred' -- scan-text --gs dropped ']d20109506000134352305''21ABC'
expect 0 'lot ABC' -- scan-text --gs '~' ']d20109506000134352''21X~10ABC'
# association rules and Digital Link
expect 3 'needs one of \(01\), \(03\), \(8006\)' -- scan-text '(21)123'
expect 3 'may not appear together' -- scan-text '(01)09506000134352(3102)000100(3103)000200'
expect 3 "trailing '/'" -- scan-text 'https://id.gs1.org/01/09506000134352/'
expect 3 'twice' -- scan-text 'https://id.gs1.org/01/09506000134352?17=261231&17=261231'
expect 0 'GTIN 09506000134352 serial 123 lot ABC expiry 2026-12-31' -- \
  scan-text 'https://id.gs1.org/01/09506000134352/10/ABC/21/123?17=261231'
# --json carries the elements
expect 0 '"title": "SERIAL"' -- scan-text --json ']d2015336189957546121889791'
expect 3 '"readings"' -- scan-text --json --gs dropped ']d2015336189957546121889791'
# our own labels and text
expect 0 'location A-01' -- scan-text 'LOC:A-01'
# bad input
expect 3 'unknown escape' -- scan-text 'a\q'
expect 3 'x00' -- scan-text 'a\x00'
expect 3 'allowed are sent' -- scan-text --gs A '0109506000134352'
if [ -e "$WMS_DB" ]; then bad "scan-text created a database"; else ok; fi
finish
