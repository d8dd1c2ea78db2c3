#!/usr/bin/env bash
# recon_test.sh - reconditioning and support cases through `wms` end to end
# on a temporary database: returned device -> approved / repair / scrapped,
# tolerance failures, step barcodes, the gate (an unapproved device cannot
# be reserved), checklist and configuration errors, the report's figures
# against working days counted by hand, and cases linked to an exchange.
# Refused commands must leave the database byte-identical.
# usage: recon_test.sh PATH/TO/wms CHECKLIST_DIR
set -u
. "$(dirname "$0")/lib.sh"
WMS_BIN=$1
SHIPPED=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export WMS_DB=$dir/t.db
unset WMS_NOW

# configuration: our own checklist directory, scrapping proposed after 1 cycle
mkdir "$dir/cl"
cp "$SHIPPED/BPM.checklist" "$dir/cl/"
printf 'product GLUCO\nversion 1\nstep CTRL value mmol/l ref=6.0 \"Kontroll\"\n' >"$dir/cl/GLUCO.checklist"
printf '[reconditioning]\nchecklists = %s\nmax_cycles = 1\n' "$dir/cl" >"$dir/wms.conf"
# the technicians' tag printer (nothing listens there: jobs stay queued in the outbox)
printf '[printer rekond]\nqueue = q_rekond\nserver = 127.0.0.1:9\npurposes = recon\nstations = ML-REKOND-1\n' >>"$dir/wms.conf"
export WMS_CONFIG=$dir/wms.conf
T="--station ML-REKOND-1 --actor tek7"
# the people named with --actor are users with a role (wms_rules.h)
for u in tek7:technician sup1:manager lager1:warehouse; do
  printf 'password-%s\n' "${u%%:*}" | "$WMS_BIN" user add "${u%%:*}" --role "${u##*:}" >/dev/null || bad "user $u"
done

# --- reference data and three devices back from patients
expect 0 "added" -- product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS
expect 0 "added" -- product add SCALE --name-sv "Digital våg" --name-en "Digital scale" --category HoS
expect 0 "added" -- customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region
expect 0 "added" -- location add A-01-01 --name "Hylla A1" --kind shelf --depot ML
for n in 1 2 3 4; do
  p=BPM; [ $n = 4 ] && p=SCALE
  expect 0 "none -> received" -- receive SN-$n --product $p --at 2026-02-02T08:00
  expect 0 "in_stock" -- move SN-$n --location A-01-01 --at 2026-02-02T09:00
  expect 0 "order_create" -- order create O-$n --customer VC-MOLNDAL --product $p --mode unit --at 2026-02-02T10:00
  expect 0 "reserved" -- reserve SN-$n --order O-$n --at 2026-02-02T11:00
  expect 0 "picked" -- pick SN-$n --at 2026-02-02T12:00
  expect 0 "dispatched" -- dispatch SN-$n --at 2026-02-02T13:00
  expect 0 "delivered" -- deliver SN-$n --at 2026-02-03T10:00
  expect 0 "rented" -- rent SN-$n --at 2026-02-03T11:00
done
expect 0 "rented -> quarantine" -- return SN-1 --at 2026-03-02T10:00
expect 0 "rented -> quarantine" -- return SN-2 --at 2026-03-30T10:00
expect 0 "rented -> quarantine" -- return SN-4 --at 2026-03-02T10:00
expect 0 "order_create" -- order create O-NEXT --customer VC-MOLNDAL --product BPM --mode unit --at 2026-03-02T11:00

# --- refusals before a run: clear messages, nothing written
refused 6 "has no reconditioning in progress .* start one with .wms recon start SN-1." -- recon step SN-1 CLEAN pass $T
refused 4 "unknown user \"nobody\": the actor must be a user registered" -- recon start SN-1 --actor nobody
refused 8 "lager1 \(warehouse\) may not recon_start; allowed: technician, admin" -- recon start SN-1 --actor lager1
refused 8 "lager1 \(warehouse\) may not recon_step" -- recon step SN-1 CLEAN pass --actor lager1
refused 4 "no reconditioning checklist for product type SCALE: .*SCALE.checklist does not exist" -- recon start SN-4 $T
refused 6 "is rented .*reconditioning starts from quarantine" -- recon start SN-3 $T
refused 4 "unknown serial \"SN-99\"" -- recon start SN-99 $T
refused 3 "GLUCO.checklist:3: ref= and tol= go together" -- recon checklist GLUCO
expect 0 "P100 +value +100 \+-3 mmHg +RCN:P100:mmHg" -- recon checklist BPM
refused 4 "no valid checklist for product type\(s\) SCALE in " -- recon checklists
expect 4 "BPM +ok +1 +10 " -- recon checklists
expect 4 "SCALE +missing .*SCALE.checklist does not exist" -- recon checklists
printf '[reconditioning]\nchecklists = %s\nmax_cycle = 2\n' "$dir/cl" >"$dir/bad.conf"
refused 7 "bad.conf:3: unknown key \"max_cycle\" in \[reconditioning\]; allowed: checklists, max_cycles, max_age_years" -- --config "$dir/bad.conf" recon show SN-1
printf '[reconditioning]\nmax_cycles = 0\n' >"$dir/bad.conf"
refused 7 "bad.conf:2: bad number \"0\": expected a whole number 1..1000" -- --config "$dir/bad.conf" recon show SN-1

# --- SN-1: a failed measurement blocks approval; repeated by scan, then approved
expect 0 "started: checklist BPM version 1" -- recon start SN-1 $T --at 2026-03-03T08:00
refused 6 "\"reserve\" is not allowed" -- reserve SN-1 --order O-NEXT
for s in CLEAN WIPE ACC VISUAL; do expect 0 "PASS" -- recon step SN-1 $s pass $T; done
expect 0 "P0: 1.5 mmHg is within 0 \+-3 mmHg" -- recon step SN-1 P0 1.5 $T
expect 0 "FAIL" -- recon step SN-1 P100 104 $T --note "avvikelse vid 100"
expect 0 "P100: 104 mmHg is outside 100 \+-3 mmHg \(deviation \+4\)" -- recon step SN-1 P100 104 $T
expect 0 "BATT: 4,8|BATT: 4.8 V is within" -- recon step SN-1 BATT 4,8 $T
expect 0 "FW: version 1.4.2 is at or above the minimum 1.4.0" -- recon step SN-1 FW 1.4.2 $T
expect 0 "LEAK: 2 mmHg/min" -- recon step SN-1 LEAK 2 $T
refused 3 "step P200 needs the measured value in mmHg \(a number\) or fail" -- recon step SN-1 P200 tvåhundra $T
refused 3 "unknown step \"P300\" for the BPM checklist version 1; steps: CLEAN, WIPE, P0, P100" -- recon step SN-1 P300 300 $T
refused 3 "bad step barcode .*expected RCN:<STEP>:<RESULT>" -- recon scan SN-1 "RCN:P200" $T
refused 6 "cannot be approved: 8 of 10 steps passed; failed: P100; not done: P200" -- recon finish SN-1 --location A-01-01 $T
refused 3 "give exactly one outcome" -- recon finish SN-1 --location A-01-01 --scrap x $T
expect 0 "P100: 100.5 mmHg is within" -- recon scan SN-1 RCN:P100:100.5 $T
expect 0 "10 of 10 steps passed" -- recon scan SN-1 RCN:P200:201 $T
refused 4 "unknown location \"O-NEXT\"" -- recon finish SN-1 --location O-NEXT $T
refused 4 "unknown printer \"nope\"" -- recon finish SN-1 --location A-01-01 --printer nope $T
expect 0 "SN-1: \"reconditioned\" tag queued on printer rekond \(outbox job 1\)" -- recon finish SN-1 --location A-01-01 $T --at 2026-03-05T15:00
n=$(sqlite3 "$WMS_DB" "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'recon_approve' AND o.target = 'rekond' AND json_extract(o.payload, '$.label') = 'recon' AND json_extract(o.payload, '$.fields.serial') = 'SN-1'")
[ "$n" = 1 ] && ok || bad "the tag of SN-1 is not in the outbox with its approval event ($n rows)"
expect 0 "in_stock" -- device show SN-1
expect 0 "scrap_proposed +1 reconditioning cycles \(limit 1\)" -- recon show SN-1
expect 0 '"outcome": "approved"' -- recon show SN-1 --json
expect 0 '"attempts": 3' -- recon show SN-1 --json
expect 0 "in_stock -> reserved" -- reserve SN-1 --order O-NEXT

# --- SN-2: repair, back, reconditioned again (turnaround spans the repair)
expect 0 "started" -- recon start SN-2 $T --at 2026-03-31T08:00
refused 3 "repair needs a fault description|needs a value" -- recon finish SN-2 --repair "" $T
expect 0 "finished: repair" -- recon finish SN-2 --repair "pumpen ger inget tryck" $T --at 2026-03-31T09:00
refused 6 "\"reserve\" is not allowed" -- reserve SN-2 --order O-NEXT
expect 0 "repair -> quarantine" -- repair-back SN-2 --at 2026-04-08T10:00
expect 0 "started" -- recon start SN-2 $T --at 2026-04-09T08:00
expect 0 "WIPE +check +pass .* pending .* 0 *$" -- recon show SN-2
for s in CLEAN WIPE ACC VISUAL; do expect 0 "PASS" -- recon step SN-2 $s PASS $T; done
for s in P0:0 P100:99 P200:202 LEAK:1 BATT:5.1 FW:2.0; do expect 0 "PASS" -- recon scan SN-2 RCN:$s $T; done
refused 3 "--printer is for the tag of an approved device" -- recon finish SN-2 --scrap x --printer rekond $T
expect 0 "no printer has purpose recon at station ML-REKOND-2: printer rekond has it only for stations ML-REKOND-1: no tag queued" -- recon finish SN-2 --location A-01-01 --station ML-REKOND-2 --actor tek7 --at 2026-04-09T15:00
expect 0 '"outcome": "repair"' -- recon show SN-2 --json

# --- SN-3: exchanged under a deviation case, returned, scrapped
expect 0 "order_create" -- order create O-X --customer VC-MOLNDAL --product BPM --mode unit --exchange-of SN-3 --at 2026-04-01T08:00
expect 0 "case 1 opened \(deviation, SN-3\)" -- case open SN-3 --order O-X --kind deviation --text "visar 20 mmHg för högt" --actor sup1 --at 2026-04-01T08:30
refused 3 "bad case kind \"complaint\": use --kind support or --kind deviation" -- case open SN-3 --kind complaint --text x --actor sup1
refused 3 "a case needs a description \(--text\)" -- case open SN-3 --kind support --actor sup1
refused 4 "unknown order \"O-NONE\"" -- case open SN-3 --order O-NONE --kind support --text x --actor sup1
refused 4 "unknown serial" -- case open SN-0 --kind support --text x --actor sup1
expect 0 "rented -> return_expected" -- exchange SN-3 --order O-X --reason "visar fel" --at 2026-04-01T09:00
expect 0 "return_expected -> quarantine" -- return SN-3 --at 2026-04-02T10:00
expect 0 '"replacing_order": "O-X"' -- case show 1 --json
expect 0 "started" -- recon start SN-3 $T --at 2026-04-02T11:00
expect 0 "finished: scrapped" -- recon finish SN-3 --scrap "kretskort korroderat" $T --at 2026-04-02T12:00
expect 0 "case 1 closed" -- case close 1 --text "enheten kasserad, ny levererad" --actor sup1
refused 6 "case 1 is already closed" -- case close 1 --text again --actor sup1
refused 3 "bad case number" -- case show x1
expect 0 "deviation +closed +SN-3" -- case list --status closed
expect 0 "\(none\)" -- case list --status open

# --- figures (Swedish working days counted by hand):
# SN-1 returned Mon 03-02, approved Thu 03-05: 3.  SN-2 returned Mon 03-30,
# approved Thu 04-09 after a repair; långfredagen 04-03 and annandag påsk
# 04-06 closed: 31, 1, 2, 7, 8, 9 = 6.  Median of {3, 6} (nearest rank) = 3,
# p90 = 6.  Outcomes BPM: started 4, approved 2, repair 1, scrapped 1 ->
# repair rate 0.25, scrap rate 0.25.  Queue on Wed 04-15: SN-4 in quarantine
# since Mon 03-02: 21 March days (3rd-31st) + 9 April days (1, 2, 7-10,
# 13-15) = 30 working days, cross-checked with `wms workdays`.
export WMS_NOW=2026-04-15T12:00
expect 0 '"median": 3,' -- recon report --json
expect 0 '"p90": 6,' -- recon report --json
expect 0 '"max": 6,' -- recon report --json
expect 0 '"repair_rate": 0.25' -- recon report --json
expect 0 '"scrap_rate": 0.25' -- recon report --json
expect 0 '"started": 4,' -- recon report --json
queue=$("$WMS_BIN" workdays 2026-03-02 2026-04-15)
[ "$queue" = 30 ] && ok || bad "wms workdays 2026-03-02 2026-04-15 gave $queue, counted 30 by hand"
out=$("$WMS_BIN" recon report --json)
if grep -q "\"state\": \"quarantine\"," <<<"$out" && grep -q "\"max\": $queue," <<<"$out"; then ok; else bad "queue age $queue not in: $out"; fi
expect 0 '"count": 1,' -- recon report --from 2026-03-01 --to 2026-03-31 --json
# by depot: every device is Mölndal's, so its row has every outcome
expect 0 '"depot": "ML",' -- recon report --depot ML --json
out=$("$WMS_BIN" recon report --json)
if grep -q '"by_depot": \[' <<<"$out" && grep -q '"approved": 2,' <<<"$out"; then ok; else bad "no by_depot in: $out"; fi
expect 4 'unknown depot "XX"; known depots: ML' -- recon report --depot XX
refused 3 "--to 2026-03-01 is before --from 2026-03-31" -- recon report --from 2026-03-31 --to 2026-03-01
refused 3 "bad date" -- recon report --from 2026-02-30
expect 0 "turnaround_workdays" -- recon report
unset WMS_NOW

# --- the ledger stays consistent with everything above
expect 0 "projections equal a rebuild" -- db check

finish
