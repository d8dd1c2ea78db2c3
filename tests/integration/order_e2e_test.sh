#!/usr/bin/env bash
# order_e2e_test.sh - one order from end to end through the real binaries,
# with the real print path and an HTTP carrier: order -> allocate -> pick ->
# consignment (SSCC; its booking and shipping label queued in the outbox in
# the same transaction) -> the carrier is down: the booking job is retried
# with backoff -> the carrier is back: exactly one booking -> the label,
# released with the tracking number, printed through a private cupsd to a raw
# socket sink whose bytes must hold the SSCC -> handover and delivery by
# tracking events -> `wms order show` with the lead time in working days;
# then a return via postombud: return consignment (own SSCC, kind return),
# booked by wmsd's outbox thread, return label printed by it -> tracking
# events that leave the ledger alone -> return scan at wmsd's FIFO return
# station -> quarantine.
# usage: order_e2e_test.sh PATH/TO/wms PATH/TO/wmsd PATH/TO/carrier_stub PATH/TO/cupsd_up
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
WMSD_BIN=$2
STUB_BIN=$3
CUPSD_UP=$4
dir=$(mktemp -d)
stub_pid= cups_pid= wmsd_pid=
cleanup() {
  for p in $wmsd_pid $stub_pid $cups_pid; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
export WMS_DB=$dir/t.db WMS_CONFIG=$dir/wms.conf
unset WMS_NOW CUPS_SERVER

sql() { sqlite3 "$WMS_DB" "$1"; }
# POST lines of the carrier's log for an SSCC, with the status answered
posts() { grep -c "^POST /api/shipments .*\"sscc\":\"$1\".* -> $2\$" "$dir/requests.log"; }

# --- the carrier (down while $dir/down exists) and the printer (private cupsd, raw queue -> sink)
"$STUB_BIN" "$dir/port" "$dir/requests.log" "$dir/down" & stub_pid=$!
"$CUPSD_UP" "$dir/cups.info" "$dir/sink.bin" 2>"$dir/cupsd_up.log" & cups_pid=$!
wait_for 60 test -s "$dir/port" || bad "carrier stub did not start"
wait_for 60 test -s "$dir/cups.info" || { bad "cupsd did not start: $(cat "$dir/cupsd_up.log")"; finish; exit 1; }
port=$(cat "$dir/port")
server=$(cat "$dir/cups.info")
export CUPS_SERVER=$server   # as the cups tests do: libcups asks it besides [printer] server
cat > "$WMS_CONFIG" <<CONF
[store]
database = $WMS_DB
[courier]
gs1_company_prefix = 7350012345
sscc_extension = 1
sender_name = Hjälpmedelscentralen
sender_street = Förrådsvägen 4
sender_postcode = 431 53
sender_city = Mölndal
parcel_weight = 0.8 kg
[carrier Bring]
adapter = http-json
base_url = http://127.0.0.1:$port/api
timeout_ms = 3000
[printer zebra]
queue = raw
server = $server
language = zpl
purposes = shipping return
CONF

# --- reference data, a device on the shelf, the order (Monday 2026-03-02 09:00)
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf
printf 'id,carrier,name,address,postal_code,city,opening_hours,active\n2001,Bring,Coop Kållered,Kållered torg 3,42834,Kållered,,yes\n' > "$dir/points.csv"
expect 0 "1 added" -- pickup-point import "$dir/points.csv"
expect 0 "none -> received" -- receive SN-E1 --product BPM --at 2026-03-01T08:00
expect 0 "received -> in_stock" -- move SN-E1 --location A-01-01 --at 2026-03-01T08:10
expect 0 "order O-E1" -- order create O-E1 --customer VC-MOLNDAL --product BPM --mode home \
  --patient-ref P-000042 --patient-name "Karin Åberg" --patient-address "Ängsvägen 3 B, Mölndal" \
  --patient-postal-code 43130 --at 2026-03-02T09:00
refused 6 "a consignment is made once its device is picked" -- consignment create O-E1 --carrier Bring
expect 0 "order O-E1: reserved SN-E1" -- allocate O-E1 --at 2026-03-02T10:00
expect 0 "reserved -> picked" -- pick SN-E1 --at 2026-03-02T11:00

# --- consignment while the carrier is down: consignment, booking job and held label in one go
touch "$dir/down"
expect 0 "booking with Bring queued" -- consignment create O-E1 --carrier Bring --at 2026-03-02T12:00
sscc=$(sql "SELECT sscc FROM consignments c JOIN orders o ON o.id = c.order_id WHERE o.number = 'O-E1'")
label=$(sql "SELECT label_job FROM consignments WHERE sscc = '$sscc'")
booking=$(sql "SELECT booking_job FROM consignments WHERE sscc = '$sscc'")
[ -n "$label" ] && [ -n "$booking" ] && ok || bad "consignment $sscc lacks its jobs: label '$label' booking '$booking'"
expect 0 "waiting for the booking with Bring" -- print-queue show "$label"
# The first try and the check that the backoff holds run at pinned clocks one
# second apart: on a slow machine real seconds could pass the 5 s backoff.
t0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t1=$(date -u -d "$(sed 's/T/ /;s/Z$/ UTC/' <<<"$t0") + 1 second" +%Y-%m-%dT%H:%M:%SZ)
WMS_NOW=$t0 expect 0 "booked 0, retried 1, failed 0" -- consignment work --once
[ "$(posts "$sscc" 503)" = 1 ] && ok || bad "the booking was not tried once: $(cat "$dir/requests.log")"
expect 0 "carrier down for maintenance" -- print-queue show "$booking"
expect 0 "not booked: carrier Bring refused the booking: HTTP 503" -- consignment list --problems
WMS_NOW=$t1 expect 0 "booked 0, retried 0, failed 0" -- consignment work --once   # backoff: not due yet
[ "$(posts "$sscc" 503)" = 1 ] && ok || bad "retried before its backoff"
expect 0 "submitted 0" -- print-queue work --once                         # the label is held
# retrying the held label would print it without a tracking number: refused, naming the booking
refused 6 "print job $label is the label of consignment $sscc and waits for its booking with Bring .*; retry the booking: wms consignment book $sscc" -- print-queue retry "$label"
grep -q "Karin\|Ängsvägen\|P-000042" "$dir/requests.log" && bad "personal data sent to the carrier" || ok

# --- the carrier is back: the worker books once after the backoff (5 s)
rm -f "$dir/down"
booked() { "$WMS_BIN" consignment work --once >/dev/null 2>&1; [ "$(sql "SELECT state FROM consignments WHERE sscc = '$sscc'")" = booked ]; }
check "booked after the carrier came back" wait_for 60 booked
expect 0 "booked 0, retried 0, failed 0, closed 0" -- consignment work --once
[ "$(posts "$sscc" 201)" = 1 ] && ok || bad "not exactly one booking: $(cat "$dir/requests.log")"
grep -q "key=\[wms-$sscc\]" "$dir/requests.log" && ok || bad "booking without its Idempotency-Key"
tracking=$(sql "SELECT tracking FROM consignments WHERE sscc = '$sscc'")
[ "$(sql "SELECT state FROM outbox WHERE id = $booking")" = printed ] && ok || bad "booking job not done"
[ "$(sql "SELECT json_extract(payload, '$.fields.tracking') || ' ' || (last_error IS NULL) FROM outbox WHERE id = $label")" = "$tracking 1" ] \
  && ok || bad "label not released with the tracking number"

# --- the shipping label really printed: the sink got ZPL with the SSCC and the tracking number
expect 0 "submitted 1" -- print-queue work --once
printed() { "$WMS_BIN" print-queue work --once >/dev/null 2>&1; [ "$(sql "SELECT state FROM outbox WHERE id = $label")" = printed ]; }
check "shipping label printed" wait_for 60 printed
check "sink got the label" wait_for 60 grep -q "$sscc" "$dir/sink.bin"
grep -q "\^XA" "$dir/sink.bin" && grep -q "$tracking" "$dir/sink.bin" && ok || bad "sink lacks ZPL or the tracking number"
[ "$(grep -o "(00) $sscc" "$dir/sink.bin" | wc -l)" = 1 ] && ok || bad "the label did not print exactly once"
expect 0 "2 finished print jobs" -- print-queue purge --before 2099-01-01T00:00
[ "$(sql "SELECT payload IS NULL FROM outbox WHERE id = $label")" = 1 ] && ok || bad "label payload (patient address) kept after printing"

# --- handover and delivery: Thursday, registered Monday 09:00: 3 working days
refused 6 "order O-E1 has its device picked already; a return consignment is for a delivered order" -- return-consignment create O-E1 --carrier Bring
expect 0 "in_transit" -- tracking add "$tracking" in_transit --at 2026-03-03T07:00
expect 0 '"state": "dispatched"' -- device show SN-E1 --json
expect 0 "delivered: lead time ended" -- tracking add "$sscc" delivered --at 2026-03-05T10:30
expect 0 '"lead_time_days": 3' -- order show O-E1 --json
expect 0 '"target_days": 7' -- order show O-E1 --json
expect 0 "delivered -> rented" -- rent SN-E1 --at 2026-03-05T10:31

# --- a parcel to the ordering unit, whose address is not in the register: made, without a label
expect 0 "none -> received" -- receive SN-E2 --product BPM --at 2026-03-01T08:00
expect 0 "received -> in_stock" -- move SN-E2 --location A-01-01 --at 2026-03-01T08:10
expect 0 "order O-E2" -- order create O-E2 --customer VC-MOLNDAL --product BPM --mode unit --at 2026-03-02T09:00
expect 0 "reserved SN-E2" -- allocate O-E2 --at 2026-03-02T10:00
expect 0 "reserved -> picked" -- pick SN-E2 --at 2026-03-02T11:00
expect 0 "no label queued: order O-E2 goes to the ordering unit" -- consignment create O-E2 --carrier Bring --at 2026-03-02T12:00
[ "$(sql "SELECT label_job IS NULL FROM consignments c JOIN orders o ON o.id = c.order_id WHERE o.number = 'O-E2'")" = 1 ] \
  && ok || bad "a label job without an address"

# --- return via postombud, booked and printed by wmsd's outbox thread
refused 4 "no delivered device" -- return-consignment create SN-NOPE --carrier Bring
refused 4 "unknown pickup point" -- return-consignment create SN-E1 --carrier Bring --pickup-point PP-NOPE
refused 3 "for return consignments" -- consignment create O-E1 --carrier Bring --pickup-point PP-BRING-2001
expect 0 "return consignment .* booking with Bring queued" -- return-consignment create SN-E1 --carrier Bring --pickup-point PP-BRING-2001 --at 2026-03-16T09:00
rsscc=$(sql "SELECT sscc FROM consignments WHERE kind = 'return'")
rlabel=$(sql "SELECT label_job FROM consignments WHERE sscc = '$rsscc'")
[ "$rsscc" != "$sscc" ] && [ "$(sql "SELECT o.number FROM consignments c JOIN orders o ON o.id = c.order_id WHERE c.sscc = '$rsscc'")" = O-E1 ] \
  && ok || bad "return consignment $rsscc not its own SSCC on order O-E1"
refused 5 "already has return consignment $rsscc" -- return-consignment create O-E1 --carrier Bring
mkdir -p "$dir/run"
cat > "$dir/wmsd.conf" <<CONF
$(cat "$WMS_CONFIG")
[http]
listen = off
[station returns]
mode = return
scanner = fifo:$dir/run/returns ack=$dir/run/returns.ack
double_read_ms = 0
CONF
mkfifo "$dir/run/returns" "$dir/run/returns.ack"
exec 3<>"$dir/run/returns.ack"
"$WMSD_BIN" -c "$dir/wmsd.conf" 2>"$dir/wmsd.log" & wmsd_pid=$!
rprinted() { [ "$(sql "SELECT state FROM outbox WHERE id = $rlabel")" = printed ]; }
check "wmsd booked the return and printed its label" wait_for 60 rprinted
kill -0 "$wmsd_pid" 2>/dev/null || bad "wmsd died: $(cat "$dir/wmsd.log")"
rtracking=$(sql "SELECT tracking FROM consignments WHERE sscc = '$rsscc'")
[ "$(posts "$rsscc" 201)" = 1 ] && ok || bad "return not booked exactly once"
grep -q '"mode":"return","pickup_point":"2001"' "$dir/requests.log" && ok || bad "return booking lacks mode/pickup point"
check "sink got the return label" wait_for 60 grep -q "(00) $rsscc" "$dir/sink.bin"
grep -q "RETUR" "$dir/sink.bin" && grep -q "$rtracking" "$dir/sink.bin" && ok || bad "return label lacks RETUR or tracking"

# --- the return travels: its events move the consignment, not the ledger
before=$(sql "SELECT count(*) FROM events")
expect 0 "in_transit" -- tracking add "$rtracking" in_transit --at 2026-03-17T08:00
expect 0 "delivered" -- tracking add "$rsscc" delivered --at 2026-03-18T10:00
[ "$(sql "SELECT count(*) FROM events")" = "$before" ] && ok || bad "return tracking wrote ledger events"
expect 0 '"state": "rented"' -- device show SN-E1 --json
expect 0 '"kind": "return"' -- consignment show "$rsscc" --json
expect 0 '"lead_time_days": 3' -- order show O-E1 --json
# --- return intake at wmsd's return station: the scan puts the device in quarantine
scan() { local a; printf '%s\n' "$1" >"$dir/run/returns"; read -r -t 60 -u 3 a && [ "$a" = ok ]; }
printf 'password-anna\n' | "$WMS_BIN" user add anna --role warehouse >/dev/null &&
  "$WMS_BIN" user badge anna anna >/dev/null || bad "user anna and her badge"
check "signed in at the return station" scan "USR:anna"
check "return scan of SN-E1 acknowledged ok" scan "SN-E1"
expect 0 '"state": "quarantine"' -- device show SN-E1 --json
[ "$(sql "SELECT e.type || ' ' || e.station FROM events e JOIN devices d ON d.id = e.device_id WHERE d.serial = 'SN-E1' ORDER BY e.id DESC LIMIT 1")" = "return returns" ] && ok || bad "the last event of SN-E1 is not the return at station returns"
kill "$wmsd_pid"; wait "$wmsd_pid" 2>/dev/null; wmsd_pid=
expect 0 "ok" -- db check
echo "order_e2e_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
