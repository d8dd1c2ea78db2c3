#!/usr/bin/env bash
# orders_test.sh - orders end to end through `wms`: CSV import with bad lines
# and re-import, allocation (buffer first, oldest first, never an
# unreconditioned device), pickup order and rent stop, the purge of patient
# data (gone from the database file) and the rental report, whose numbers are
# checked against values computed here independently (with date(1)).
# usage: orders_test.sh PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_CONFIG WMS_NOW

wms()  { "$WMS_BIN" "$@"; }

# lacks PATTERN -- ARGS: the command succeeds and its output does not match
lacks() {
  local pattern=$1; shift 2
  local out
  if ! out=$("$WMS_BIN" "$@" 2>&1); then bad "wms $*: failed: $out"; return; fi
  if grep -qE -- "$pattern" <<<"$out"; then bad "wms $*: output shows /$pattern/"; return; fi
  ok
}

# in_files TEXT: how many times TEXT occurs in the database and its WAL
in_files() { cat "$WMS_DB" "$WMS_DB-wal" 2>/dev/null | grep -a -c -F -- "$1"; }

sql() { sqlite3 "$WMS_DB" "$1"; }

# --- reference data and devices
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- product add SCALE --name-sv "Digital våg" --name-en "Scale" --category HoS
expect 0 "added" -- customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region --cost-centre K1
expect 0 "added" -- customer add BORAS --name "Borås stad" --kind municipality --cost-centre "B;2"
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf --depot ML
expect 0 "added" -- location add PP-1 --name "ICA Nära postombud" --kind pickup_point
expect 0 "added" -- location add BUF-1 --name "Buffert Borås" --kind buffer --customer BORAS

for d in "SN-Q 2026-01-01" "SN-OLD 2026-01-05" "SN-MID 2026-01-10" "SN-NEW 2026-01-20" "SN-BUF 2026-01-25"; do
  set -- $d
  expect 0 "none -> received" -- receive "$1" --product BPM --at "$2T08:00"
  expect 0 "received -> in_stock" -- move "$1" --location A-01-01 --at "$2T09:00"
done
expect 0 "in_stock -> in_buffer" -- to-buffer SN-BUF --location BUF-1 --at 2026-01-26T09:00
# SN-Q, the oldest, goes out and comes back: in quarantine it is not reconditioned
expect 0 "order_create" -- order create O-Q --customer VC-MOLNDAL --product BPM --mode unit --at 2026-01-02T08:00
expect 0 "reserved" -- reserve SN-Q --order O-Q --at 2026-01-02T09:00
for step in pick dispatch deliver rent; do expect 0 "$step|-> " -- $step SN-Q --at 2026-01-03T10:00; done
expect 0 "-> quarantine" -- return SN-Q --at 2026-02-02T10:00

# --- CSV import: good rows, bad rows reported by line, nothing personal in messages
cat > "$dir/orders.csv" <<'CSV'
external_id;customer;patient_ref;product;mode;pickup_point;requested_date;patient_name;patient_address;patient_postal_code;patient_phone
E-100;VC-MOLNDAL;P-1;BPM;home;;;Anna Andersson;"Storgatan 1; lgh 1101";431 30;031-123456
E-101;BORAS;P-2;BPM;unit;;;;;;
E-102;VC-MOLNDAL;P-3;BPM;pickup_point;PP-1;2026-03-02;Bertil Berg;Lindomev. 2;43731;+46 70 111 22 33
E-103;VC-MOLNDAL;P-4;BPM;drone;;;;;;
E-104;NOPE;P-5;BPM;home;;;;;;
E-105;VC-MOLNDAL;P-6;BPM;home;;;Cecilia Cedergren;Gata 3;ABCDE;031-1
E-106;VC-MOLNDAL;P-7;BPM;home
E-107;VC-MOLNDAL;P-8;BPM;pickup_point;;;;;;
"E-108";"VC-MOLNDAL";"P-9";"SCALE";"home";"";"";"David ""Dave"" Dahl";"";"";""

E-109;VC-MOLNDAL;P-10;BPM;home;;;;;;
CSV
refused 3 "unknown column \"colour\"" -- order import <(printf 'external_id;customer;product;mode;colour\n')
refused 3 "lacks column mode" -- order import <(printf 'external_id;customer;product\nE-1;VC-MOLNDAL;BPM\n')
refused 3 "empty" -- order import /dev/null
refused 1 "cannot read" -- order import "$dir/nope.csv"
out=$(wms order import "$dir/orders.csv" --at 2026-02-16T09:00 2>&1); rc=$?
[ $rc -eq 3 ] && ok || bad "import with bad rows: exit $rc: $out"
grep -q "^5 imported, 0 already present, 5 bad" <<<"$out" && ok || bad "import summary: $out"
grep -q "line 5: bad delivery mode \"drone\"" <<<"$out" && ok || bad "line 5: $out"
grep -q "line 6: unknown ordering unit \"NOPE\"" <<<"$out" && ok || bad "line 6: $out"
grep -q "line 7: bad patient postal code" <<<"$out" && ok || bad "line 7: $out"
grep -q "line 8: 5 fields, the header has 11" <<<"$out" && ok || bad "line 8: $out"
grep -q "line 9: order create needs a pickup point" <<<"$out" && ok || bad "line 9: $out"
grep -q "Cecilia\|ABCDE" <<<"$out" && bad "personal data in import messages: $out" || ok
[ "$(sql "SELECT count(*) FROM orders WHERE external_id IS NOT NULL")" = 5 ] && ok || bad "5 orders after import"
[ "$(sql "SELECT name FROM order_patients p JOIN orders o ON o.id = p.order_id WHERE o.number = 'E-108'")" = 'David "Dave" Dahl' ] \
  && ok || bad "quoted field with doubled quotes"
[ "$(sql "SELECT address FROM order_patients p JOIN orders o ON o.id = p.order_id WHERE o.number = 'E-100'")" = 'Storgatan 1; lgh 1101' ] \
  && ok || bad "quoted field with the separator"
expect 0 "2026-03-02" -- order show E-102
# the same file again, and an overlapping file: no duplicates
expect 3 "^0 imported, 5 already present, 5 bad" -- order import "$dir/orders.csv"
printf 'external_id,customer,product,mode\r\nE-100,VC-MOLNDAL,BPM,home\r\nE-110,VC-MOLNDAL,BPM,home\r\nE-101,VC-MOLNDAL,BPM,unit\r\n' > "$dir/more.csv"
expect 0 "^2 imported, 1 already present, 0 bad" -- order import "$dir/more.csv" --at 2026-02-16T09:30
expect 0 "VC-MOLNDAL/E-101" -- order list
expect 0 "^0 imported, 3 already present, 0 bad" -- order import "$dir/more.csv"
expect 3 '"present": 5' -- order import --json "$dir/orders.csv"
[ "$(sql "SELECT count(*) FROM orders")" = 8 ] && ok || bad "8 orders in all: $(sql "SELECT count(*) FROM orders")"

# --- personal data: only on explicit request
lacks "Anna|Storgatan|031-123456" -- order list --json
lacks "Anna|Storgatan|031-123456" -- order show E-100 --json
lacks "Anna|Storgatan|031-123456" -- device show SN-OLD --json
expect 0 '"name": "Anna Andersson"' -- order show E-100 --personal --json
expect 0 '"patient_ref": "P-2"' -- order show E-101 --personal --json
lacks '"P-2"' -- order show E-101 --json
[ "$(sql "SELECT count(*) FROM events WHERE payload LIKE '%Anna%' OR payload LIKE '%Storgatan%'")" = 0 ] && ok || bad "personal data in the ledger"
refused 3 "bad patient phone: 6-20 characters" -- order create O-X --customer VC-MOLNDAL --product BPM --mode home --patient-phone "call me"
expect 0 "order O-P: order_create" -- order create O-P --customer VC-MOLNDAL --product SCALE --mode home --patient-name "Erik Ek" --patient-postal-code 41101 --at 2026-02-16T10:00
expect 0 '"postal_code": "41101"' -- order show O-P --personal --json

# --- allocation: buffer first, then oldest on the shelf, never the unreconditioned one
expect 0 "order E-101: reserved SN-BUF from the unit's buffer store" -- allocate E-101 --at 2026-02-17T08:00
expect 0 "order E-100: reserved SN-OLD from stock" -- allocate E-100 --at 2026-02-17T08:00
refused 6 "only an open order" -- allocate E-100
refused 4 "unknown order" -- allocate E-999
refused 3 "name one order, or --all" -- allocate
refused 4 "no device of product SCALE available for order E-108.*stays open" -- allocate E-108
out=$(wms allocate --all --at 2026-02-17T09:00 2>&1); rc=$?
[ $rc -eq 0 ] && ok || bad "allocate --all: exit $rc: $out"
grep -q "order E-102: reserved SN-MID" <<<"$out" && ok || bad "--all oldest first: $out"
grep -q "order E-109: reserved SN-NEW" <<<"$out" && ok || bad "--all next oldest: $out"
grep -q "order E-110: no device of product BPM available" <<<"$out" && ok || bad "--all none left: $out"
grep -q "2 allocated, 4 left open" <<<"$out" && ok || bad "--all summary: $out"
[ "$(sql "SELECT state FROM devices WHERE serial = 'SN-Q'")" = quarantine ] && ok || bad "SN-Q must stay in quarantine"
[ "$(sql "SELECT status FROM orders WHERE number = 'E-110'")" = open ] && ok || bad "E-110 stays open"
expect 0 "stays open" -- allocate --all --json

# --- pickup order (hämtorder) and rent stop; rentals for the report
expect 0 "reserved -> picked" -- pick SN-OLD --at 2026-02-18T08:00
expect 0 "-> dispatched" -- dispatch SN-OLD --at 2026-02-18T09:00
expect 0 "-> delivered" -- deliver SN-OLD --at 2026-02-19T10:00
expect 0 "-> rented" -- rent SN-OLD --at 2026-02-20T10:00
# Tuesday 10 March: due 7 working days later (Thu 19th), rent stops after 3 (Fri 13th)
refused 3 "rent stop date 2026-03-01 is before the pickup order \(2026-03-10\)" -- expect-return SN-OLD --rent-stop 2026-03-01 --at 2026-03-10T11:00
refused 3 "bad date" -- expect-return SN-OLD --due 2026-02-30 --at 2026-03-10T11:00
expect 0 "pickup due by 2026-03-19; rent stops 2026-03-13" -- expect-return SN-OLD --at 2026-03-10T11:00
expect 0 "-> quarantine" -- return SN-OLD --at 2026-03-16T10:00
[ "$(sql "SELECT json_extract(payload, '$.pickup_due') FROM events WHERE type = 'expect_return'")" = 2026-03-19 ] && ok || bad "pickup_due in the ledger"
for step in pick dispatch deliver; do expect 0 "-> " -- $step SN-MID --at 2026-03-19T10:00; done
expect 0 "-> rented" -- rent SN-MID --at 2026-03-20T09:00
for step in pick dispatch deliver; do expect 0 "-> " -- $step SN-BUF --at 2026-03-24T10:00; done
expect 0 "-> rented" -- rent SN-BUF --at 2026-03-25T12:00
expect 0 "0 differences|equal|ok" -- db check

# --- rental report, against days computed here: charged days are [start day, end day)
days() { echo $(( ( $(date -u -d "$2" +%s) - $(date -u -d "$1" +%s) ) / 86400 )); }
old=$(days 2026-03-01 2026-03-13)      # SN-OLD (E-100, Mölndal): rented since Feb, rent stop 13 Mar
mid=$(days 2026-03-20 2026-04-01)      # SN-MID (E-102, Mölndal): still rented
buf=$(days 2026-03-25 2026-04-01)      # SN-BUF (E-101, Borås): still rented
molndal=$((old + mid)) boras=$buf
total=$((molndal + boras))
out=$(wms rental report --month 2026-03 --csv --at 2026-04-05T12:00)
grep -qx "2026-03;VC-MOLNDAL;Vårdcentralen Mölndal;K1;2;$molndal" <<<"$out" && ok || bad "rental csv molndal ($molndal): $out"
grep -qx "2026-03;BORAS;Borås stad;\"B;2\";1;$boras" <<<"$out" && ok || bad "rental csv boras ($boras): $out"
grep -qx "2026-03;TOTAL;;;3;$total" <<<"$out" && ok || bad "rental csv total ($total): $out"
expect 0 "\"rental_days\": $total" -- rental report --month 2026-03 --json --at 2026-04-05T12:00
expect 0 "total: 3 devices, $total rental days" -- rental report --month 2026-03 --at 2026-04-05T12:00
# January and February: SN-Q rented 3 Jan, returned 2 Feb; SN-OLD from 20 Feb;
# mid-March "today" cuts the open rentals
expect 0 "2026-01;TOTAL;;;1;$(days 2026-01-03 2026-02-01)" -- rental report --month 2026-01 --csv
expect 0 "2026-02;TOTAL;;;2;$(( $(days 2026-02-01 2026-02-02) + $(days 2026-02-20 2026-03-01) ))" -- rental report --month 2026-02 --csv
expect 0 "2026-03;TOTAL;;;2;$(( old + $(days 2026-03-20 2026-03-23) ))" -- rental report --month 2026-03 --csv --at 2026-03-22T12:00
refused 3 "bad month \"2026-13\"" -- rental report --month 2026-13
refused 3 "--month YYYY-MM is needed" -- rental report

# --- exchange (byte): the new order names the old device, the exchange names the new order and
# a reason; the old device is collected and its rent stops like a pickup order's
expect 0 "order E-X: order_create" -- order create E-X --customer VC-MOLNDAL --product BPM --mode home --exchange-of SN-MID --at 2026-03-26T09:00
refused 3 "needs a reason" -- exchange SN-MID --order E-X --at 2026-03-26T10:00
# Thursday 26 March: due 8 April (Good Friday and Easter Monday are not working days), rent stops 31 March
expect 0 "pickup due by 2026-04-08; rent stops 2026-03-31" -- exchange SN-MID --order E-X --reason "display broken" --at 2026-03-26T10:00
expect 0 '"exchange_of": "SN-MID"' -- order show E-X --json
expect 0 '"reason": "display broken"' -- device show SN-MID --json
expect 0 "2026-03;VC-MOLNDAL;Vårdcentralen Mölndal;K1;2;$(( old + $(days 2026-03-20 2026-03-31) ))" -- rental report --month 2026-03 --csv --at 2026-04-05T12:00
expect 0 "0 differences|equal|ok" -- db check

# --- purge of personal data after the retention period
expect 0 "order E-108: order_cancel" -- order cancel E-108 --reason "wrong product" --at 2026-02-20T10:00
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
[ "$(in_files 'David "Dave" Dahl')" -ge 1 ] && ok || bad "test setup: the name should be in the file before the purge"
# 1 April, 30 days: E-108 (cancelled 20 Feb) goes; E-100 (returned 16 Mar) stays
expect 0 "patient data of 1 order purged" -- purge --at 2026-04-01T12:00
[ "$(in_files 'David "Dave" Dahl')" = 0 ] && ok || bad "purged name still in the database file"
[ "$(in_files 'Anna Andersson')" -ge 1 ] && ok || bad "E-100's data must stay until its retention ends"
expect 0 "patient +-" -- order show E-108 --personal
expect 0 "patient data of 0 orders purged" -- purge --at 2026-04-01T12:00
expect 0 "patient data of 1 order purged" -- purge --at 2026-04-16T12:00
[ "$(in_files 'Anna Andersson')" = 0 ] && ok || bad "E-100's name still in the file"
[ "$(in_files 'Storgatan 1')" = 0 ] && ok || bad "E-100's address still in the file"
# open orders keep theirs whatever the retention
expect 0 "patient data of 0 orders purged" -- purge --retention-days 0 --at 2026-12-01T12:00
expect 0 '"name": "Erik Ek"' -- order show O-P --personal --json
sql "VACUUM" && ok || bad "vacuum"
[ "$(in_files 'Anna Andersson')$(in_files 'Dahl')" = 00 ] && ok || bad "personal data back after VACUUM"
refused 3 "bad number" -- purge --retention-days -1
cat > "$dir/wms.conf" <<'CONF'
[privacy]
retention_days = 400
[returns]
pickup_due_days = 10
rent_stop_days = 1
CONF
expect 0 "closed more than 400 days" -- --config "$dir/wms.conf" purge
# Tuesday 1 December: 10 working days to the 15th, the rent stops after 1
expect 0 "pickup due by 2026-12-15; rent stops 2026-12-02" -- --config "$dir/wms.conf" expect-return SN-BUF --at 2026-12-01T10:00
printf '[privacy]\nretention = 3\n' > "$dir/bad.conf"
refused 7 "bad.conf:2: unknown key \"retention\" in \[privacy\]; allowed: retention_days" -- --config "$dir/bad.conf" purge
expect 0 "db check|ok|equal" -- db check

echo "orders_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
