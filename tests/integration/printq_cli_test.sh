#!/usr/bin/env bash
# printq_cli_test.sh - `wms printers`, `wms label print|preview`, `wms reprint`
# and `wms print-queue ...` end to end on a temporary database, without a CUPS
# server (the printers point at a port where nothing listens, so jobs stay
# queued with the reason): configuration errors with file:line, labels filled
# from the ledger, previews written, the operator's queue commands, and
# refused commands that leave the database byte-identical.  Printing through
# a real cupsd with this same binary is tests/integration/cups/printq_cli_cups_test.c.
# usage: printq_cli_test.sh PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_NOW CUPS_SERVER

wms()  { "$WMS_BIN" "$@"; }

sql() { sqlite3 "$WMS_DB" "$1"; }

cat > "$dir/wms.conf" <<CONF
[printer lager]
queue = raw
server = 127.0.0.1:9     ; nothing listens there
language = zpl
purposes = device location
stations = pack-1
[printer kontor]
queue = office
server = 127.0.0.1:9
language = pdf
media = 4x6
purposes = device shipping delivery-note
CONF
export WMS_CONFIG=$dir/wms.conf

# --- configuration errors name file and line
printf '[printer a]\nqueue = qa\nlanguage = ps\n' > "$dir/bad1.conf"
expect 7 "bad1.conf:3: bad language \"ps\": use zpl, pdf or png" -- --config "$dir/bad1.conf" printers
printf '[printer a]\nlanguage = zpl\n' > "$dir/bad2.conf"
expect 7 "bad2.conf: \[printer a\] has no queue" -- --config "$dir/bad2.conf" printers
printf '[printer a]\nqueue = qa\npurposes = device sticker\n' > "$dir/bad3.conf"
expect 7 "bad3.conf:3: unknown purpose \"sticker\"; allowed: device location" -- --config "$dir/bad3.conf" printers
printf '[labels]\ntemplate = x\n' > "$dir/bad4.conf"
expect 7 "bad4.conf:2: unknown key \"template\" in \[labels\]; allowed: templates" -- --config "$dir/bad4.conf" printers

# --- reference data and a device
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- product add-gtin BPM 09506000134352
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf
expect 0 "none -> received" -- receive SN-1001 --gtin 9506000134352

# --- printers: configured, with CUPS state (unreachable here)
expect 0 "lager +raw +127.0.0.1:9 +zpl +203 .*device location +unreachable" -- printers
expect 0 '"state": "unreachable"' -- printers --json

# --- previews: fields from the ledger, three formats, nothing written to the database
refused 0 "device label written to .*d.png" -- label preview device --device SN-1001 --png "$dir/d.png"
if [ "$(head -c 4 "$dir/d.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then ok; else bad "d.png is not a PNG"; fi
expect 0 "written to .*d.zpl" -- label preview device --device SN-1001 --zpl "$dir/d.zpl"
if grep -q "Individnr: SN-1001" "$dir/d.zpl" && grep -q "Digital blodtrycksm" "$dir/d.zpl"; then ok; else bad "d.zpl lacks the ledger's fields"; fi
expect 0 "written to .*l.pdf" -- label preview location --location A-01-01 --pdf "$dir/l.pdf"
if [ "$(head -c 4 "$dir/l.pdf")" = "%PDF" ]; then ok; else bad "l.pdf is not a PDF"; fi
# a pick list from an order: the reserved device and where it stands
expect 0 "added" -- customer add VC-ALE --name "Vårdcentralen Ale" --kind region
expect 0 "none -> in_stock|received -> in_stock" -- move SN-1001 --location A-01-01
expect 0 "O-7" -- order create O-7 --customer VC-ALE --product BPM --mode home --patient-ref P-7
expect 0 "in_stock -> reserved" -- reserve SN-1001 --order O-7
expect 0 "written to .*p.zpl" -- label preview picklist --order O-7 --zpl "$dir/p.zpl"
if grep -q "SN-1001" "$dir/p.zpl" && grep -q "A-01-01" "$dir/p.zpl" && grep -q "O-7" "$dir/p.zpl"; then ok
else bad "p.zpl lacks the order, its device or its shelf"; fi
refused 3 "--order fills pick lists and delivery notes, not device" -- label preview device --order O-7 --zpl "$dir/x.zpl"
refused 4 "unknown order \"O-404\"" -- label preview picklist --order O-404 --zpl "$dir/x.zpl"
expect 0 "written to" -- label preview device --set serial=X-1 --set gtin=09506000134352 --set "product=Våg ^XZ~" --zpl "$dir/e.zpl"
if grep -q "_5EXZ_7E" "$dir/e.zpl" && ! grep -q "Våg \^XZ" "$dir/e.zpl"; then ok; else bad "^ and ~ not escaped in e.zpl"; fi
refused 3 "give exactly one of --png FILE, --zpl FILE, --pdf FILE" -- label preview device --device SN-1001 --png a --zpl b
refused 3 "missing required field|missing field" -- label preview device --set serial=X --png "$dir/x.png"
refused 3 "bad --dpi \"600\": use 203 or 300" -- label preview device --device SN-1001 --dpi 600 --png "$dir/x.png"

# --- label print: enqueues; refused ones write nothing
expect 0 "print job 1 queued for printer lager \(device label\)" -- label print device --device SN-1001 --station pack-1
expect 0 "print job 2 queued for printer kontor \(device label\)" -- label print device --device SN-1001
expect 0 "print job 3 queued for printer lager \(location label\)" -- label print location --location A-01-01 --printer lager
refused 4 'unknown printer "nosuch"; configured: lager, kontor' -- label print device --device SN-1001 --printer nosuch
refused 4 'unknown device "SN-9999"' -- label print device --device SN-9999 --printer lager
refused 3 "unknown label kind 'sticker'" -- label print sticker --printer lager
refused 3 "--location fills location labels, not device" -- label print device --location A-01-01 --printer lager
refused 3 'bad --set "owner": expected NAME=VALUE' -- label print device --device SN-1001 --set owner --printer lager
refused 3 "no printer has purpose recon" -- label print recon --device SN-1001
refused 3 "unknown field|not a field|no field" -- label print device --device SN-1001 --set colour=red --printer lager
if [ "$(sql "SELECT count(*) FROM outbox")" = 3 ]; then ok; else bad "outbox has $(sql "SELECT count(*) FROM outbox") rows, wanted 3"; fi
if [ "$(sql "SELECT json_extract(payload, '\$.fields.serial') || ' ' || json_extract(payload, '\$.fields.gtin') FROM outbox WHERE id = 1")" = "SN-1001 09506000134352" ]; then ok; else bad "payload of job 1 lacks the ledger's fields"; fi

# --- the worker: unreachable server keeps the jobs queued with the reason
expect 0 "submitted 0, adopted 0, printed 0, retried 3, failed 0" -- print-queue work --once
expect 0 "^3 +label +lager +location +queued +1 .*cannot reach CUPS server 127.0.0.1:9" -- print-queue
expect 0 "stays queued and is retried" -- label print device --device SN-1001 --printer lager --wait
expect 0 '"state": "queued"' -- print-queue show 1 --json
expect 0 "payload .*SN-1001" -- print-queue show 1

# --- operator: cancel, retry, reprint, purge
expect 0 "print job 2 cancelled" -- print-queue cancel 2
refused 6 'print job 2 is cancelled; "cancel" is allowed only when it is queued failed' -- print-queue cancel 2
refused 6 'print job 2 is cancelled; "retry" is allowed only when it is queued failed' -- print-queue retry 2
refused 4 "unknown print job 99" -- print-queue retry 99
refused 3 'bad print job "x2"' -- print-queue cancel x2
expect 0 "print job 1 queued again" -- print-queue retry 1
expect 0 "print job 5 queued as a reprint of job 2" -- reprint 2 --printer lager
if [ "$(sql "SELECT reprint_of || ' ' || target || ' ' || state FROM outbox WHERE id = 5")" = "2 lager queued" ]; then ok; else bad "reprint row wrong"; fi
refused 4 'unknown printer "nosuch"' -- reprint 2 --printer nosuch
expect 0 "^2 +label +kontor +device +cancelled" -- print-queue list --state cancelled
refused 3 'bad state "done": use queued' -- print-queue --state done
expect 0 "1 finished print job purged" -- print-queue purge --before 2199-01-01
if [ "$(sql "SELECT count(*) FROM outbox WHERE payload IS NULL")" = 1 ]; then ok; else bad "purge blanked the wrong rows"; fi
refused 6 "cannot be reprinted: its contents were purged" -- reprint 2
expect 0 "0 finished print jobs purged" -- print-queue purge

finish
