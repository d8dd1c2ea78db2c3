#!/usr/bin/env bash
# scan_image_test.sh - `wms scan-image` end to end on PNG/PGM files rendered
# by libzint (barcode_png): UDI, SSCC, location, Digital Link, EAN-13, several
# files, a blank image, unreadable files, exit codes and --json; the command
# never creates or touches a database.
# usage: scan_image_test.sh PATH/TO/wms PATH/TO/barcode_png
set -u
. "$(dirname "$0")/../lib.sh"
WMS_BIN=$1
PNG=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_CONFIG WMS_NOW

UDI='[01]09506000134352[17]301231[10]10D9T[21]12345678'
"$PNG" "$dir/udi-dm.png" gs1-datamatrix "$UDI" 4 || bad "render udi-dm"
"$PNG" "$dir/udi-128.png" gs1-128 "$UDI" 2 || bad "render udi-128"
"$PNG" "$dir/sscc.png" gs1-128 '[00]106141412345678908' 2 || bad "render sscc"
"$PNG" "$dir/loc.png" code128 'LOC:A-01-01' 2 || bad "render loc"
"$PNG" "$dir/cmd.png" datamatrix 'CMD:PICK' 4 || bad "render cmd"
"$PNG" "$dir/dl.png" qr 'https://id.gs1.org/01/09506000134352/10/10D9T/21/12345678?17=301231' 3 || bad "render dl"
"$PNG" "$dir/ean.png" ean13 '950600013435' 2 || bad "render ean"
"$PNG" "$dir/badloc.png" code128 'loc:a 1' 2 || bad "render badloc"
"$PNG" "$dir/baddate.png" gs1-datamatrix '[01]09506000134352[17]300230' 4 || bad "render baddate"
"$PNG" "$dir/noquiet.png" gs1-datamatrix-noquiet "$UDI" 4 || bad "render noquiet"
{ printf 'P5\n8 8\n255\n'; printf '%64s' '' | tr ' ' '\377'; } > "$dir/blank.pgm"
echo "not an image" > "$dir/notes.txt"
head -c 40 "$dir/loc.png" > "$dir/cut.png"

# --- what each label means
expect 0 'DataMatrix +\]d2 +UDI +GTIN 09506000134352 serial 12345678 lot 10D9T expiry 2030-12-31' -- scan-image "$dir/udi-dm.png"
expect 0 'CODE-128 +\]C1 +UDI +GTIN 09506000134352 serial 12345678 lot 10D9T expiry 2030-12-31' -- scan-image "$dir/udi-128.png"
expect 0 '\]C1 +SSCC +SSCC 106141412345678908' -- scan-image "$dir/sscc.png"
expect 0 '\]C0 +location +location A-01-01' -- scan-image "$dir/loc.png"
expect 0 '\]d1 +command +command PICK' -- scan-image "$dir/cmd.png"
expect 0 'QR-Code +\]Q1 +UDI +GTIN 09506000134352 serial 12345678 lot 10D9T expiry 2030-12-31' -- scan-image "$dir/dl.png"
expect 0 'EAN-13 +\]E0 +UDI +GTIN 09506000134352' -- scan-image "$dir/ean.png"
# the FNC1 separator after the variable-length lot shows as \x1d
expect 0 '1010D9T\\x1d2112345678' -- scan-image "$dir/udi-dm.png"
# several files, one row each, in order
out=$("$WMS_BIN" scan-image "$dir/loc.png" "$dir/udi-dm.png" "$dir/sscc.png" 2>&1)
if [ "$(grep -cE 'loc.png|udi-dm.png|sscc.png' <<<"$out")" -eq 3 ] && \
   [ "$(grep -nE 'loc.png' <<<"$out" | cut -d: -f1)" -lt "$(grep -nE 'sscc.png' <<<"$out" | cut -d: -f1)" ]; then ok
else bad "three files: $out"; fi

# --- JSON: the UDI field by field
expect 0 '"gtin": "09506000134352"' -- scan-image "$dir/udi-dm.png" --json
expect 0 '"lot": "10D9T"' -- scan-image "$dir/udi-dm.png" --json
expect 0 '"serial": "12345678"' -- scan-image "$dir/udi-dm.png" --json
expect 0 '"expiry": "2030-12-31"' -- scan-image "$dir/udi-dm.png" --json
expect 0 '"aim": "\]d2"' -- scan-image "$dir/udi-dm.png" --json
expect 0 '"code": "A-01-01"' -- scan-image "$dir/loc.png" --json
expect 0 '"sscc": "106141412345678908"' -- scan-image "$dir/sscc.png" --json
out=$("$WMS_BIN" scan-image "$dir/udi-dm.png" "$dir/loc.png" --json 2>&1)
if [ "$(head -c1 <<<"$out")" = "[" ] && \
   [ "$(grep -oE '"kind": "[A-Za-z]+"' <<<"$out" | tr '\n' ' ')" = '"kind": "UDI" "kind": "location" ' ]
then ok; else bad "--json is not one array of two rows: $out"; fi

# --- refused barcodes say why; every file is still tried
expect 3 'refused: label prefix must be upper case' -- scan-image "$dir/badloc.png"
expect 3 'refused.*(30 February|day|date)' -- scan-image "$dir/baddate.png"
expect 4 'no barcode' -- scan-image "$dir/blank.pgm"
# a DataMatrix cropped to the symbol: a hint, not "no barcode" (issue 15)
expect 4 'no quiet zone around the symbol\?' -- scan-image "$dir/noquiet.png"
expect 3 'is not a PNG or binary PGM.*allowed: PNG, PGM' -- scan-image "$dir/notes.txt"
expect 3 'not a readable PNG' -- scan-image "$dir/cut.png"
expect 4 'cannot open .*absent.png' -- scan-image "$dir/absent.png"
expect 4 'location A-01-01' -- scan-image "$dir/loc.png" "$dir/blank.pgm"
expect 4 'and 1 more failures' -- scan-image "$dir/blank.pgm" "$dir/notes.txt" "$dir/loc.png"

# --- usage
expect 2 'expected FILE' -- scan-image
expect 2 'unknown option --db-file' -- scan-image "$dir/loc.png" --db-file x
expect 0 'usage: wms scan-image FILE' -- scan-image --help

# scan-image reads no database: none was created
if [ -e "$WMS_DB" ]; then bad "scan-image created $WMS_DB"; else ok; fi

echo "scan_image_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
