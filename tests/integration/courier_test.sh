#!/usr/bin/env bash
# courier_test.sh - the courier room through `wms` end to end: pickup points
# and postal codes from CSV (bad lines reported by line), order -> allocate
# -> pick -> consignment with an SSCC whose check digit is verified here ->
# booking job in the outbox, booked over HTTP (--wait, `consignment work`)
# with a carrier played by carrier_stub (the requests it received are
# checked) -> tracking file -> delivered with its lead time; a manual
# carrier, a failed delivery and a failed booking as problems.
# usage: courier_test.sh PATH/TO/wms PATH/TO/carrier_stub
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
STUB_BIN=$2
dir=$(mktemp -d)
stub_pid=
cleanup() { [ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export WMS_DB=$dir/t.db WMS_CONFIG=$dir/wms.conf
unset WMS_NOW

# GS1 mod 10 of the first 17 digits, computed here and not by wms
check_digit() {
  local d=$1 sum=0 i w
  for ((i = 0; i < 17; i++)); do
    if (( (17 - i) % 2 )); then w=3; else w=1; fi
    sum=$((sum + ${d:i:1} * w))
  done
  echo $(( (10 - sum % 10) % 10 ))
}

# --- the carrier's server
"$STUB_BIN" "$dir/port" "$dir/requests.log" & stub_pid=$!
wait_for 60 test -s "$dir/port"
port=$(cat "$dir/port")
cat > "$WMS_CONFIG" <<CONF
[courier]
gs1_company_prefix = 7350012345
sscc_extension = 3
lead_time_ends = delivered available_at_pickup_point
[carrier PostNord]
adapter = manual
[carrier Bring]
adapter = http-json
base_url = http://127.0.0.1:$port/api
token = test-token-1
timeout_ms = 3000
service = PARCEL
CONF

# --- reference data
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf --depot ML

# --- pickup points and postal codes
cat > "$dir/points.csv" <<'CSV'
id,carrier,name,address,postal_code,city,opening_hours,active
1001,PostNord,ICA Nära Lindome,Göteborgsvägen 1,437 30,Lindome,"Mån-Fre 9-20, Lör 10-16",yes
1002,PostNord,Pressbyrån Mölndal,Storgatan 2,43130,Mölndal,,yes
2001,Bring,Coop Kållered,Kållered torg 3,42834,Kållered,,yes
2002,Bring,Stängd butik,Gatan 4,41101,Göteborg,,no
1003,PostNord,No postcode,Gatan 5,4110,Göteborg,,yes
1001,PostNord,Again,Göteborgsvägen 1,43730,Lindome,,yes
CSV
expect 3 "line 6: bad postal code \"4110\"" -- pickup-point import "$dir/points.csv"
expect 3 "line 7: pickup point PostNord 1001 already given on line 2" -- pickup-point import "$dir/points.csv"
expect 3 "0 added, 0 updated, 4 unchanged, 2 bad lines" -- pickup-point import "$dir/points.csv"
[ "$(sqlite3 "$WMS_DB" "SELECT count(*) FROM pickup_points")" = 4 ] && ok || bad "pickup points duplicated"
sed -i 's/Mån-Fre 9-20, Lör 10-16/Mån-Fre 9-21/' "$dir/points.csv"
expect 3 "0 added, 1 updated, 3 unchanged" -- pickup-point import "$dir/points.csv"
printf 'postal_code,lat,lon\n43730,57.5617,12.0760\n43130,57.6554,12.0138\n42834,57.6105,12.0485\n41101,57.7089,11.9746\n41102,57.7,200\n' > "$dir/postcodes.csv"
expect 3 "line 6: bad longitude" -- postcode import "$dir/postcodes.csv"
expect 0 "PP-POSTNORD-1002 .*Pressbyrån Mölndal" -- pickup-point nearest "411 01"
expect 0 '"pickup_point": "PP-BRING-2001"' -- pickup-point nearest 41101 --carrier Bring --json
out=$("$WMS_BIN" pickup-point nearest 41101 --json 2>&1)
grep -q "PP-BRING-2002" <<<"$out" && bad "an inactive pickup point was suggested" || ok
refused 4 "has no coordinates" -- pickup-point nearest 99999
refused 3 "bad postal code" -- pickup-point nearest 4110
refused 3 "1..100" -- pickup-point nearest 41101 --limit 0
refused 1 "cannot read" -- pickup-point import "$dir/nope.csv"
printf 'x,PostNord\n' > "$dir/allbad.csv"
refused 3 "line 1: 2 fields; expected 8" -- pickup-point import "$dir/allbad.csv"

# --- devices and orders (registered Monday 2026-03-02 09:00)
for sn in SN-1 SN-2 SN-3 SN-4; do
  expect 0 "none -> received" -- receive $sn --product BPM --at 2026-03-01T08:00
  expect 0 "received -> in_stock" -- move $sn --location A-01-01 --at 2026-03-01T08:10
done
expect 0 "order O-1" -- order create O-1 --customer VC-MOLNDAL --product BPM --mode home --patient-ref P-000001 --at 2026-03-02T09:00
expect 0 "order O-2" -- order create O-2 --customer VC-MOLNDAL --product BPM --mode pickup_point --pickup-point PP-POSTNORD-1002 --at 2026-03-02T09:00
expect 0 "order ERR-3" -- order create ERR-3 --customer VC-MOLNDAL --product BPM --mode unit --at 2026-03-02T09:00
expect 0 "order O-4" -- order create O-4 --customer VC-MOLNDAL --product BPM --mode home --at 2026-03-02T09:00
refused 6 "order O-1 is open; a consignment is made once its device is picked" -- consignment create O-1 --carrier Bring
for o in O-1 O-2 ERR-3 O-4; do
  expect 0 "order $o: reserved SN-" -- allocate $o --at 2026-03-02T10:00
done
for sn in SN-1 SN-2 SN-3 SN-4; do
  expect 0 "reserved -> picked" -- pick $sn --at 2026-03-02T11:00
done

# --- consignments: refused ones write nothing
refused 4 "unknown carrier \"DHL\"; configured: PostNord, Bring" -- consignment create O-1 --carrier DHL
refused 3 "needs a carrier" -- consignment create O-1
refused 3 "booked by hand" -- consignment create O-2 --carrier PostNord
refused 3 "bad tracking number" -- consignment create O-2 --carrier PostNord --tracking "SE 1"
refused 3 "pickup point PP-POSTNORD-1002 of PostNord" -- consignment create O-2 --carrier Bring
refused 3 "only for manual carriers" -- consignment create O-1 --carrier Bring --tracking X1
refused 4 "unknown order" -- consignment create O-404 --carrier Bring

# --- O-1 booked over HTTP
expect 0 "SSCC 373500123450000007 created; booking with Bring queued \(outbox job 1\)" -- consignment create O-1 --carrier Bring --at 2026-03-02T12:00
[ "$(sqlite3 "$WMS_DB" "SELECT kind || ' ' || target || ' ' || state FROM outbox WHERE id = 1")" = "booking Bring queued" ] && ok || bad "no booking job in the outbox"
[ -s "$dir/requests.log" ] && bad "creation called the carrier: $(cat "$dir/requests.log")" || ok
expect 0 "booked 1, retried 0, failed 0, closed 0" -- consignment work --once
expect 0 "booked 0, retried 0, failed 0, closed 0" -- consignment work --once
expect 0 "TN000000 +booked" -- consignment list
[ "$(sqlite3 "$WMS_DB" "SELECT state FROM outbox WHERE id = 1")" = "printed" ] && ok || bad "booking job not done"
sscc=$(sqlite3 "$WMS_DB" "SELECT sscc FROM consignments WHERE tracking = 'TN000000'")
[ "${#sscc}" = 18 ] && [ "${sscc:17:1}" = "$(check_digit "$sscc")" ] && ok || bad "SSCC $sscc: wrong check digit"
grep -q "^POST /api/shipments auth=\[Bearer test-token-1\] body=.*\"sscc\":\"$sscc\"" "$dir/requests.log" && ok || bad "booking request: $(cat "$dir/requests.log")"
grep -q '"order":"O-1".*"service":"PARCEL"' "$dir/requests.log" && ok || bad "booking body lacks order/service"
grep -q "key=\[wms-$sscc\]" "$dir/requests.log" && ok || bad "booking without its Idempotency-Key"
grep -q '"mode":"home"' "$dir/requests.log" && ok || bad "booking body lacks the delivery mode"
grep -q "P-000001" "$dir/requests.log" && bad "patient reference sent to the carrier" || ok
refused 5 "already has consignment $sscc" -- consignment create O-1 --carrier Bring

# --- O-2 by hand; ERR-3 refused by the carrier; O-4 by hand
expect 0 "booked, tracking number SE100200300" -- consignment create O-2 --carrier PostNord --tracking SE100200300 --at 2026-03-02T12:00
expect 1 "created, not booked yet: carrier Bring refused the booking: HTTP 503: \"booking service unavailable\"" -- consignment create ERR-3 --carrier Bring --wait --at 2026-03-02T12:00
expect 0 "queued .*HTTP 503" -- print-queue list --state queued
expect 0 "not booked: carrier Bring refused" -- consignment list --problems
expect 0 "booked, tracking number SE400" -- consignment create O-4 --carrier postnord --tracking SE400 --at 2026-03-02T12:00
sscc3=$(sqlite3 "$WMS_DB" "SELECT sscc FROM consignments c JOIN orders o ON o.id = c.order_id WHERE o.number = 'ERR-3'")
refused 3 "only for manual carriers" -- consignment book "$sscc3" --tracking SE400
refused 6 "only a created consignment is booked" -- consignment book "$sscc"

# --- tracking events from files: CSV and JSON lines, duplicates, bad lines
cat > "$dir/tracking.csv" <<CSV
ref,event,time
TN000000,in_transit,2026-03-03T07:00
TN000000,in_transit,2026-03-03T07:00
$sscc,delivered,2026-03-05T10:30:00+01:00
SE100200300,in_transit,2026-03-03T07:00
SE400,failed_delivery,2026-03-04T14:00
NOPE1,delivered,2026-03-04T12:00
SE400,beamed_up,2026-03-04T12:00
$sscc3,in_transit,2026-03-04T12:00:61
CSV
expect 3 "4 added, 0 updated, 1 unchanged, 3 bad lines" -- tracking import "$dir/tracking.csv"
expect 3 "line 7: no consignment with tracking number \"NOPE1\"" -- tracking import "$dir/tracking.csv"
expect 3 "line 8: bad event \"beamed_up\"" -- tracking import "$dir/tracking.csv"
expect 3 "line 9: bad|0 added, 0 updated, 5 unchanged, 3 bad lines" -- tracking import "$dir/tracking.csv"
cat > "$dir/tracking.jsonl" <<'JSON'
{"tracking":"SE100200300","event":"available_at_pickup_point","time":"2026-03-04T09:00"}
{"tracking":"SE100200300","event":"available_at_pickup_point","time":"2026-03-04T09:00"}
JSON
expect 0 "1 added, 0 updated, 1 unchanged, 0 bad lines" -- tracking import "$dir/tracking.jsonl"
printf 'NOPE1,delivered,2026-03-04T12:00\nSE400,delivered\n' > "$dir/badtracking.csv"
refused 3 "line 2: 2 fields; expected 3" -- tracking import "$dir/badtracking.csv"
printf '{"sscc":"%s","event":"delivered","time":"2026-03-06T10:00"}\n[]\n' "${sscc3:0:17}0" > "$dir/badtracking.jsonl"
refused 3 "line 2: bad JSON line: not an object" -- tracking import "$dir/badtracking.jsonl"

# O-1: delivered Thursday, registered Monday 09:00: 3 working days
expect 0 "lead_time_days +3" -- consignment show "$sscc"
expect 0 "state +delivered" -- consignment show TN000000
expect 0 '"state": "delivered"' -- device show SN-1 --json
expect 0 "carrier Bring: delivered, SSCC $sscc" -- device show SN-1
# O-2: available at the pickup point ends the lead time (2 working days); collection apart
expect 0 "PP-POSTNORD-1002" -- device show SN-2
expect 0 "lead_time_days +2" -- consignment show SE100200300
before=$(sqlite3 "$WMS_DB" "SELECT count(*) FROM events")
expect 0 "collected" -- tracking add SE100200300 collected --at 2026-03-05T16:00
[ "$(sqlite3 "$WMS_DB" "SELECT count(*) FROM events")" = "$before" ] && ok || bad "collection wrote a ledger event"
expect 0 "already recorded" -- tracking add SE100200300 collected --at 2026-03-05T16:00
refused 3 "bad event" -- tracking add SE100200300 teleported
WMS_NOW=2026-03-06T12:00 expect 0 '"median": 2' -- leadtime report --json

# --- problems for the dispatcher: the failed delivery and the unbooked one
expect 0 "SE400 .*failed delivery" -- consignment list --problems
expect 0 "not booked" -- consignment list --problems
out=$("$WMS_BIN" consignment list --problems 2>&1)
grep -q "TN000000" <<<"$out" && bad "a delivered consignment listed as a problem" || ok
# the booking retried once the carrier is back: the stub refuses orders named ERR*, so it fails again
expect 1 "HTTP 503" -- consignment book "$sscc3"
expect 0 "booking_failed" -- consignment show "$sscc3"

# --- cancelling a consignment not yet handed over; the order gets a new one
refused 6 "only a created or booked" -- consignment cancel "$sscc" --reason "wrong parcel"
refused 3 "needs a reason" -- consignment cancel "$sscc3"
expect 0 "cancelled" -- consignment cancel "$sscc3" --reason "carrier down, going by hand"
expect 0 "booked, tracking number SE555" -- consignment create ERR-3 --carrier PostNord --tracking SE555
out=$("$WMS_BIN" consignment list --problems 2>&1)
grep -q "not booked" <<<"$out" && bad "a cancelled consignment still listed as not booked" || ok

# --- a transfer to Skövde booked over HTTP: the carrier is told mode "transfer" and the
# device's serial as reference; its shipping label goes from depot to depot
expect 0 "depot SK added" -- depot add SK --name "HMC Skövde" --address "Badhusgatan 5, 541 30 Skövde"
expect 0 "none -> received" -- receive SN-T1 --product BPM --at 2026-03-06T08:00
expect 0 "received -> in_stock" -- move SN-T1 --location A-01-01 --at 2026-03-06T08:10
cat >> "$WMS_CONFIG" <<'CONF'
[printer frakt]
queue = frakt
server = 127.0.0.1:9
language = zpl
purposes = shipping
CONF
: > "$dir/requests.log"
expect 0 "transfer consignment [0-9]+: no label queued: depot ML has no address; give it one with .wms depot address ML" -- transfer-consignment create SN-T1 --to SK --carrier Bring --printer frakt --at 2026-03-06T09:00
tsscc=$(sqlite3 "$WMS_DB" "SELECT sscc FROM consignments WHERE kind = 'transfer'")
expect 0 "booked 1, retried 0, failed 0, closed 0" -- consignment work --once
grep -q "^POST /api/shipments auth=\[Bearer test-token-1\] body=.*\"sscc\":\"$tsscc\"" "$dir/requests.log" && ok || bad "transfer booking request: $(cat "$dir/requests.log")"
grep -q '"order":"SN-T1"' "$dir/requests.log" && ok || bad "transfer booking lacks the serial as reference"
grep -q '"mode":"transfer"' "$dir/requests.log" && ok || bad "transfer booking lacks mode transfer: $(cat "$dir/requests.log")"
expect 0 "state +booked" -- consignment show "$tsscc"
expect 0 "$tsscc" -- transfer list --state requested --depot SK
refused 5 "device SN-T1 already has transfer consignment $tsscc" -- transfer-consignment create SN-T1 --to SK --carrier Bring
# the default depot without an address of its own is the centre of [courier]
expect 0 "cancelled" -- consignment cancel "$tsscc" --reason "label missing"
sed -i 's/^\[courier\]$/[courier]\nsender_street = Kärragatan 1\nsender_postcode = 43133\nsender_city = Mölndal/' "$WMS_CONFIG"
expect 0 "shipping label queued on printer frakt" -- transfer-consignment create SN-T1 --to SK --carrier Bring --printer frakt --wait --at 2026-03-06T09:30
payload=$(sqlite3 "$WMS_DB" "SELECT payload FROM outbox WHERE kind = 'label' AND target = 'frakt'")
grep -q '"sender_name":"HMC Mölndal","sender_street":"Kärragatan 1"' <<<"$payload" && ok || bad "sender of the transfer label: $payload"
grep -q '"receiver_name":"HMC Skövde","receiver_street":"Badhusgatan 5","receiver_postcode":"541 30","receiver_city":"Skövde"' <<<"$payload" && ok || bad "receiver of the transfer label: $payload"
grep -q '"tracking":"TN0000' <<<"$payload" && ok || bad "transfer label without the tracking number: $payload"

# --- configuration errors name the file and line
printf '[courier]\ngs1_company_prefix = 12\n' > "$dir/bad.conf"
expect 7 "bad.conf:2: bad gs1_company_prefix" -- --config "$dir/bad.conf" consignment list
printf '[carrier X]\nadapter = pigeon\n' > "$dir/bad.conf"
expect 7 "bad.conf:2: bad adapter \"pigeon\"; allowed: http-json, manual" -- --config "$dir/bad.conf" consignment list
printf '[carrier X]\nadapter = http-json\n' > "$dir/bad.conf"
expect 7 "needs base_url" -- --config "$dir/bad.conf" consignment list

expect 0 "ok" -- db check
echo "courier_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
