#!/usr/bin/env bash
# http_catalog_test.sh - the last CLI tasks' routes of wmsd's HTTP API with
# curl(1), the real daemon on a temporary database: reference data (products,
# GTINs, ordering units, locations), allocation of one order and of all,
# return consignments (a manual carrier books at once; an HTTP carrier only
# gets a queued booking job, the API never waits for it), the pickup-point
# and postal-code CSV imports, working days and the calendar; each against
# the CLI's view of the same database, the refusals (bad JSON, unknown field,
# bad value, duplicates 409, unknown 404, wrong role 403) leaving the
# database byte-identical, and the role matrix of these routes (every role
# and no login, by API token and by session cookie).
# usage: http_catalog_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir

sql()  { sqlite3 "$db" "$@"; }
wms()  { "$WMS_BIN" --db "$db" --config "$conf" "$@"; }

# the depot SK (HMC Skövde) exists before wmsd reads [depot SK]
"$WMS_BIN" --db "$db" depot add SK --name "HMC Skövde" --address "Badhusgatan 5, 541 30 Skövde" >/dev/null || bad "depot add SK"
# Bring's base_url is a closed port: its bookings fail in wmsd's worker thread, never in a request.
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[depot SK]
closed = 2026-03-04
[courier]
gs1_company_prefix = 7350012345
sscc_extension = 4
lead_time_ends = delivered available_at_pickup_point
[carrier PostNord]
adapter = manual
[carrier Bring]
adapter = http-json
base_url = http://127.0.0.1:9/api
timeout_ms = 60000
CONF

roles=(warehouse technician dispatcher manager admin)
http_users "${roles[@]}"

check "wmsd -n accepts the configuration" "$WMSD_BIN" -n -c "$conf"
http_start "$WMSD_BIN" "$conf" "$log"

# same_row WHAT LIST-COMMAND CODE: the reply ($body) is the row of the CLI's --json listing
same_row() {
  local cli
  cli=$(wms "$2" list --json | jq -c --arg c "$3" '.[] | select(.code == $c)')
  check "$1: API = CLI" [ "$(jq -c . <<<"$body")" = "$cli" ]
}
A=(-H "Authorization: Bearer $(cat "$dir/token-admin")")
M=(-H "Authorization: Bearer $(cat "$dir/token-manager")")
D=(-H "Authorization: Bearer $(cat "$dir/token-dispatcher")")

# --- products and GTINs (admin)
expect_req 201 '"code": "BPM"' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"BPM","name_sv":"Digital blodtrycksmätare","name_en":"Blood-pressure monitor","category":"HoS"}'
same_row "product BPM" product BPM
expect_req 201 '"needs_training": (1|true)' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"DOSE","name_sv":"Läkemedelsautomat","name_en":"Medication dispenser","category":"SoL","needs_training":"yes"}'
same_row "product DOSE" product DOSE
refused_req 409 'product type \\"BPM\\" already exists' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"BPM","name_sv":"x","name_en":"x","category":"HoS"}'
refused_req 400 'bad category \\"XYZ\\": use HoS or SoL' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_sv":"Våg","name_en":"Scale","category":"XYZ"}'
refused_req 400 'missing Swedish name' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_en":"Scale","category":"HoS"}'
refused_req 400 '"allowed": "yes, no, true, false, 1, 0"' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_sv":"Våg","name_en":"Scale","category":"HoS","needs_training":"maybe"}'
refused_req 400 'unknown field \\"colour\\"' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_sv":"Våg","name_en":"Scale","category":"HoS","colour":"red"}'
refused_req 400 'field \\"needs_training\\" must be a string' POST /api/v1/products "${A[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_sv":"Våg","name_en":"Scale","category":"HoS","needs_training":true}'
refused_req 400 'malformed JSON' POST /api/v1/products "${A[@]}" "${JSON[@]}" -d '{"code":'
refused_req 415 'is not JSON' POST /api/v1/products "${A[@]}" -H 'Content-Type: text/plain' -d '{"code":"SCALE"}'
refused_req 403 'your role may not use this route' POST /api/v1/products "${M[@]}" "${JSON[@]}" \
  -d '{"code":"SCALE","name_sv":"Våg","name_en":"Scale","category":"HoS"}'
expect_req 201 '"gtins": "07350012345006"' POST /api/v1/products/BPM/gtins "${A[@]}" "${JSON[@]}" -d '{"gtin":"7350012345006"}'
same_row "product BPM with its GTIN" product BPM
refused_req 409 'already exists' POST /api/v1/products/DOSE/gtins "${A[@]}" "${JSON[@]}" -d '{"gtin":"07350012345006"}'
refused_req 404 'unknown product type \\"NOPE\\"' POST /api/v1/products/NOPE/gtins "${A[@]}" "${JSON[@]}" -d '{"gtin":"7350012345013"}'
refused_req 400 'bad GTIN|check digit' POST /api/v1/products/BPM/gtins "${A[@]}" "${JSON[@]}" -d '{"gtin":"7350012345007"}'
refused_req 400 'missing field \\"gtin\\"' POST /api/v1/products/BPM/gtins "${A[@]}" "${JSON[@]}" -d '{}'
req GET /api/v1/products "${D[@]}"
check "products: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms product list --json | jq -c .)" ]

# --- ordering units (manager or admin) and locations (admin)
expect_req 201 '"code": "VC-MOLNDAL"' POST /api/v1/customers "${M[@]}" "${JSON[@]}" \
  -d '{"code":"VC-MOLNDAL","name":"Vårdcentralen Mölndal","kind":"region","cost_centre":"4711"}'
same_row "customer VC-MOLNDAL" customer VC-MOLNDAL
refused_req 409 'customer \\"VC-MOLNDAL\\" already exists' POST /api/v1/customers "${A[@]}" "${JSON[@]}" \
  -d '{"code":"VC-MOLNDAL","name":"x","kind":"region"}'
refused_req 400 'bad customer kind \\"county\\"' POST /api/v1/customers "${A[@]}" "${JSON[@]}" \
  -d '{"code":"K-1","name":"x","kind":"county"}'
refused_req 403 'forbidden' POST /api/v1/customers "${D[@]}" "${JSON[@]}" -d '{"code":"K-1","name":"x","kind":"region"}'
expect_req 201 '"kind": "shelf"' POST /api/v1/locations "${A[@]}" "${JSON[@]}" \
  -d '{"code":"A-01-01","name":"Hylla A1","kind":"shelf","depot":"ML"}'
same_row "location A-01-01" location A-01-01
expect_req 201 '"customer": "VC-MOLNDAL"' POST /api/v1/locations "${A[@]}" "${JSON[@]}" \
  -d '{"code":"BUF-MOLNDAL","name":"Buffert Mölndal","kind":"buffer","customer":"VC-MOLNDAL"}'
same_row "location BUF-MOLNDAL" location BUF-MOLNDAL
refused_req 404 'unknown ordering unit \\"NOPE\\"' POST /api/v1/locations "${A[@]}" "${JSON[@]}" \
  -d '{"code":"BUF-2","name":"x","kind":"buffer","customer":"NOPE"}'
refused_req 400 'needs the ordering unit' POST /api/v1/locations "${A[@]}" "${JSON[@]}" -d '{"code":"BUF-2","name":"x","kind":"buffer"}'
refused_req 400 'bad location kind' POST /api/v1/locations "${A[@]}" "${JSON[@]}" -d '{"code":"X-1","name":"x","kind":"cellar"}'
refused_req 409 'already exists' POST /api/v1/locations "${A[@]}" "${JSON[@]}" -d '{"code":"A-01-01","name":"x","kind":"shelf"}'
refused_req 403 'forbidden' POST /api/v1/locations "${M[@]}" "${JSON[@]}" -d '{"code":"X-1","name":"x","kind":"shelf"}'
refused_req 404 'unknown depot \\"Skovde\\"; known depots: ML' POST /api/v1/locations "${A[@]}" "${JSON[@]}" -d '{"code":"X-1","name":"x","kind":"shelf","depot":"Skovde"}'
check "reference data audited with the tokens' names" [ "$(sql "SELECT group_concat(actor || ' ' || action || ' ' || status, '|') FROM (SELECT * FROM audit WHERE action LIKE 'POST /api/v1/customers%' ORDER BY id)")" = "t-manager POST /api/v1/customers 201" ]

# --- the pickup-point registry and postal codes (CSV bodies)
cat >"$dir/points.csv" <<'CSV'
id,carrier,name,address,postal_code,city,opening_hours,active
1001,PostNord,ICA Nära Lindome,Göteborgsvägen 1,437 30,Lindome,"Mån-Fre 9-20",yes
1002,PostNord,Pressbyrån Mölndal,Storgatan 2,43130,Mölndal,,yes
2001,Bring,Coop Kållered,Kållered torg 3,42834,Kållered,,yes
2002,Bring,Bad point,Gata 1,ABCDE,Ort,,yes
CSV
expect_req 200 '"added": 3' POST /api/v1/pickup-points/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/points.csv"
check "pickup import: 3 added, 1 bad on line 5" [ "$(jq -c '[.added, .updated, .unchanged, .bad, .problems[0].line]' <<<"$body")" = "[3,0,0,1,5]" ]
req GET /api/v1/pickup-points "${D[@]}"
check "pickup points: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms pickup-point list --json | jq -c .)" ]
check "the import made the pickup points' locations" [ "$(sql "SELECT count(*) FROM locations WHERE code LIKE 'PP-%'")" -eq 3 ]
expect_req 200 '"unchanged": 3' POST /api/v1/pickup-points/import "${A[@]}" "${CSV[@]}" --data-binary @"$dir/points.csv"
printf 'postal_code,lat,lon\n43730,57.5617,12.0760\n43130,57.6554,12.0138\n42834,57.6105,12.0485\n41101,57.7089,11.9746\n99999,91,0\n' >"$dir/postcodes.csv"
expect_req 200 '"added": 4' POST /api/v1/postcodes/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/postcodes.csv"
check "postcode import: 1 bad (latitude)" jq -e '.bad == 1 and (.problems[0].error | test("latitude"))' <<<"$body"
req GET "/api/v1/pickup-points/nearest?postcode=41101&limit=1" "${D[@]}"
check "the imported coordinates answer nearest" [ "$(jq -r '.[0].pickup_point' <<<"$body")" = PP-POSTNORD-1002 ]
refused_req 415 '"allowed": "text/csv"' POST /api/v1/pickup-points/import "${D[@]}" "${JSON[@]}" --data-binary @"$dir/points.csv"
refused_req 400 'needs a CSV body' POST /api/v1/postcodes/import "${D[@]}" "${CSV[@]}" --data-binary ''
printf 'postal_code,lat,lon\n43730,57.5,12.0\0\n' >"$dir/nul.csv"
refused_req 400 'NUL byte' POST /api/v1/postcodes/import "${D[@]}" "${CSV[@]}" --data-binary @"$dir/nul.csv"
refused_req 403 'forbidden' POST /api/v1/pickup-points/import "${M[@]}" "${CSV[@]}" --data-binary @"$dir/points.csv"

# --- allocation (dispatcher, admin): the oldest device, recorded as the ledger's reserve
instock() { wms receive "$1" --product "$2" --at "$3" >/dev/null && wms move "$1" --location A-01-01 --at "$3" >/dev/null || bad "in stock $1"; }
instock SN-OLD BPM 2026-02-01T08:00
instock SN-NEW BPM 2026-02-20T08:00
expect_req 200 '"in_stock": 2' GET "/api/v1/stock?by=depot&depot=ML&product=BPM" "${A[@]}"
wms order create O-1 --customer VC-MOLNDAL --product BPM --mode home --patient-ref P-1 --at 2026-03-02T09:00 >/dev/null || bad "order O-1"
wms order create O-2 --customer VC-MOLNDAL --product DOSE --mode home --patient-ref P-2 --at 2026-03-02T09:05 >/dev/null || bad "order O-2"
expect_req 200 '"serial": "SN-OLD"' POST /api/v1/orders/O-1/allocate "${D[@]}" "${JSON[@]}" -d '{"at":"2026-03-02T10:00"}'
check "allocate reply" [ "$(jq -c . <<<"$body")" = '{"order":"O-1","serial":"SN-OLD","from_buffer":false,"unavailable":null}' ]
check "SN-OLD reserved for O-1 (CLI)" [ "$(wms device show SN-OLD --json | jq -r .state)" = reserved ]
check "the reserve event's actor and station" [ "$(sql "SELECT actor || '/' || station FROM events WHERE type = 'reserve'")" = "t-dispatcher/http" ]
refused_req 409 'only an open order is allocated' POST /api/v1/orders/O-1/allocate "${D[@]}" "${JSON[@]}" -d '{}'
refused_req 409 'no device of product DOSE available' POST /api/v1/orders/O-2/allocate "${D[@]}" "${JSON[@]}" -d '{}'
refused_req 404 'unknown order \\"O-404\\"' POST /api/v1/orders/O-404/allocate "${D[@]}" "${JSON[@]}" -d '{}'
refused_req 400 'bad date|no such date|February' POST /api/v1/orders/O-2/allocate "${D[@]}" "${JSON[@]}" -d '{"at":"2026-02-30T10:00"}'
refused_req 400 'needs a JSON object body' POST /api/v1/orders/O-2/allocate "${D[@]}" "${JSON[@]}"
refused_req 403 'forbidden' POST /api/v1/orders/O-2/allocate "${M[@]}" "${JSON[@]}" -d '{}'
wms order create O-3 --customer VC-MOLNDAL --product BPM --mode home --patient-ref P-3 --at 2026-03-02T09:10 >/dev/null || bad "order O-3"
expect_req 200 '"allocated": 1' POST /api/v1/orders/allocate "${A[@]}" "${JSON[@]}" -d '{"at":"2026-03-02T11:00"}'
check "allocate all: O-2 unavailable, O-3 gets SN-NEW" [ "$(jq -c '[.unavailable, ([.orders[] | select(.serial == "SN-NEW") | .order] | .[0]), ([.orders[] | select(.unavailable != null) | .order] | .[0])]' <<<"$body")" = '[1,"O-3","O-2"]' ]
check "O-3 reserved (CLI)" [ "$(wms order show O-3 --json | jq -r .serial)" = SN-NEW ]

# --- return consignments (dispatcher, admin): a delivered device goes back via a pickup point
for s in SN-OLD SN-NEW; do
  wms pick "$s" --at 2026-03-02T12:00 >/dev/null && wms dispatch "$s" --at 2026-03-03T08:00 >/dev/null &&
    wms deliver "$s" --at 2026-03-04T10:00 >/dev/null || bad "deliver $s"
done
refused_req 400 'give order or serial, not both' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" \
  -d '{"order":"O-1","serial":"SN-OLD","carrier":"PostNord"}'
refused_req 400 'missing field \\"order\\" or \\"serial\\"' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" -d '{"carrier":"PostNord"}'
refused_req 400 'missing field \\"carrier\\"' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-1"}'
refused_req 404 'unknown carrier \\"DHL\\"' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" -d '{"order":"O-1","carrier":"DHL"}'
refused_req 404 'no delivered device' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" -d '{"serial":"SN-NOPE","carrier":"PostNord","tracking":"RET0"}'
refused_req 404 'unknown pickup point' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" \
  -d '{"serial":"SN-OLD","carrier":"PostNord","tracking":"RET0","pickup_point":"PP-NOPE"}'
refused_req 404 'unknown printer' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" \
  -d '{"serial":"SN-OLD","carrier":"PostNord","tracking":"RET0","printer":"nope"}'
refused_req 403 'forbidden' POST /api/v1/return-consignments "${M[@]}" "${JSON[@]}" -d '{"order":"O-1","carrier":"PostNord","tracking":"RET0"}'
expect_req 201 '"booked": true' POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" \
  -d '{"serial":"SN-OLD","carrier":"PostNord","tracking":"RET1","pickup_point":"PP-POSTNORD-1001","at":"2026-03-16T09:00"}'
rsscc=$(jq -r .sscc <<<"$body")
check "return SSCC of 18 digits" grep -qx '[0-9]\{18\}' <<<"$rsscc"
out=$(wms consignment show "$rsscc" --json)
check "the CLI sees the return consignment of O-1, booked with RET1" [ "$(jq -r '[.order, .tracking, .state] | join(" ")' <<<"$out")" = "O-1 RET1 booked" ]
check "a return consignment in the database" [ "$(sql "SELECT kind FROM consignments WHERE sscc = '$rsscc'")" = return ]
refused_req 409 "already has return consignment $rsscc" POST /api/v1/return-consignments "${D[@]}" "${JSON[@]}" \
  -d '{"order":"O-1","carrier":"PostNord","tracking":"RET2"}'

# --- working days and the calendar (every role)
W=(-H "Authorization: Bearer $(cat "$dir/token-warehouse")")
expect_req 200 '"workdays": 5' GET "/api/v1/workdays?from=2026-03-02&to=2026-03-09" "${W[@]}"
check "workdays: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms workdays 2026-03-02 2026-03-09 --json | jq -c .)" ]
req GET "/api/v1/workdays?from=2026-03-02&to=2026-03-09&depot=SK" "${W[@]}"
check "workdays of the depot: API = CLI (4)" [ "$(jq -c . <<<"$body")" = "$(wms workdays 2026-03-02 2026-03-09 --depot SK --json | jq -c .)" ]
check "the depot's closed day counts" [ "$(jq .workdays <<<"$body")" -eq 4 ]
refused_req 404 'unknown depot \\"Skovde\\"; known depots: ML \(HMC Mölndal\), SK \(HMC Skövde\)' GET "/api/v1/workdays?from=2026-03-02&to=2026-03-09&depot=Skovde" "${W[@]}"
refused_req 404 'unknown depot' GET "/api/v1/stock?depot=Skovde" "${W[@]}"
expect_req 200 '"workdays": -5' GET "/api/v1/workdays?from=2026-03-09&to=2026-03-02" "${W[@]}"
req GET "/api/v1/calendar?year=2026" "${W[@]}"
check "calendar: API = CLI" [ "$(jq -c . <<<"$body")" = "$(wms calendar 2026 --json | jq -c .)" ]
check "calendar 2026 has midsommarafton on a Friday" jq -e '.[] | select(.date == "2026-06-19")' <<<"$body"
check "calendar text: the CLI prints what it did" [ "$(wms calendar 2026 | head -1)" = "$(jq -r '.[0] | .date + "\t" + .name' <<<"$body")" ]
refused_req 400 'missing query argument \\"to\\"' GET "/api/v1/workdays?from=2026-03-02" "${W[@]}"
refused_req 400 'February 2026 has 28 days' GET "/api/v1/workdays?from=2026-02-30&to=2026-03-09" "${W[@]}"
refused_req 400 'unknown query argument \\"year\\"' GET "/api/v1/workdays?from=2026-03-02&to=2026-03-09&year=1" "${W[@]}"
refused_req 400 '"allowed": "year=2005..2199"' GET "/api/v1/calendar?year=1999" "${W[@]}"
refused_req 400 'bad year \\"20x6\\"' GET "/api/v1/calendar?year=20x6" "${W[@]}"
refused_req 400 'missing query argument \\"year\\"' GET /api/v1/calendar "${W[@]}"
refused_req 401 'needs a login' GET "/api/v1/calendar?year=2026"

# --- the role matrix of these routes: none warehouse technician dispatcher manager admin,
# by token and by cookie (with its CSRF token).  {who} and {WHO} make ids unique; {gtin} differs by via.
for r in "${roles[@]}"; do login "$r"; done
printf 'postal_code,lat,lon\n43730,57.5617,12.0760\n' >"$dir/m.csv"
matrix=(
  "POST|/api/v1/products|{\"code\":\"P-{WHO}\",\"name_sv\":\"x\",\"name_en\":\"x\",\"category\":\"HoS\"}||401 403 403 403 403 201"
  "POST|/api/v1/products/DOSE/gtins|{\"gtin\":\"{gtin}\"}||401 403 403 403 403 201"
  "POST|/api/v1/customers|{\"code\":\"C-{WHO}\",\"name\":\"x\",\"kind\":\"municipality\"}||401 403 403 403 201 201"
  "POST|/api/v1/locations|{\"code\":\"L-{WHO}\",\"name\":\"x\",\"kind\":\"shelf\"}||401 403 403 403 403 201"
  "POST|/api/v1/orders/O-2/allocate|{}||401 403 403 409 403 409"
  "POST|/api/v1/orders/allocate|{}||401 403 403 200 403 200"
  "POST|/api/v1/return-consignments|{\"serial\":\"SN-NOPE\",\"carrier\":\"PostNord\",\"tracking\":\"RM\"}||401 403 403 404 403 404"
  "POST|/api/v1/pickup-points/import|@$dir/points.csv|text/csv|401 403 403 200 403 200"
  "POST|/api/v1/postcodes/import|@$dir/m.csv|text/csv|401 403 403 200 403 200"
  "GET|/api/v1/workdays?from=2026-03-02&to=2026-03-09|||401 200 200 200 200 200"
  "GET|/api/v1/calendar?year=2027|||401 200 200 200 200 200"
)
# the GTIN of a matrix row differs by how it was sent
matrix_data() {
  local gtin=7350012345037
  if [ "$1" = token ]; then gtin=7350012345020; fi
  printf '%s' "${2//\{gtin\}/$gtin}"
}
for via in token cookie; do
  for spec in "${matrix[@]}"; do matrix_row "$via" "$spec"; done
done
check "only the admins added products" [ "$(sql "SELECT group_concat(code, ' ') FROM (SELECT code FROM products WHERE code LIKE 'P-%' ORDER BY code)")" = "P-ADMIN-COOKIE P-ADMIN-TOKEN" ]
check "managers and admins added customers" [ "$(sql "SELECT count(*) FROM customers WHERE code LIKE 'C-%'")" -eq 4 ]
check "only the admins added locations" [ "$(sql "SELECT count(*) FROM locations WHERE code LIKE 'L-%'")" -eq 2 ]
check "the admins' GTINs on DOSE" [ "$(wms product list --json | jq -r '.[] | select(.code == "DOSE") | .gtins')" = "07350012345020 07350012345037" ]
# a cookie without its CSRF token may not post
refused_req 403 "CSRF" POST /api/v1/products -b "$dir/admin.jar" "${JSON[@]}" -d '{"code":"CSRF","name_sv":"x","name_en":"x","category":"HoS"}'
refused_req 403 "CSRF" POST /api/v1/postcodes/import -b "$dir/dispatcher.jar" "${CSV[@]}" --data-binary @"$dir/m.csv"

# --- a return with an HTTP carrier: created with its booking job at once; wmsd's worker
# thread talks to the carrier (last: its retries write to the database in the background)
start=$(date +%s%N)
expect_req 201 '"booked": false' POST /api/v1/return-consignments "${A[@]}" "${JSON[@]}" \
  -d '{"order":"O-3","carrier":"Bring","pickup_point":"PP-BRING-2001","at":"2026-03-16T09:00"}'
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "the booking is queued (outbox job)" [ "$(jq -r '.booking_job > 0' <<<"$body")" = true ]
echo "http_catalog: return consignment created in ${ms} ms (Bring's booking left to the worker)" >&2
check "the booking job is in the outbox" [ "$(sql "SELECT count(*) FROM outbox WHERE id = $(jq -r .booking_job <<<"$body")")" -eq 1 ]

# --- the daemon stops cleanly; the database is consistent
kill -TERM "$pid"
wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" && ok || bad "wmsd did not stop"
check "no sanitizer report" bash -c "! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' '$log'"
check "db check" wms db check
finish
