#!/usr/bin/env bash
# http_courier_test.sh - the courier and order side of wmsd's HTTP API with
# curl(1), the real daemon on a temporary database: the carriers' tracking
# webhook (delivered -> the order delivered with its lead time, retries
# idempotent, a batch with one bad event writes nothing), the ordering
# system's CSV import with bad lines, consignments through the manual
# carrier, a carrier that never answers (the API never waits for it), pickup
# points and the rental report against the CLI, the role matrix of these
# routes (every role and no login, by API token and by session cookie), and
# bad requests (4xx naming what is allowed, database byte-identical).
# usage: http_courier_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir

sql()  { sqlite3 "$db" "$@"; }
wms()  { "$WMS_BIN" --db "$db" --config "$conf" "$@"; }

# --- a carrier that accepts connections and never answers (the kernel's backlog accepts
# them); it lives until the test ends, however long that takes
python3 -c '
import signal, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True: signal.pause()' "$dir/hole_port" &
bg+=($!)
wait_for 60 test -s "$dir/hole_port" || { bad "the silent carrier did not start"; exit 1; }

cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[courier]
gs1_company_prefix = 7350012345
sscc_extension = 3
lead_time_ends = delivered available_at_pickup_point
[carrier PostNord]
adapter = manual
[carrier Silent]
adapter = http-json
base_url = http://127.0.0.1:$(cat "$dir/hole_port")/api
timeout_ms = 600000
connect_timeout_ms = 30000
CONF

# --- users, tokens, reference data, picked orders (through the CLI)
roles=(warehouse technician dispatcher manager admin)
http_users "${roles[@]}"
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region >/dev/null
wms location add A-01-01 --name "Hylla A1" --kind shelf >/dev/null
cat >"$dir/points.csv" <<'CSV'
id,carrier,name,address,postal_code,city,opening_hours,active
1001,PostNord,ICA Nära Lindome,Göteborgsvägen 1,437 30,Lindome,"Mån-Fre 9-20",yes
1002,PostNord,Pressbyrån Mölndal,Storgatan 2,43130,Mölndal,,yes
2001,Bring,Coop Kållered,Kållered torg 3,42834,Kållered,,yes
CSV
printf 'postal_code,lat,lon\n43730,57.5617,12.0760\n43130,57.6554,12.0138\n42834,57.6105,12.0485\n41101,57.7089,11.9746\n' >"$dir/postcodes.csv"
wms pickup-point import "$dir/points.csv" >/dev/null || bad "pickup-point import"
wms postcode import "$dir/postcodes.csv" >/dev/null || bad "postcode import"
# picked order ORDER SERIAL: registered Monday 2026-03-02 09:00, picked at 11:00
picked_order() {
  wms receive "$2" --product BPM --at 2026-03-01T08:00 >/dev/null &&
  wms move "$2" --location A-01-01 --at 2026-03-01T08:10 >/dev/null &&
  wms order create "$1" --customer VC-MOLNDAL --product BPM --mode home --patient-ref P-000001 --at 2026-03-02T09:00 >/dev/null &&
  wms reserve "$2" --order "$1" --at 2026-03-02T10:00 >/dev/null &&
  wms pick "$2" --at 2026-03-02T11:00 >/dev/null || bad "picked order $1 $2"
}
picked_order O-1 SN-1
picked_order O-2 SN-2
picked_order O-3 SN-3
picked_order O-4 SN-4
n=0
for r in dispatcher admin; do
  for via in token cookie; do n=$((n + 1)); picked_order "O-M-$r-$via" "SN-M$n"; done
done
# a rental in March for the report
picked_order O-R SN-R
for step in dispatch deliver rent; do wms "$step" SN-R --at 2026-03-03T10:00 >/dev/null || bad "$step SN-R"; done

check "wmsd -n accepts the courier sections" "$WMSD_BIN" -n -c "$conf"
http_start "$WMSD_BIN" "$conf" "$log"

D=(-H "Authorization: Bearer $(cat "$dir/token-dispatcher")")

# --- a consignment through the manual carrier, then the webhook ends the lead time
expect_req 201 '"booked": true' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" \
  -d '{"order":"O-1","carrier":"PostNord","tracking":"SE100","at":"2026-03-02T12:00"}'
sscc=$(jq -r .sscc <<<"$body")
check "SSCC of 18 digits" grep -qx '[0-9]\{18\}' <<<"$sscc"
check "tracking number kept" [ "$(jq -r .tracking <<<"$body")" = SE100 ]
check "consignment audited with the token's name" [ "$(sql "SELECT count(*) FROM consignments WHERE sscc = '$sscc'")" -eq 1 ]
expect_req 200 '"state": "booked"' GET "/api/v1/consignments/$sscc" "${D[@]}"
expect_req 200 "\"recorded\": 1" POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"tracking":"SE100","event":"in_transit","at":"2026-03-03T07:00","location":"Göteborg terminal"}'
check "in transit: the device is dispatched" [ "$(sql "SELECT state FROM devices WHERE serial = 'SN-1'")" = dispatched ]
expect_req 200 '"delivered": true' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d "{\"sscc\":\"$sscc\",\"event\":\"delivered\",\"at\":\"2026-03-05T10:30:00+01:00\",\"note\":\"left at the door\"}"
events=$(sql "SELECT count(*) FROM events")
# the carrier retries the same webhook: recorded once
expect_req 200 '"duplicate": true' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d "{\"sscc\":\"$sscc\",\"event\":\"delivered\",\"at\":\"2026-03-05T10:30:00+01:00\"}"
check "a retried webhook adds no ledger event" [ "$(sql "SELECT count(*) FROM events")" -eq "$events" ]
check "a retried webhook adds no consignment event" [ "$(sql "SELECT count(*) FROM consignment_events WHERE event = 'delivered'")" -eq 1 ]
check "the webhook's source names the token" [ "$(sql "SELECT DISTINCT source FROM consignment_events WHERE event IN ('in_transit', 'delivered')")" = "webhook:t-dispatcher" ]
out=$(wms order show O-1 --json)
check "order O-1 delivered" [ "$(jq -r .status <<<"$out")" = delivered ]
out=$(WMS_NOW=2026-03-06T12:00 wms leadtime report --json)
# O-1 (3 working days) and O-R (delivered by hand, 1 day)
check "lead time report: O-1 measured, 3 working days" [ "$(jq -c '[.overall.count, .overall.max, .overall.histogram[3]]' <<<"$out")" = "[2,3,1]" ]
expect_req 200 '"lead_time_days": 3' GET "/api/v1/consignments/SE100" "${D[@]}"
req GET "/api/v1/consignments/$sscc" "${D[@]}"
check "consignment show: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms consignment show "$sscc" --json | jq -c .)" ]

# --- a batch is one transaction: one bad event and nothing is written
expect_req 201 '"booked": true' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" \
  -d '{"order":"O-2","carrier":"PostNord","tracking":"SE200","at":"2026-03-02T12:00"}'
refused_req 404 'events\[1\]: .*NOPE1.*no event of this request was recorded' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00"},{"tracking":"NOPE1","event":"delivered","at":"2026-03-04T12:00"},{"tracking":"SE200","event":"delivered","at":"2026-03-04T12:00"}]}'
refused_req 400 '"allowed": "in_transit, available_at_pickup_point, delivered, collected, returned_to_sender, failed_delivery"' \
  POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00"},{"tracking":"SE200","event":"beamed_up","at":"2026-03-04T12:00"}]}'
refused_req 400 'events\[0\]: unknown field \\"colour\\"' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00","colour":"red"}]}'
refused_req 400 'events\[0\]: field \\"at\\" must be a string' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":20260303}]}'
refused_req 400 'events\[1\]: not an object' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00"},"delivered"]}'
refused_req 400 'no other field' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00"}],"event":"x"}'
refused_req 400 'holds 0 events' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"events":[]}'
refused_req 400 'field \\"events\\" must be an array' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"events":"x"}'
refused_req 400 'missing field \\"at\\"' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"tracking":"SE200","event":"in_transit"}'
refused_req 400 'sscc or tracking, not both' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d "{\"tracking\":\"SE200\",\"sscc\":\"$sscc\",\"event\":\"in_transit\",\"at\":\"2026-03-03T07:00\"}"
refused_req 400 'missing field \\"sscc\\" or \\"tracking\\"' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"event":"in_transit","at":"2026-03-03T07:00"}'
refused_req 400 'at: ' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"tracking":"SE200","event":"in_transit","at":"2026-02-30T07:00"}'
refused_req 400 'before consignment' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"tracking":"SE200","event":"in_transit","at":"2026-03-01T07:00"}'
refused_req 404 'NOPE1' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"tracking":"NOPE1","event":"delivered","at":"2026-03-04T12:00"}'
refused_req 400 'malformed JSON' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"events":[{'
refused_req 400 'unknown field \\"colour\\"' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" -d '{"tracking":"SE200","colour":"red"}'
refused_req 415 '"allowed": "application/json"' POST /api/v1/tracking "${D[@]}" -H 'Content-Type: text/plain' -d '{"tracking":"SE200"}'
check "SE200 untouched by the refused batches" [ "$(sql "SELECT count(*) FROM consignment_events e JOIN consignments c ON c.id = e.consignment_id WHERE c.tracking = 'SE200' AND e.event NOT IN ('created', 'booked')")" -eq 0 ]
expect_req 200 '"recorded": 2' POST /api/v1/tracking "${D[@]}" "${JSON[@]}" \
  -d '{"events":[{"tracking":"SE200","event":"in_transit","at":"2026-03-03T07:00"},{"tracking":"SE200","event":"available_at_pickup_point","at":"2026-03-04T09:00"}]}'
check "available at the pickup point delivered O-2" [ "$(wms order show O-2 --json | jq -r .status)" = delivered ]
check "the batch's reply lists both events" [ "$(jq -c '[.events[].event]' <<<"$body")" = '["in_transit","available_at_pickup_point"]' ]

# --- the ordering system's CSV export
cat >"$dir/orders.csv" <<'CSV'
external_id;customer;patient_ref;product;mode;pickup_point;requested_date;patient_name;patient_address;patient_postal_code;patient_phone
E-100;VC-MOLNDAL;P-1;BPM;home;;;Anna Andersson;"Storgatan 1; lgh 1101";431 30;031-123456
E-101;VC-MOLNDAL;P-2;BPM;unit;;;;;;
E-103;VC-MOLNDAL;P-4;BPM;drone;;;;;;
E-104;NOPE;P-5;BPM;home;;;;;;
E-105;VC-MOLNDAL;P-6;BPM;home;;;Cecilia Cedergren;Gata 3;ABCDE;031-1
E-102;VC-MOLNDAL;P-3;BPM;pickup_point;PP-POSTNORD-1002;2027-01-15;Bertil Berg;Lindomev. 2;43731;+46 70 111 22 33
CSV
expect_req 200 '"imported": 3' POST /api/v1/orders/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/orders.csv"
check "import: 3 imported, 3 bad" [ "$(jq -c '[.imported, .present, .bad]' <<<"$body")" = "[3,0,3]" ]
check "bad line 4 named" jq -e '.problems[] | select(.line == 4) | .error | startswith("bad delivery mode \"drone\"")' <<<"$body"
check "bad line 5 named" jq -e '.problems[] | select(.line == 5) | .error | test("unknown ordering unit")' <<<"$body"
check "bad line 6 named" jq -e '.problems[] | select(.line == 6) | .error | test("postal code")' <<<"$body"
check "no personal data in the import reply" bash -c '! grep -q "Cecilia\|ABCDE\|Anna\|Storgatan" <<<"$1"' _ "$body"
check "imported with the token as actor" [ "$(sql "SELECT DISTINCT actor || '/' || station FROM events WHERE type = 'order_create' AND order_id IN (SELECT id FROM orders WHERE external_id IS NOT NULL)")" = "t-dispatcher/http" ]
check "3 orders imported" [ "$(sql "SELECT count(*) FROM orders WHERE external_id IS NOT NULL")" -eq 3 ]
expect_req 200 '"imported": 0' POST /api/v1/orders/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/orders.csv"
check "re-import: 3 present, 3 bad" [ "$(jq -c '[.imported, .present, .bad]' <<<"$body")" = "[0,3,3]" ]
check "re-import: no duplicates" [ "$(sql "SELECT count(*) FROM orders WHERE external_id IS NOT NULL")" -eq 3 ]
refused_req 400 'unknown column' POST /api/v1/orders/import "${D[@]}" "${CSV[@]}" --data-binary $'external_id;customer;product;mode;colour\nE-1;VC-MOLNDAL;BPM;home;red\n'
refused_req 415 '"allowed": "text/csv"' POST /api/v1/orders/import "${D[@]}" "${JSON[@]}" --data-binary @"$dir/orders.csv"
refused_req 415 'is not CSV' POST /api/v1/orders/import "${D[@]}" --data-binary @"$dir/orders.csv"
refused_req 400 'needs a CSV body' POST /api/v1/orders/import "${D[@]}" "${CSV[@]}" --data-binary ''
printf 'external_id;customer;product;mode\nE-9;VC-MOLNDAL;BPM;home\0\n' >"$dir/nul.csv"
refused_req 400 'NUL byte' POST /api/v1/orders/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/nul.csv"
check "patient names never logged" bash -c '! grep -q "Anna\|Cecilia\|Bertil\|Storgatan" "$1"' _ "$log"

# --- consignments: refusals write nothing; a silent carrier answers 502 within the cap
refused_req 400 'missing field \\"carrier\\"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3"}'
refused_req 400 'missing field \\"order\\"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"carrier":"PostNord"}'
refused_req 400 'or \\"transfer\\", not both' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","transfer":"SN-1","carrier":"PostNord"}'
refused_req 404 'unknown device \\"NO-SUCH\\"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"transfer":"NO-SUCH","carrier":"PostNord","tracking":"T-1"}'
refused_req 400 'unknown field \\"weight\\"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord","weight":"2"}'
refused_req 404 'unknown carrier \\"DHL\\"; configured: PostNord, Silent' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"DHL"}'
refused_req 404 'unknown order' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-404","carrier":"PostNord","tracking":"SE404"}'
refused_req 400 'booked by hand' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord"}'
refused_req 400 'bad tracking number' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord","tracking":"SE 1"}'
refused_req 400 'bad date|no such date' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord","tracking":"SE300","at":"2026-13-01T10:00"}'
refused_req 404 'SE999|unknown|no consignment' GET /api/v1/consignments/SE999 "${D[@]}"
expect_req 201 '"tracking": "SE300"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord","tracking":"SE300","at":"2026-03-02T12:00"}'
req GET "/api/v1/consignments?limit=2" "${D[@]}"
check "list limit" [ "$(jq length <<<"$body")" -eq 2 ]
refused_req 400 'problems=yes' GET "/api/v1/consignments?problems=maybe" "${D[@]}"
refused_req 400 'unknown query argument' GET "/api/v1/consignments?state=open" "${D[@]}"
refused_req 400 '1..1000000|limit' GET "/api/v1/consignments?limit=0" "${D[@]}"
refused_req 400 'needs a reason' POST /api/v1/consignments/SE300/cancel "${D[@]}" "${JSON[@]}" -d '{}'
refused_req 409 'only a created or booked' POST "/api/v1/consignments/$sscc/cancel" "${D[@]}" "${JSON[@]}" -d '{"reason":"wrong parcel"}'
refused_req 409 'only a created consignment' POST /api/v1/consignments/SE300/book "${D[@]}" "${JSON[@]}" -d '{}'
expect_req 200 '"state": "cancelled"' POST /api/v1/consignments/SE300/cancel "${D[@]}" "${JSON[@]}" -d '{"reason":"wrong parcel size"}'
expect_req 201 '"tracking": "SE301"' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"postnord","tracking":"SE301"}'
refused_req 409 'already has consignment' POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-3","carrier":"PostNord","tracking":"SE302"}'

# --- pickup points and the rental report agree with the CLI
req GET "/api/v1/pickup-points/nearest?postcode=411%2001&carrier=PostNord&limit=1" "${D[@]}"
check "nearest: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms pickup-point nearest 41101 --carrier PostNord --limit 1 --json | jq -c .)" ]
check "nearest is Pressbyrån Mölndal" [ "$(jq -r '.[0].pickup_point' <<<"$body")" = PP-POSTNORD-1002 ]
req GET "/api/v1/pickup-points?carrier=PostNord" "${D[@]}"
check "pickup points: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms pickup-point list --carrier PostNord --json | jq -c .)" ]
refused_req 400 'missing query argument \\"postcode\\"' GET /api/v1/pickup-points/nearest "${D[@]}"
refused_req 400 'bad postal code' GET "/api/v1/pickup-points/nearest?postcode=4110" "${D[@]}"
refused_req 400 '1..100' GET "/api/v1/pickup-points/nearest?postcode=41101&limit=0" "${D[@]}"
refused_req 404 'no coordinates' GET "/api/v1/pickup-points/nearest?postcode=99999" "${D[@]}"
req GET "/api/v1/rentals/report?month=2026-03" "${D[@]}"
check "rental report: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms rental report --month 2026-03 --json | jq -c .)" ]
check "rental report counts SN-R" [ "$(jq .total.devices <<<"$body")" -eq 1 ]
refused_req 400 'missing query argument \\"month\\"' GET /api/v1/rentals/report "${D[@]}"
refused_req 400 '"allowed": "month=YYYY-MM"' GET "/api/v1/rentals/report?month=2026-13" "${D[@]}"

# --- the role matrix of these routes: none warehouse technician dispatcher manager admin,
# by token and by cookie (with its CSRF token).  {who} makes ids unique.
for r in "${roles[@]}"; do login "$r"; done
printf 'external_id;customer;product;mode\nE-M1;VC-MOLNDAL;BPM;home\n' >"$dir/m.csv"
matrix=(
  "POST|/api/v1/tracking|{\"tracking\":\"SE100\",\"event\":\"in_transit\",\"at\":\"2026-03-03T07:00\"}||401 403 403 200 403 200"
  "POST|/api/v1/orders/import|@$dir/m.csv|text/csv|401 403 403 200 200 200"
  "POST|/api/v1/consignments|{\"order\":\"O-M-{who}\",\"carrier\":\"PostNord\",\"tracking\":\"SEM-{who}\"}||401 403 403 201 403 201"
  "GET|/api/v1/consignments?problems=yes&limit=5|||401 403 403 200 200 200"
  "GET|/api/v1/consignments/SE100|||401 403 403 200 200 200"
  "POST|/api/v1/consignments/SE100/book|{}||401 403 403 409 403 409"
  "POST|/api/v1/consignments/SEM-{who}/cancel|{\"reason\":\"matrix\"}||401 403 403 200 403 200"
  "GET|/api/v1/pickup-points?carrier=PostNord|||401 403 403 200 200 200"
  "GET|/api/v1/pickup-points/nearest?postcode=41101&limit=2|||401 403 403 200 200 200"
  "GET|/api/v1/rentals/report?month=2026-03|||401 403 403 200 200 200"
)
for via in token cookie; do
  for spec in "${matrix[@]}"; do matrix_row "$via" "$spec"; done
done
check "forbidden roles created no consignment" [ "$(sql "SELECT count(*) FROM consignments WHERE tracking LIKE 'SEM-%'")" -eq 4 ]
check "the matrix' consignments are cancelled" [ "$(sql "SELECT count(*) FROM consignments WHERE tracking LIKE 'SEM-%' AND state = 'cancelled'")" -eq 4 ]
check "matrix import added one order once" [ "$(sql "SELECT count(*) FROM orders WHERE external_id = 'E-M1'")" -eq 1 ]
# a cookie without its CSRF token may read but not post a tracking event
refused_req 403 "CSRF" POST /api/v1/tracking -b "$dir/dispatcher.jar" "${JSON[@]}" -d '{"tracking":"SE100","event":"in_transit","at":"2026-03-03T07:00"}'
refused_req 403 "CSRF" POST /api/v1/orders/import -b "$dir/dispatcher.jar" "${CSV[@]}" --data-binary @"$dir/m.csv"

# --- a carrier that never answers: the API never waits for it (the worker thread books),
# and wmsd still stops at once although its worker is inside a 600 s carrier request.
# Last, because wmsd's booking worker keeps retrying it in the background.
start=$(date +%s%N)
req POST /api/v1/consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-4","carrier":"Silent","at":"2026-03-02T12:00"}'
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "silent carrier: create answered 502, or 201 with the booking queued ($code)" bash -c '[ "$1" = 502 ] || { [ "$1" = 201 ] && [ "$(jq -r .booked <<<"$2")" = false ]; }' _ "$code" "$body"
# a request that waited for the carrier would take its timeout (600 s: the backlog connects)
check "silent carrier: create answered in ${ms} ms (< 30 s; the carrier's timeout is 600 s)" [ "$ms" -lt 30000 ]
sscc4=$(sql "SELECT sscc FROM consignments c JOIN orders o ON o.id = c.order_id WHERE o.number = 'O-4'")
check "the unbooked consignment is kept" grep -qx '[0-9]\{18\}' <<<"$sscc4"
start=$(date +%s%N)
expect_req 202 '"booked": false' POST "/api/v1/consignments/$sscc4/book" "${D[@]}" "${JSON[@]}" -d '{}'
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "silent carrier: book answered at once, the worker books (${ms} ms < 30 s)" [ "$ms" -lt 30000 ]
echo "http_courier: a silent carrier held the API for ${ms} ms" >&2
# the worker is inside its booking request: a connection to the silent carrier is open.
# Waited for before the cancel below: a consignment cancelled before the worker picked it
# up is never booked, and the stop check needs a request in progress.
hole_conn() { [ -n "$(ss -Htn state established "( dport = :$(cat "$dir/hole_port") )")" ]; }
wait_for 60 hole_conn || bad "the worker never connected to the silent carrier"
expect_req 200 "$sscc4" GET "/api/v1/consignments?problems=yes" "${D[@]}"
check "problems: API = CLI" [ "$(jq -c '[.[].sscc]' <<<"$body")" = "$(wms consignment list --problems --json | jq -c '[.[].sscc]')" ]
expect_req 200 '"state": "cancelled"' POST "/api/v1/consignments/$sscc4/cancel" "${D[@]}" "${JSON[@]}" -d '{"reason":"carrier down, by hand"}'

# --- the daemon stops cleanly
stop_start=$(date +%s%N)
kill -TERM "$pid"
wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" && ok || bad "wmsd did not stop"
ms=$(( ($(date +%s%N) - stop_start) / 1000000 ))
check "wmsd stopped in ${ms} ms with a booking request in progress (< 30 s, not the carrier's 600 s)" [ "$ms" -lt 30000 ]
check "no sanitizer report" bash -c "! grep -q 'runtime error\|AddressSanitizer' '$log'"
check "db check" wms db check
finish
