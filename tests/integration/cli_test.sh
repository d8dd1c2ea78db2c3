#!/usr/bin/env bash
# cli_test.sh - `wms` end to end on a temporary database: every user task,
# exit codes, messages, and that a refused command leaves the file unchanged.
# usage: cli_test.sh PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_CONFIG WMS_NOW

wms()  { "$WMS_BIN" "$@"; }

# --- the people named with --actor are users with a role (wms_rules.h)
for u in tech1:technician u17:warehouse; do
  printf 'password-%s\n' "${u%%:*}" | "$WMS_BIN" user add "${u%%:*}" --role "${u##*:}" >/dev/null || bad "user $u"
done

# --- reference data
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- product add MDA --name-sv "Läkemedelsautomat" --name-en "Medication dispenser" --category HoS --needs-training
expect 0 "added" -- product add-gtin BPM 09506000134352
expect 0 "added" -- customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region --cost-centre K1
expect 0 "added" -- customer add BORAS --name "Borås stad" --kind municipality
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf --depot ML
expect 0 "added" -- location add PP-1 --name "ICA Nära postombud" --kind pickup_point
expect 0 "added" -- location add BUF-1 --name "Buffert Borås" --kind buffer --customer BORAS
refused 5 "already exists" -- product add BPM --name-sv x --name-en y --category HoS
refused 3 "use HoS or SoL" -- product add XX --name-sv x --name-en y --category Other
refused 3 "needs the ordering unit" -- location add BUF-2 --name B --kind buffer
expect 0 "Vårdcentralen Mölndal" -- customer list
expect 0 '"code": "BPM"' -- product list --json

# --- one device through its whole life, with a lead time
expect 0 "none -> received" -- receive SN-1001 --gtin 9506000134352 --lot 10D9T --expiry 2030-06-30 --at 2026-03-02T08:00
expect 0 "received -> in_stock" -- move SN-1001 --location A-01-01 --at 2026-03-02T09:00
expect 0 "order O-1: order_create" -- order create O-1 --customer VC-MOLNDAL --product BPM --mode pickup_point --pickup-point PP-1 --patient-ref P-000001 --at "2026-03-02 16:30"
expect 0 "in_stock -> reserved" -- reserve SN-1001 --order O-1 --at 2026-03-03T08:00
expect 0 "reserved -> picked" -- pick SN-1001 --at 2026-03-03T09:00 --station pack-1 --actor u17
expect 0 "picked -> dispatched" -- dispatch SN-1001 --at 2026-03-03T10:00
refused 6 "allowed next: deliver" -- rent SN-1001
expect 0 "dispatched -> delivered" -- deliver SN-1001 --at 2026-03-06T11:00
expect 0 "delivered -> rented" -- rent SN-1001 --at 2026-03-06T11:00
expect 0 "PP-1" -- device show SN-1001
expect 0 '"to_state": "rented"' -- device show SN-1001 --json
expect 0 "delivered" -- order show O-1

# registered Monday 2026-03-02 16:30 (after the 15:00 cut-off) -> clock starts Tuesday;
# delivered Friday -> 3 working days
expect 0 '"median": 3' -- leadtime report --json --now 2026-03-06T12:00
expect 0 "all measured orders +1 +100.0%" -- leadtime report --now 2026-03-06T12:00

# --- bad input: a clear message, an exit code, nothing written
refused 4 "unknown serial" -- pick NOPE
refused 3 "bad serial" -- receive "bad serial" --product BPM
refused 5 "already registered" -- receive SN-1001 --product BPM
refused 3 "check digit" -- receive SN-2 --gtin 09506000134353
refused 3 "no such date" -- receive SN-2 --product BPM --expiry 2026-02-30
refused 3 "bad date|expected" -- receive SN-2 --product BPM --at 2026-02-30T10:00
refused 4 "unknown location" -- receive SN-3 --product BPM --location NOWHERE
refused 6 "only an open order" -- order cancel O-1 --reason test
refused 4 "unknown order" -- order note O-404 --reason late
refused 2 "unknown option --colour" -- pick SN-1001 --colour red
refused 2 "expected SERIAL" -- pick
refused 2 "unknown command" -- fly
refused 3 "pseudonym" -- order create O-2 --customer BORAS --product BPM --mode home --patient-ref "Tolvan Tolvansson"

# --- return, reconditioning, exchange, order notes
expect 0 "order O-2" -- order create O-2 --customer BORAS --product BPM --mode home --exchange-of SN-1001 --at 2026-04-01T09:00
expect 0 "rented -> return_expected" -- exchange SN-1001 --order O-2 --reason "display broken" --at 2026-04-01T09:05
expect 0 "return_expected -> quarantine" -- return SN-1001 --at 2026-04-03T10:00
refused 2 "unknown command" -- recon-approve SN-1001 --location A-01-01
expect 0 "quarantine -> in_recon|started" -- recon start SN-1001 --actor tech1 --at 2026-04-06T08:00
for step in "CLEAN pass" "WIPE pass" "P0 0" "P100 101" "P200 199" "LEAK 2" "BATT 5.1" "FW 1.5.0" \
            "ACC pass"; do
  # shellcheck disable=SC2086
  expect 0 "." -- recon step SN-1001 $step --actor tech1 --at 2026-04-06T09:00
done
refused 6 "VISUAL" -- recon finish SN-1001 --location A-01-01 --actor tech1 --at 2026-04-07T08:00
expect 0 "." -- recon step SN-1001 VISUAL pass --actor tech1 --at 2026-04-06T09:30
expect 0 "approved|in_stock" -- recon finish SN-1001 --location A-01-01 --actor tech1 --at 2026-04-07T08:00
expect 0 "order_note" -- order note O-1 --reason "training date"
expect 0 "SN-1001" -- order list
expect 0 "A-01-01 +BPM +in_stock +1" -- stock

# --- calendar and working days
expect 0 "^2026-04-03	långfredagen" -- calendar 2026
cal=$(wms calendar 2026 | cut -f1 | tr '\n' ' ')
want="2026-01-01 2026-01-06 2026-04-03 2026-04-06 2026-05-01 2026-05-14 2026-06-19 2026-12-24 2026-12-25 2026-12-31 "
if [ "$cal" = "$want" ]; then ok; else bad "calendar 2026: got '$cal' want '$want'"; fi
expect 0 "^1$" -- workdays 2026-04-02 2026-04-07
expect 0 "^-1$" -- workdays 2026-04-07 2026-04-02
expect 0 "^0$" -- workdays 2026-04-03 2026-04-06
expect 3 "bad year" -- calendar 1999
expect 3 "2026-02-29" -- workdays 2026-02-29 2026-03-02

# --- database upkeep
expect 0 "projections equal a rebuild" -- db check
expect 0 "0 rows changed" -- db rebuild
expect 0 "schema version ([0-9]+) \(latest \1\)" -- db migrate
expect 0 "usage: wms receive SERIAL" -- receive --help
expect 0 "leadtime report" -- --help

# --- configuration errors name file and line
printf '[leadtime]\ncutoff = 25:00\n' >"$dir/bad.conf"
expect 7 "bad.conf:2: bad time" -- --config "$dir/bad.conf" calendar 2026
printf '[calendar]\ndefacto_holidays = no\n[depot SK]\nclosed = 2026-07-20\n' >"$dir/ok.conf"
expect 7 'ok.conf:4: \[depot SK\]: unknown depot; known depots: ML \(HMC Mölndal\)' -- --config "$dir/ok.conf" workdays 2026-07-17 2026-07-24 --depot SK
expect 0 "depot SK added" -- depot add SK --name "HMC Skövde" --address "Badhusgatan 5, 541 30 Skövde"
expect 0 "^2026-01-01" -- --config "$dir/ok.conf" calendar 2026
if wms --config "$dir/ok.conf" calendar 2026 | grep -q midsommarafton; then bad "defacto_holidays=no ignored"; else ok; fi
expect 0 "^5$" -- --config "$dir/ok.conf" workdays 2026-07-17 2026-07-24
expect 0 "^4$" -- --config "$dir/ok.conf" workdays 2026-07-17 2026-07-24 --depot SK
expect 4 'unknown depot "Skovde"; known depots: ML \(HMC Mölndal\), SK \(HMC Skövde\)' -- --config "$dir/ok.conf" workdays 2026-07-17 2026-07-24 --depot Skovde
printf '[station goods-in]\nmode = receipt\n' >>"$dir/ok.conf"
expect 0 "^5$" -- --config "$dir/ok.conf" workdays 2026-07-17 2026-07-24
printf '[stations]\nmode = receipt\n' >"$dir/bad2.conf"
expect 7 "bad2.conf:2: unknown section \[stations\]" -- --config "$dir/bad2.conf" workdays 2026-07-17 2026-07-24

# --- depots: stock stays in its depot; transfers between depots, scanned out and in
refused 3 'bad depot code "Skovde"' -- depot add Skovde --name x
refused 5 "already exists" -- depot add SK --name x
expect 0 '"code": "SK-GOODS-IN"' -- depot show SK --json
refused 4 'unknown depot "XX"; known depots: ML \(HMC Mölndal\), SK \(HMC Skövde\)' -- location add SK-9 --name x --kind shelf --depot XX
expect 0 "added" -- location add SK-A01-1 --name "Hylla SK A1" --kind shelf --depot SK
refused 4 "unknown depot" -- order create D-0 --customer VC-MOLNDAL --product BPM --mode home --depot Skovde
expect 0 "added" -- product add SCL --name-sv "Digital våg" --name-en "Scale" --category HoS
expect 0 "received" -- receive SN-SK1 --product SCL --depot SK --at 2026-09-01T08:00
refused 3 "location A-01-01 is in depot ML; device SN-SK1 is at depot SK" -- move SN-SK1 --location A-01-01 --at 2026-09-01T08:10
expect 0 "in_stock" -- move SN-SK1 --location SK-A01-1 --at 2026-09-01T08:10
expect 0 "order_create" -- order create D-1 --customer VC-MOLNDAL --product SCL --mode home --at 2026-09-01T09:00
refused 3 "device SN-SK1 is at depot SK; order D-1 is served from depot ML" -- reserve SN-SK1 --order D-1 --at 2026-09-01T09:10
refused 4 "in stock at depot SK \(HMC Skövde\): 1: request a transfer" -- allocate D-1 --at 2026-09-01T09:10
expect 0 "transfer request 1 for order D-1" -- transfer request D-1 --at 2026-09-01T09:20
expect 0 "in_transfer" -- transfer out SN-SK1 --to ML --at 2026-09-01T10:00
expect 0 '"state": "in_transfer"' -- device show SN-SK1 --json
expect 0 'TRANSFER-ML +SCL +in_transfer +1' -- stock --depot ML
refused 3 "on its way to depot ML; it is scanned in there, not at depot SK" -- transfer in SN-SK1 --depot SK --at 2026-09-02T10:00
expect 0 "in_transfer -> received" -- transfer in SN-SK1 --depot ML --at 2026-09-02T10:00
expect 0 "in_stock" -- move SN-SK1 --location A-01-01 --at 2026-09-02T10:10
expect 0 "order D-1: reserved SN-SK1" -- allocate D-1 --at 2026-09-02T10:20
check "the request was answered by the transfer" [ "$(wms transfer list --state requested --json | jq length)" = 0 ]
check "the transfer listed as received (the new default lists every state)" [ "$(wms transfer list --json | jq -r '.[] | "\(.request) \(.serial) \(.state)"')" = "1 SN-SK1 received" ]
expect 0 "projections equal a rebuild" -- db check

# --- the demo loads into an empty database and reads back consistently
export WMS_DB=$dir/demo.db
expect 0 "demo data loaded" -- demo
expect 0 "all measured orders" -- leadtime report
expect 0 "projections equal a rebuild" -- db check
refused 5 "already holds" -- demo

finish
