#!/usr/bin/env bash
# transfer_station_test.sh - a transfer between depots as the dispatcher and
# the receiving depot's worker do it (issue 18): the depots' addresses; a
# transfer consignment made for a device still on a Mölndal shelf, with its
# shipping label from depot to depot (rendered like an order's); Mölndal's
# dispatch station scanning its SSCC sends the device (transfer_out),
# Skövde's receipt station (in Swedish) scanning the same SSCC takes it in
# (transfer_in); a cancelled consignment, one leaving from another depot and
# scans out of turn refused; `wms transfer list` of every state with its
# filters; `wms transfer cancel`; a transfer consignment linked to the request
# it answers (one row in the list, its transfer_out answering that request);
# an order's status in a refusal in words.
# usage: transfer_station_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8 WMS_DB=$db WMS_CONFIG=$conf
wms() { "$WMS_BIN" "$@"; }
mkfifo "$dir/disp" "$dir/disp.ack" "$dir/skin" "$dir/skin.ack"
exec 3<>"$dir/disp.ack" 4<>"$dir/skin.ack"
cat >"$WMS_CONFIG" <<CONF
[store]
database = $db
[station disp]
mode = dispatch
scanner = fifo:$dir/disp ack=$dir/disp.ack
double_read_ms = 0
[station sk-in]
mode = receipt
depot = SK
language = sv
scanner = fifo:$dir/skin ack=$dir/skin.ack
double_read_ms = 0
[printer frakt]
queue = frakt
server = 127.0.0.1:9
language = zpl
purposes = shipping
[courier]
gs1_company_prefix = 7350012345
[carrier PostNord]
adapter = manual
[http]
listen = off
CONF
# scan FIFO FD SSCC: one SSCC scanned at station disp (fifo disp) or sk-in (fifo skin) and
# acknowledged; $ack and $line its outcome
scan() {
  local station=$1
  [ "$1" = skin ] && station=sk-in
  printf ']C100%s\n' "$3" >"$dir/$1"
  read -r -t 60 -u "$2" ack || { ack=none; bad "scan of $3 at $station not acknowledged"; }
  line=$(sql "SELECT result FROM scan_journal WHERE station = '$station' ORDER BY id DESC LIMIT 1")
}
state() { sql "SELECT state FROM devices WHERE serial = '$1'"; }
sscc_of() { sql "SELECT c.sscc FROM consignments c JOIN consignment_devices cd ON cd.consignment_id = c.id JOIN devices d ON d.id = cd.device_id WHERE d.serial = '$1' ORDER BY c.id DESC LIMIT 1"; }

# --- the depots and their addresses
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
refused 3 'bad depot address "Skövde": give "street, postal code city"' -- depot add SK --name "HMC Skövde" --address Skövde
check "a refused depot add leaves no depot" [ "$(sql "SELECT count(*) FROM depots WHERE code = 'SK'")" -eq 0 ]
expect 0 "depot SK added" -- depot add SK --name "HMC Skövde"
refused 3 'bad depot address "Badhusgatan 5, 5413 Skövde"' -- depot address SK "Badhusgatan 5, 5413 Skövde"
refused 4 'unknown depot "GB"; known depots: ML \(HMC Mölndal\), SK \(HMC Skövde\)' -- depot address GB "Storgatan 1, 411 01 Göteborg"
expect 0 "depot SK: address Badhusgatan 5, 54130 Skövde" -- depot address SK "Badhusgatan 5, 54130 Skövde"
expect 0 "depot ML: address" -- depot address ML "Kärragatan 1, 431 33 Mölndal"
expect 0 '"address": "Badhusgatan 5, 54130 Skövde"' -- depot show SK --json

wms customer add VC-SKOVDE --name "Vårdcentralen Skövde" --kind region >/dev/null
wms location add A-01 --name "Hylla A1" --kind shelf >/dev/null
wms location add SK-A01 --name "Hylla SK A1" --kind shelf --depot SK >/dev/null
for s in SN-1 SN-2; do wms receive $s --product BPM >/dev/null; wms move $s --location A-01 >/dev/null; done
wms receive SN-3 --product BPM --depot SK >/dev/null && wms move SN-3 --location SK-A01 >/dev/null
wms order create O-SK --customer VC-SKOVDE --product BPM --mode home --depot SK --patient-ref P-000001 >/dev/null
wms order create O-SK2 --customer VC-SKOVDE --product BPM --mode home --depot SK --patient-ref P-000002 >/dev/null
expect 0 "transfer request 1 for order O-SK" -- transfer request O-SK --from ML

# --- the transfer consignment of a device still on the shelf, with its label
refused 3 "device SN-1 is in_stock at depot ML: name the depot it goes to \(--to CODE\)" -- transfer-consignment create SN-1 --carrier PostNord --tracking TRK-T1
refused 4 'unknown depot "Skovde"; known depots' -- transfer-consignment create SN-1 --to Skovde --carrier PostNord --tracking TRK-T1
refused 3 "device SN-1 is at depot ML already; a transfer goes to another depot" -- transfer-consignment create SN-1 --to ML --carrier PostNord --tracking TRK-T1
refused 4 'unknown device "SN-404"' -- transfer-consignment create SN-404 --to SK --carrier PostNord --tracking TRK-T1
check "refused transfer consignments write nothing" [ "$(sql "SELECT count(*) FROM consignments")" -eq 0 ]
expect 0 "shipping label queued on printer frakt" -- transfer-consignment create SN-1 --to SK --carrier PostNord --tracking TRK-T1 --printer frakt
refused 5 "device SN-1 already has transfer consignment" -- transfer-consignment create SN-1 --to SK --carrier PostNord --tracking TRK-T9
sscc=$(sscc_of SN-1)
check "SSCC of the transfer ($sscc)" [ "${#sscc}" -eq 18 ]
payload=$(sql "SELECT payload FROM outbox WHERE kind = 'label' AND target = 'frakt'")
for kv in "label=shipping" "sender_name=HMC Mölndal" "sender_street=Kärragatan 1" "sender_postcode=431 33" \
          "receiver_name=HMC Skövde" "receiver_street=Badhusgatan 5" "receiver_postcode=541 30" \
          "receiver_city=Skövde" "ref_caption=Överföring" "order_ref=SN-1" "tracking=TRK-T1" "sscc=$sscc"; do
  got=$(jq -r --arg k "${kv%%=*}" 'if $k == "label" then .label else .fields[$k] end' <<<"$payload")
  check "label ${kv%%=*} = ${kv#*=} ($got)" [ "$got" = "${kv#*=}" ]
done
# the same template as an order's shipping label renders it
sets=()
while IFS= read -r kv; do sets+=(--set "$kv"); done < <(jq -r '.fields | to_entries[] | "\(.key)=\(.value)"' <<<"$payload")
expect 0 "shipping label written" -- label preview shipping "${sets[@]}" --zpl "$dir/t.zpl"
for want in "SN-1" "541 30" "Badhusgatan 5" "TRK-T1" "$sscc"; do
  check "rendered label has $want" grep -q "$want" "$dir/t.zpl"
done
sets=()
while IFS= read -r kv; do sets+=(--set "$kv"); done < <(jq -r '.fields | del(.ref_caption) | to_entries[] | "\(.key)=\(.value)"' <<<"$payload")
expect 0 "shipping label written" -- label preview shipping "${sets[@]}" --zpl "$dir/o.zpl"
check "an order's caption is the template's default (Ordernr)" bash -c "grep -q Ordernr '$dir/o.zpl' && ! grep -q Ordernr '$dir/t.zpl'"
expect 0 "$sscc" -- transfer list --state requested
requested=$(wms transfer list --state requested --json)
check "requested: one transfer, the request with its consignment's device and SSCC: $(jq -c . <<<"$requested")" \
  [ "$(jq -r '.[] | "\(.request) \(.order) \(.serial) \(.from)>\(.to) \(.consignment)"' <<<"$requested")" = "1 O-SK SN-1 ML>SK $sscc" ]
refused 6 "transfer request 1 has consignment $sscc waiting for dispatch; cancel the consignment first \\(wms consignment cancel $sscc\\)" -- transfer cancel 1

# --- the stations
wmsd_start "$conf" "$log" "ready: 2 stations"
scan skin 4 "$sscc"
check "Skövde before it was sent: refused ($line)" [ "$ack" = bad ]
check "  saying so in Swedish: $line" grep -q "^refused: överföringsförsändelse $sscc har inte skickats" <<<"$line"
scan disp 3 "$sscc"
check "Mölndal's dispatch sends it: $line" grep -q "^ok: transfer consignment $sscc: SN-1 sent to depot SK (in stock -> in transfer between depots)" <<<"$line"
check "SN-1 in transfer at TRANSFER-SK" [ "$(state SN-1) $(sql "SELECT l.code FROM devices d JOIN locations l ON l.id = d.location_id WHERE serial = 'SN-1'")" = "in_transfer TRANSFER-SK" ]
check "the request is answered" [ "$(sql "SELECT state FROM transfer_requests WHERE id = 1")" = sent ]
check "the transfer_out is the station's" [ "$(sql "SELECT station FROM events WHERE type = 'transfer_out'")" = disp ]
scan disp 3 "$sscc"
check "the same SSCC again: on its way already ($line)" grep -q "^refused: transfer consignment $sscc: its 1 device(s) are on their way to depot SK already" <<<"$line"
expect 0 "in_transit" -- transfer list --state sent --depot SK
scan skin 4 "$sscc"
check "Skövde's receipt takes it in: $line" grep -q "^ok: överföringsförsändelse $sscc från depå ML: SN-1 har kommit" <<<"$line"
check "SN-1 received at SK-GOODS-IN" [ "$(state SN-1) $(sql "SELECT l.code FROM devices d JOIN locations l ON l.id = d.location_id WHERE serial = 'SN-1'")" = "received SK-GOODS-IN" ]
check "the request is received" [ "$(sql "SELECT state FROM transfer_requests WHERE id = 1")" = received ]
scan skin 4 "$sscc"
check "again: received already ($line)" grep -q "^refused: överföringsförsändelse $sscc: dess 1 enhet(er) har redan tagits emot" <<<"$line"

# --- a cancelled consignment and one that leaves from another depot
expect 0 "shipping label queued" -- transfer-consignment create SN-2 --to SK --carrier PostNord --tracking TRK-T2 --printer frakt
sscc2=$(sscc_of SN-2)
expect 0 "cancelled" -- consignment cancel "$sscc2" --reason "went by car"
scan disp 3 "$sscc2"
check "a cancelled transfer's SSCC is refused: $line" grep -q "^refused: transfer consignment $sscc2 is cancelled: nothing goes with it" <<<"$line"
check "  SN-2 stays on its shelf" [ "$(state SN-2)" = in_stock ]
expect 0 "shipping label queued" -- transfer-consignment create SN-3 --to ML --carrier PostNord --tracking TRK-T3 --printer frakt
sscc3=$(sscc_of SN-3)
scan disp 3 "$sscc3"
check "Skövde's consignment at Mölndal's dispatch: $line" grep -q "^refused: transfer consignment $sscc3 leaves from depot SK, not from this station's depot ML" <<<"$line"
check "  SN-3 stays in Skövde" [ "$(state SN-3)" = in_stock ]
kill -TERM "$pid"; wait "$pid"; pid=

# --- every transfer in the list
expect 0 "transfer request 2 for order O-SK2" -- transfer request O-SK2 --from ML
refused 4 "unknown transfer request 9" -- transfer cancel 9
refused 3 'bad transfer request "x"' -- transfer cancel x
refused 6 "transfer request 1 was received already" -- transfer cancel 1
expect 0 "transfer request 2 cancelled" -- transfer cancel 2 --reason "found one in Skövde"
refused 6 "transfer request 2 is cancelled already" -- transfer cancel 2
list=$(wms transfer list --json)
check "every state listed: $(jq -c '[.[] | .state]' <<<"$list")" [ "$(jq -c '[.[] | .state] | sort' <<<"$list")" = '["cancelled","received","requested"]' ]
check "the received one with its consignment and times" [ "$(jq -r '.[] | select(.state == "received") | "\(.request) \(.order) \(.serial) \(.from)>\(.to) \(.consignment)"' <<<"$list")" = "1 O-SK SN-1 ML>SK $sscc" ]
check "the cancelled one's time" [ "$(jq -r '.[] | select(.state == "cancelled") | .cancelled | length' <<<"$list")" -eq 20 ]
expect 0 "O-SK2 .*cancelled" -- transfer list --state cancelled
check "--depot ML: all three touch Mölndal" [ "$(wms transfer list --depot ML --json | jq length)" -eq 3 ]
check "--state received --depot SK: one" [ "$(wms transfer list --depot SK --state received --json | jq length)" -eq 1 ]
refused 3 'unknown transfer state "lost"; allowed: requested, in_transit \(or sent\), received, cancelled' -- transfer list --state lost
refused 4 'unknown depot "XX"' -- transfer list --depot XX

# --- a device whose transfer consignment waits for the dispatch station is not handed out
for s in SN-5 SN-6; do wms receive $s --product BPM >/dev/null; wms move $s --location A-01 >/dev/null; done
expect 0 "shipping label queued" -- transfer-consignment create SN-5 --to SK --carrier PostNord --tracking TRK-T5 --printer frakt
wms order create O-ML1 --customer VC-SKOVDE --product BPM --mode home --patient-ref P-000003 >/dev/null
wms order create O-ML2 --customer VC-SKOVDE --product BPM --mode home --patient-ref P-000004 >/dev/null
expect 0 "order O-ML1: reserved SN-2" -- allocate O-ML1
expect 0 "order O-ML2: reserved SN-6" -- allocate O-ML2

# --- a request made after its consignment, and a request's own device sent first
wms order create O-SK3 --customer VC-SKOVDE --product BPM --mode home --depot SK --patient-ref P-000005 >/dev/null
wms order create O-SK4 --customer VC-SKOVDE --product BPM --mode home --depot SK --patient-ref P-000006 >/dev/null
sscc5=$(sscc_of SN-5)
expect 0 "transfer request 3 for order O-SK3" -- transfer request O-SK3 --from ML
check "the waiting consignment of SN-5 answers request 3" [ "$(sql "SELECT transfer_request FROM consignments WHERE sscc = '$sscc5'")" = 3 ]
for s in SN-7 SN-8; do wms receive $s --product BPM >/dev/null; wms move $s --location A-01 >/dev/null; done
expect 0 "transfer request 4 for order O-SK4" -- transfer request O-SK4 --from ML
expect 0 "shipping label queued" -- transfer-consignment create SN-7 --to SK --carrier PostNord --tracking TRK-T7 --printer frakt
sscc7=$(sscc_of SN-7)
row() { wms transfer list --depot ML --json | jq -r --arg r "$1" '.[] | select((.request | tostring) == $r) | "\(.state) \(.order) \(.serial) \(.consignment)"'; }
check "request 3: SN-5 and its SSCC ($(row 3))" [ "$(row 3)" = "requested O-SK3 SN-5 $sscc5" ]
check "request 4: SN-7 and its SSCC ($(row 4))" [ "$(row 4)" = "requested O-SK4 SN-7 $sscc7" ]
check "no consignment listed apart from its request" [ "$(wms transfer list --state requested --json | jq '[.[] | select(.from == "ML")] | length')" -eq 2 ]
expect 0 "" -- transfer out SN-7 --to SK
check "SN-7 sent answers its own request 4, not the older 3" [ "$(sql "SELECT group_concat(id || ':' || state, ' ') FROM transfer_requests WHERE id IN (3, 4)")" = "3:open 4:sent" ]
check "request 4 in transit with its SSCC ($(row 4))" [ "$(row 4)" = "in_transit O-SK4 SN-7 $sscc7" ]
expect 0 "" -- transfer out SN-8 --to SK
check "SN-8 without a consignment leaves request 3 to SN-5" [ "$(sql "SELECT state FROM transfer_requests WHERE id = 3")" = open ]
check "  and is listed as a transfer of its own" [ "$(wms transfer list --json | jq -r '.[] | select(.serial == "SN-8") | "\(.request) \(.state)"')" = "null in_transit" ]
expect 0 "cancelled" -- consignment cancel "$sscc5" --reason "another device"
check "request 3 without SN-5 once its consignment is cancelled ($(row 3))" [ "$(row 3)" = "requested O-SK3 null null" ]
expect 0 "transfer request 3 cancelled" -- transfer cancel 3

# --- an order's status in a refusal in words, not the stored word
refused 6 "order O-ML1 has a device reserved for it already; only an open order is allocated" -- allocate O-ML1
LANGUAGE=sv refused 6 "beställning O-ML1 har redan en enhet reserverad; bara en öppen beställning tilldelas" -- allocate O-ML1
LANGUAGE=sv refused 6 "beställning O-ML1 har redan en enhet reserverad; en flytt begärs för en öppen beställning" -- transfer request O-ML1 --from SK
expect 0 "projections equal a rebuild" -- db check
finish
