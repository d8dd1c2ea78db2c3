#!/usr/bin/env bash
# goods_in_test.sh - goods in against what a supplier announced (issue 19):
# suppliers, the import of announced deliveries (all or nothing), a receipt
# station scanning DLV:<NUMBER> and then devices with the running count on
# its screen, over-receipt, unannounced products and serials off the list
# refused (nothing received), show with expected / received / missing /
# unexpected, close with the discrepancy report, and the same via the API.
# A device without a manufacturer's UDI is received by its own serial, its
# product from the product's barcode scanned first or from the delivery,
# and gets our device label; the same by `wms receive --delivery` and the
# API's receive event; a voided receipt no longer counts for its delivery.
# usage: goods_in_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8 WMS_DB=$db
wms() { "$WMS_BIN" "$@"; }
GS=$'\x1d'
udi() { printf ']d201%s21%s%s10L1' "$1" "$2" "$GS"; }

wms product add BPM --name-sv "Blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM 09506000134352 >/dev/null
wms product add SCALE --name-sv "Våg" --name-en "Scale" --category HoS >/dev/null
wms product add-gtin SCALE 09506000134369 >/dev/null
wms product add PULSOX --name-sv "Pulsoximeter" --name-en "Pulse oximeter" --category HoS >/dev/null
wms product add-gtin PULSOX 09506000134376 >/dev/null

# --- suppliers and announced deliveries
expect 0 "supplier OMRON added" -- supplier add OMRON --name "Omron Healthcare Nordic"
refused 5 'supplier "OMRON" already exists' -- supplier add OMRON --name X
refused 3 "needs a name" -- supplier add NONAME
printf 'supplier;delivery;product;expected;serials\nOMRON;D-1;09506000134352;2;\nOMRON;D-1;SCALE;1;SN-S1\nACME;D-2;BPM;1;\n' >"$dir/bad.csv"
refused 4 "line 4: unknown supplier \"ACME\"" -- supplier-delivery import "$dir/bad.csv"
check "a bad file imports nothing" [ "$(sql "SELECT count(*) FROM supplier_deliveries")" -eq 0 ]
printf 'supplier;delivery;product;expected\nOMRON;D-1;BPM;zwei\n' >"$dir/bad2.csv"
refused 3 'line 2: expected quantity "zwei": a whole number' -- supplier-delivery import "$dir/bad2.csv"
printf 'supplier;delivery;product;expected;serials\nOMRON;D-1;09506000134352;2;\nOMRON;D-1;SCALE;1;SN-S1\n' >"$dir/d1.csv"
expect 0 "1 delivery\(ies\), 2 line\(s\) imported" -- supplier-delivery import "$dir/d1.csv"
expect 0 "D-1 +OMRON +open +3 +0" -- supplier-delivery list
expect 0 "OMRON +Omron Healthcare Nordic +1 +1" -- supplier list

# --- a receipt station against the delivery
mkfifo "$dir/in" "$dir/in.ack"
exec 3<>"$dir/in.ack"
cat >"$dir/wmsd.conf" <<CONF
[store]
database = $db
[station goods-in]
mode = receipt
scanner = fifo:$dir/in ack=$dir/in.ack
double_read_ms = 0
[printer zebra]
queue = zebra
server = 127.0.0.1:9
language = zpl
purposes = device
[http]
listen = 127.0.0.1:0
CONF
http_users warehouse manager
badge_users anna:warehouse
http_start "$WMSD_BIN" "$dir/wmsd.conf" "$dir/wmsd.log"
scan() { printf '%s\n' "$1" >"$dir/in"; read -r -t 10 -u 3 ack || bad "scan $1 not acknowledged"; }
last() { sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1"; }
scan "DLV:D-1"
check "delivery selected: $(last)" [ "$(last)" = "ok: delivery D-1 from OMRON: 0 of 3 received; scan its devices" ]
check "header names the delivery" grep -q "waiting for: the devices of supplier delivery D-1" <<<"$(wms station goods-in)"
scan "$(udi 09506000134352 SN-B1)"
check "running count: $(last)" grep -q "^ok: SN-B1 received (not registered -> received); delivery D-1: BPM 1 of 2, 1 of 3 in all$" <<<"$(last)"
scan "$(udi 09506000134352 SN-B2)"
scan "$(udi 09506000134352 SN-B3)"
check "over-receipt refused: $(last)" grep -q "^refused: over-receipt: delivery D-1 announced 2 BPM, all received; set SN-B3 aside" <<<"$(last)"
check "over-receipt not received" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'SN-B3'")" -eq 0 ]
scan "$(udi 09506000134376 SN-P1)"
check "unannounced product refused: $(last)" grep -q "^refused: unannounced: delivery D-1 has no PULSOX; set SN-P1 aside" <<<"$(last)"
check "unannounced not received" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'SN-P1'")" -eq 0 ]
scan "$(udi 09506000134369 SN-S9)"
check "serial off the announced list refused: $(last)" grep -q "^refused: serial SN-S9 is not on delivery D-1's list of SCALE" <<<"$(last)"
expect 0 "D-1 from OMRON \(open\): 3 expected, 2 received, 1 missing" -- supplier-delivery show D-1
expect 0 "SCALE +1 +0 +1 +0" -- supplier-delivery show D-1
expect 0 "announced serial not received: SN-S1" -- supplier-delivery show D-1

# --- the API: the same delivery, another imported, closed with its report
W=(-H "Authorization: Bearer $(cat "$dir/token-warehouse")")
M=(-H "Authorization: Bearer $(cat "$dir/token-manager")")
expect_req 200 '"missing":1' GET /api/v1/supplier-deliveries/D-1 "${M[@]}"
printf 'supplier;delivery;product;expected\nOMRON;D-4;BPM;1\n' >"$dir/d4.csv"
wms supplier-delivery import "$dir/d4.csv" >/dev/null
expect_req 409 'unannounced: delivery D-4 has no SCALE' POST /api/v1/devices/SN-A0/events "${W[@]}" "${JSON[@]}" -d '{"type":"receive","product":"SCALE","delivery":"D-4"}'
expect_req 201 '"to":"received"' POST /api/v1/devices/SN-A1/events "${W[@]}" "${JSON[@]}" -d '{"type":"receive","delivery":"D-4"}'
expect_req 409 'over-receipt: delivery D-4 has received every device it announced' POST /api/v1/devices/SN-A2/events "${W[@]}" "${JSON[@]}" -d '{"type":"receive","delivery":"D-4"}'
expect_req 404 'unknown supplier delivery \\"D-9\\"' POST /api/v1/devices/SN-A2/events "${W[@]}" "${JSON[@]}" -d '{"type":"receive","delivery":"D-9"}'
expect_req 200 '"received":1' GET /api/v1/supplier-deliveries/D-4 "${M[@]}"
check "refused API receipts received nothing" [ "$(sql "SELECT count(*) FROM devices WHERE serial IN ('SN-A0', 'SN-A2')")" -eq 0 ]
expect_req 201 '"deliveries":1' POST /api/v1/supplier-deliveries/import "${W[@]}" "${CSV[@]}" --data-binary $'supplier;delivery;product;expected\nOMRON;D-2;PULSOX;1\n'
refused_req 403 '' POST /api/v1/supplier-deliveries/D-2/close "${M[@]}"
expect_req 200 '"status":"closed"' POST /api/v1/supplier-deliveries/D-2/close "${W[@]}"
refused_req 409 'closed already' POST /api/v1/supplier-deliveries/D-2/close "${W[@]}"
expect_req 201 '"code":"PHILIPS"' POST /api/v1/suppliers "${W[@]}" "${JSON[@]}" -d '{"code":"PHILIPS","name":"Philips"}'
scan "DLV:D-2"
check "a closed delivery takes nothing: $(last)" grep -q "^refused: supplier delivery D-2 is closed" <<<"$(last)"

# --- devices without a manufacturer's UDI: their own serial, our label
# (last while the daemon runs: the labels queued here keep its print worker writing)
printf 'supplier;delivery;product;expected\nOMRON;D-3;BPM;1\nOMRON;D-3;SCALE;2\n' >"$dir/d3.csv"
wms supplier-delivery import "$dir/d3.csv" >/dev/null
scan "USR:anna"
scan "DLV:D-3"
scan "SN-X1"
check "a serial alone with two products missing: $(last)" grep -q "^refused: delivery D-3 still expects several products (BPM 0 of 1, SCALE 0 of 2): name the product of SN-X1 (scan its barcode, the GTIN, first" <<<"$(last)"
scan "]E09506000134369"
check "the product's EAN-13 names the next device: $(last)" [ "$(last)" = "ok: SCALE (Våg, GTIN 09506000134369): scan the device's serial number" ]
check "header: waiting for its serial" grep -q "waiting for: the serial number of a device of GTIN 09506000134369" <<<"$(wms station goods-in)"
scan "SN-X1"
check "own serial received as the scanned product: $(last)" [ "$(last)" = "ok: SN-X1 received as SCALE (not registered -> received); delivery D-3: SCALE 1 of 2, 1 of 3 in all; label queued" ]
check "our device label queued in the receipt's transaction" [ "$(sql "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'receive' AND o.target = 'zebra' AND o.payload LIKE '%SN-X1%'")" -eq 1 ]
check "the receipt is anna's and names its delivery" [ "$(sql "SELECT e.actor || ' ' || json_extract(e.payload, '\$.delivery') FROM events e JOIN devices d ON d.id = e.device_id WHERE d.serial = 'SN-X1'")" = "anna D-3" ]
scan "SN-X2"
check "the barcode named one device only: $(last)" grep -q "^refused: delivery D-3 still expects several products" <<<"$(last)"
scan "$(udi 09506000134352 SN-X3)"
check "a UDI needs no label of ours: $(last)" [ "$(last)" = "ok: SN-X3 received (not registered -> received); delivery D-3: BPM 1 of 1, 2 of 3 in all" ]
scan "SN-X4"
check "the one product still missing is the serial's: $(last)" [ "$(last)" = "ok: SN-X4 received as SCALE (not registered -> received); delivery D-3: SCALE 2 of 2, 3 of 3 in all; label queued" ]
scan "SN-X5"
check "own serial over-receipt refused: $(last)" grep -q "^refused: over-receipt: delivery D-3 has received every device it announced; set SN-X5 aside" <<<"$(last)"
scan "]E09506000134376"
scan "SN-X6"
check "own serial of an unannounced product refused: $(last)" grep -q "^refused: unannounced: delivery D-3 has no PULSOX; set SN-X6 aside" <<<"$(last)"
check "refused serials not received" [ "$(sql "SELECT count(*) FROM devices WHERE serial IN ('SN-X2', 'SN-X5', 'SN-X6')")" -eq 0 ]
check "no label for a refused device" [ "$(sql "SELECT count(*) FROM outbox WHERE payload LIKE '%SN-X5%' OR payload LIKE '%SN-X6%'")" -eq 0 ]
scan "CMD:CANCEL"
scan "SN-X7"
check "without a delivery a serial needs its product's barcode: $(last)" grep -q "^refused: SN-X7: a serial number alone does not say which product it is; scan the product's barcode" <<<"$(last)"
scan "]E09506000134352"
scan "SN-X7"
check "without a delivery: product's barcode, then the serial: $(last)" [ "$(last)" = "ok: SN-X7 received as BPM (not registered -> received); label queued" ]
expect 0 "D-3 from OMRON \(open\): 3 expected, 3 received, 0 missing" -- supplier-delivery show D-3

kill -TERM "$pid"; wait "$pid"; pid=

# --- the CLI and a voided receipt
printf 'supplier;delivery;product;expected\nOMRON;D-5;BPM;1\n' >"$dir/d5.csv"
wms supplier-delivery import "$dir/d5.csv" >/dev/null
refused 6 "unannounced: delivery D-5 has no SCALE; set SN-C0 aside" -- receive SN-C0 --product SCALE --delivery D-5
expect 0 "SN-C1: none -> received" -- receive SN-C1 --delivery D-5
refused 6 "over-receipt: delivery D-5 has received every device it announced; set SN-C2 aside" -- receive SN-C2 --delivery D-5
expect 0 "D-5 from OMRON \(open\): 1 expected, 1 received, 0 missing" -- supplier-delivery show D-5
expect 0 "voided" -- void "$(sql "SELECT max(id) FROM events")" --reason "wrong box"
expect 0 "D-5 from OMRON \(open\): 1 expected, 0 received, 1 missing" -- supplier-delivery show D-5
expect 0 "SN-C2: none -> received" -- receive SN-C2 --delivery D-5
expect 0 "projections equal a rebuild" -- db check

expect 0 "delivery D-1 closed; discrepancy report:" -- supplier-delivery close D-1
expect 0 '"status": "closed"' -- supplier-delivery show D-1 --json
check "the report is stored" [ "$(sql "SELECT json_extract(report, '\$.missing') FROM supplier_deliveries WHERE number = 'D-1'")" = 1 ]
refused 6 "closed already" -- supplier-delivery close D-1
finish
