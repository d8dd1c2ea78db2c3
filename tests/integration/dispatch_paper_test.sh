#!/usr/bin/env bash
# dispatch_paper_test.sh - a dispatcher's paperwork (issue 19): customers
# with an address; the delivery note (följesedel) filled from an order (the
# patient's pseudonym only); an order's pickup point set afterwards (a ledger
# event: db check still equals a rebuild); the demo region's pickup-point
# registry answering `pickup-point nearest`; an SSCC scanned at the dispatch
# station dispatching its devices with a delivery note queued; printer
# routing that names the printer and its stations; carrier bookings listed
# as bookings in the print queue.
# usage: dispatch_paper_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8 WMS_DB=$db WMS_CONFIG=$conf
wms() { "$WMS_BIN" "$@"; }
mkfifo "$dir/disp" "$dir/disp.ack"
exec 3<>"$dir/disp.ack"
cat >"$WMS_CONFIG" <<CONF
[store]
database = $db
[station disp]
mode = dispatch
scanner = fifo:$dir/disp ack=$dir/disp.ack
double_read_ms = 0
[printer paper]
queue = paper
server = 127.0.0.1:9
language = pdf
purposes = delivery-note
[printer zebra]
queue = zebra
server = 127.0.0.1:9
language = zpl
purposes = device
stations = goods-in recon-1
[courier]
gs1_company_prefix = 7350012345
[carrier PostNord]
adapter = manual
[http]
listen = off
CONF

# --- customers with an address
expect 0 "customer VC-ALE added" -- customer add VC-ALE --name "Vårdcentralen Ale" --kind region --street "Ale torg 7" --postcode 44930 --city Nödinge
expect 0 '"postcode": "449 30"' -- customer list --json
refused 3 'bad postcode "4493": five digits' -- customer add VC-X --name X --kind region --street S --postcode 4493 --city C
check "a refused customer add leaves no customer" [ "$(sql "SELECT count(*) FROM customers WHERE code = 'VC-X'")" -eq 0 ]
expect 0 "customer KOM-ALE added" -- customer add KOM-ALE --name "Ale kommun" --kind municipality
refused 4 'unknown customer "NOPE"' -- customer set-address NOPE --street S --postcode 44930 --city C
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms location add A-01 --name "Hylla A1" --kind shelf >/dev/null
wms location add PP-NODINGE --name "ICA Nära Nödinge" --kind pickup_point >/dev/null
for s in SN-1 SN-2 SN-3; do wms receive $s --product BPM >/dev/null; wms move $s --location A-01 >/dev/null; done
wms order create O-U --customer VC-ALE --product BPM --mode unit --patient-ref P-000042 --patient-name "Anna Andersson" >/dev/null
wms order create O-K --customer KOM-ALE --product BPM --mode unit --patient-ref P-000043 >/dev/null
wms order create O-H --customer VC-ALE --product BPM --mode home --patient-ref P-000044 >/dev/null
wms reserve SN-1 --order O-U >/dev/null && wms pick SN-1 >/dev/null

# --- the delivery note from the order; the order's own note (why it is late) is the
# centre's and never goes to the customer on it; a text for the customer is given
wms order note O-U --reason "INTERNT: leverantören sen, kunden ej kontaktad" >/dev/null || bad "order note"
expect 0 "delivery-note label written" -- label preview delivery-note --order O-U --zpl "$dir/dn.zpl"
check "the order's internal note is not on the delivery note" bash -c "! grep -q 'INTERNT' '$dir/dn.zpl'"
expect 0 "delivery-note label written" -- label preview delivery-note --order O-U --set "note=Laddaren ligger i sidofacket" --zpl "$dir/dn2.zpl"
check "a text for the customer is" grep -q "Laddaren ligger i sidofacket" "$dir/dn2.zpl"
expect 0 "picklist label written" -- label preview picklist --order O-U --zpl "$dir/pl.zpl"
check "the pick list, the centre's own paper, keeps the note" grep -q "INTERNT" "$dir/pl.zpl"
for want in "Vårdcentralen Ale" "Ale torg 7" "449 30 Nödinge" "O-U" "P-000042" "Till beställande enhet" "BPM" "Digital blodtrycksmätare" "SN-1"; do
  check "delivery note has $want" grep -q "$want" "$dir/dn.zpl"
done
check "delivery note never names the patient" bash -c "! grep -q 'Anna Andersson' '$dir/dn.zpl'"
refused 3 "customer KOM-ALE of order O-K has no address for the delivery note; set it with .wms customer set-address KOM-ALE" -- label preview delivery-note --order O-K --zpl "$dir/x.zpl"
expect 0 "customer KOM-ALE: address set" -- customer set-address KOM-ALE --street "Kommunhuset, Stora Torget 1" --postcode "449 80" --city Alafors
expect 0 "delivery-note label written" -- label preview delivery-note --order O-K --zpl "$dir/dk.zpl"

# --- the pickup point of an existing order
expect 0 "order O-H: order_note" -- order set-pickup-point O-H PP-NODINGE
check "order O-H now goes to the pickup point" [ "$(sql "SELECT o.mode || ' ' || l.code FROM orders o JOIN locations l ON l.id = o.pickup_point_id WHERE number = 'O-H'")" = "pickup_point PP-NODINGE" ]
refused 3 'location "A-01" is a shelf location; a pickup_point location is needed' -- order set-pickup-point O-H A-01
refused 4 'unknown location "PP-NOPE"' -- order set-pickup-point O-H PP-NOPE
expect 0 "PP-NODINGE" -- order show O-H
expect 0 "projections equal a rebuild" -- db check

# --- `wms dispatch` prints the delivery note of a unit or buffer delivery, as the station does
wms customer add KOM-LER --name "Lerums kommun" --kind municipality >/dev/null
wms order create O-N --customer KOM-LER --product BPM --mode unit --patient-ref P-000045 >/dev/null
wms reserve SN-2 --order O-K >/dev/null && wms pick SN-2 >/dev/null
wms order note O-K --reason "INTERNT: sen" >/dev/null || bad "order note"
out=$(wms dispatch SN-2 --json --delivery-note-text "Ring receptionen vid ankomst" 2>&1)
check "wms dispatch --json says the note was queued: $out" jq -e '.type == "dispatch" and .delivery_note == {"queued": true, "printer": "paper"}' <<<"$out"
check "the CLI's delivery note in the dispatch's transaction" [ "$(sql "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'dispatch' AND o.target = 'paper' AND o.payload LIKE '%\"label\":\"delivery-note\"%' AND o.payload LIKE '%SN-2%' AND o.payload LIKE '%Alafors%'")" -eq 1 ]
check "with the text for the customer, without the internal note" [ "$(sql "SELECT count(*) FROM outbox WHERE payload LIKE '%SN-2%' AND payload LIKE '%Ring receptionen vid ankomst%' AND payload NOT LIKE '%INTERNT%'")" -eq 1 ]
wms reserve SN-3 --order O-H >/dev/null && wms pick SN-3 >/dev/null
out=$(wms dispatch SN-3 --json 2>&1)
check "a pickup-point delivery has no delivery note: $out" jq -e '.to == "dispatched" and .delivery_note == null' <<<"$out"
refused 4 'unknown printer "nope"' -- dispatch SN-3 --printer nope
wms receive SN-4 --product BPM >/dev/null && wms move SN-4 --location A-01 >/dev/null
wms reserve SN-4 --order O-N >/dev/null && wms pick SN-4 >/dev/null
out=$(wms dispatch SN-4 --json 2>&1)
check "--json: no note, and why: $out" jq -e '.delivery_note.queued == false and (.delivery_note.why | test("customer KOM-LER of order O-N has no address"))' <<<"$out"
check "without an address the dispatch stands, no note queued" [ "$(sql "SELECT state FROM devices WHERE serial = 'SN-4'") $(sql "SELECT count(*) FROM outbox WHERE payload LIKE '%SN-4%'")" = "dispatched 0" ]
sed 's/^\[printer paper\]$/[printer paper]\nstations = pack-1/' "$WMS_CONFIG" >"$dir/pack.conf"
wms order create O-R --customer VC-ALE --product BPM --mode buffer --patient-ref P-000046 >/dev/null
wms receive SN-5 --product BPM >/dev/null && wms move SN-5 --location A-01 >/dev/null
wms reserve SN-5 --order O-R >/dev/null && wms pick SN-5 >/dev/null
WMS_CONFIG=$dir/pack.conf expect 0 "SN-5: no delivery note: no printer has purpose delivery-note at station disp: printer paper has it only for stations pack-1" -- dispatch SN-5 --station disp

# --- printer routing: a printer with the purpose for other stations is named
refused 3 "no printer has purpose device at station disp: printer zebra has it only for stations goods-in recon-1" -- label print device --device SN-2 --station disp

# --- an SSCC at the dispatch station: its devices go, with the delivery note
out=$(wms consignment create O-U --carrier PostNord --tracking TRK-1 2>&1) || bad "consignment create: $out"
sscc=$(sql "SELECT sscc FROM consignments WHERE order_id = (SELECT id FROM orders WHERE number = 'O-U')")
wmsd_start "$conf" "$log" "ready: 1 stations"
printf ']C100%s\n' "$sscc" >"$dir/disp"
read -r -t 10 -u 3 ack || bad "SSCC scan not acknowledged"
last=$(sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1")
check "SSCC dispatches its devices: $last" grep -q "^ok: consignment $sscc: SN-1 handed over for transport; delivery note queued on paper" <<<"$last"
check "SN-1 dispatched" [ "$(sql "SELECT state FROM devices WHERE serial = 'SN-1'")" = dispatched ]
check "the delivery note in the dispatch's transaction" [ "$(sql "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'dispatch' AND o.target = 'paper' AND o.payload LIKE '%\"label\":\"delivery-note\"%' AND o.payload LIKE '%SN-1%'")" -eq 1 ]
printf ']C100%s\n' "$sscc" >"$dir/disp"
read -r -t 10 -u 3 ack
check "the same SSCC again: nothing left to dispatch ($ack)" [ "$ack" = bad ]
printf ']C100%s\n' "350123450000000016" >"$dir/disp"
read -r -t 10 -u 3 ack
last=$(sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1")
check "an unknown SSCC is not read as a serial: $last" grep -q "is not one of our consignments" <<<"$last"
kill -TERM "$pid"; wait "$pid"; pid=

# --- carrier bookings are bookings in the print queue
sql "INSERT INTO outbox(kind, target, payload, next_attempt_ts, created_ts, state, nonce) VALUES ('booking', 'PostNord', '{}', 0, 0, 'printed', 'n1')"
expect 0 '"label": "booking"' -- print-queue list --json
expect 0 '"state": "booked"' -- print-queue list --json

# --- the demo region: pickup points and postcodes out of the box
WMS_DB=$dir/demo.db expect 0 "demo data loaded" -- demo
WMS_DB=$dir/demo.db expect 0 "PP-MAJORNA +PostNord .*Karl Johansgatan 20 +41459 +Göteborg" -- pickup-point nearest 41101
finish
