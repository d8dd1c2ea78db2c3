#!/usr/bin/env bash
# station_flow_test.sh - whole warehouse flows driven by scanner bytes into
# one wmsd station that changes mode by CMD: barcodes: sign-in, receipt,
# put-away, transfer to buffer stock, pick (reserve + pick), dispatch,
# return, reconditioning intake and a stock count; every step checked in
# the ledger, the scan journal and `wms station`.
# usage: station_flow_test.sh PATH/TO/wmsd PATH/TO/wms
set -u
. "$(dirname "$0")/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
fifo=$dir/desk
wms()  { "$WMS_BIN" --db "$db" "$@"; }
GS=$'\x1d'
handled() { [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")" -ge "$1" ]; }
scanned=0 acks=
# scan LINE...: one scan per argument, each acknowledged on the ack pipe
# before the next; the acknowledgement must come after the outcome was
# committed, so the journal row is there the moment it arrives.
scan() {
  local a
  for line in "$@"; do
    printf '%s\n' "$line" >"$fifo"
    scanned=$((scanned + 1))
    if ! read -r -t 60 -u 3 a; then bad "scan $scanned ($line) not acknowledged"; return; fi
    acks="$acks $a"
    handled "$scanned" || bad "scan $scanned ($line) acknowledged before its outcome was committed"
    case "$a:$(last)" in
      ok:ok:*|ok:warning:*|ok:failed:*|ok:double\ read|bad:refused:*) ;;
      *) bad "scan $scanned ($line): ack '$a' does not match the outcome '$(last)'";;
    esac
  done
}
last()  { sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1"; }
state() { sql "SELECT state FROM devices WHERE serial = '$1'"; }
udi()   { printf ']d2010950600013435217300630%s%s10%s' "21$1" "$GS" "$2"; }

# --- a store with reference data (not empty, so no demo load)
wms product add BPM --name-sv "Blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM 09506000134352 >/dev/null
wms product add SCALE --name-sv "Våg" --name-en "Scale" --category HoS >/dev/null
wms customer add VC-ALE --name "Vårdcentralen Ale" --kind region >/dev/null
wms location add A-01 --name "Hylla A1" --kind shelf >/dev/null
wms location add B-ALE --name "Buffert Ale" --kind buffer --customer VC-ALE >/dev/null
wms order create O-1 --customer VC-ALE --product BPM --mode unit --patient-ref P-1 >/dev/null
wms order create O-2 --customer VC-ALE --product SCALE --mode home --patient-ref P-2 >/dev/null
# the people at the station: users with a role and a registered badge
badge_users anna:warehouse tove:technician
mkfifo "$fifo" "$fifo.ack"
exec 3<>"$fifo.ack"
cat >"$conf" <<CONF
[store]
database = $db
[station desk]
mode = receipt
scanner = fifo:$fifo ack=$fifo.ack gs=~
double_read_ms = 0
label = always
[printer desk-zebra]
queue = desk_zebra
server = 127.0.0.1:9
language = zpl
purposes = device
[http]
listen = off
CONF
wmsd_start "$conf" "$log" "ready: 1 stations"
events0=$(sql "SELECT count(*) FROM events")

# --- sign in, receive two devices
scan "USR:mickey-mouse"
check "an unregistered badge is refused: $(last)" grep -q "^refused: unknown badge" <<<"$(last)"
scan "USR:tove"
check "a technician may not sign in at a receipt station: $(last)" \
  grep -q "^refused: user tove (technician) may not work in mode receipt" <<<"$(last)"
scan "USR:anna"
check "sign-in: $(last)" [ "$(last)" = "ok: user anna signed in" ]
scan "$(udi SN-F1 L7)" "$(udi SN-F2 L7)"
check "SN-F1 received" [ "$(state SN-F1)" = received ]
check "a device label queued with each receipt, in its transaction" \
  [ "$(sql "SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'receive' AND o.target = 'desk-zebra' AND o.payload LIKE '%\"serial\":\"SN-F%'")" -eq 2 ]
check "receipts by anna at desk" [ "$(sql "SELECT count(*) FROM events WHERE type = 'receive' AND actor = 'anna' AND station = 'desk'")" -eq 2 ]

# --- put-away: our own device label (plain serial) and a UDI
scan "CMD:PUTAWAY" "SN-F1" "LOC:A-01" "$(udi SN-F2 L7)" "LOC:A-01"
check "mode line" grep -q "ok: mode putaway" <<<"$(sql "SELECT result FROM scan_journal WHERE id = 6")"
check "SN-F1 in stock on A-01" [ "$(sql "SELECT d.state || ' ' || l.code FROM devices d JOIN locations l ON l.id = d.location_id WHERE serial = 'SN-F1'")" = "in_stock A-01" ]
check "SN-F2 in stock" [ "$(state SN-F2)" = in_stock ]
scan "LOC:A-01"
check "location without a device refused: $(last)" grep -q "^refused: scan a device before its location A-01" <<<"$(last)"

# --- transfer SN-F2 to the unit's buffer stock
scan "CMD:TRANSFER" "SN-F2" "LOC:B-ALE"
check "SN-F2 in buffer: $(last)" [ "$(state SN-F2)" = in_buffer ]

# --- pick: the order, then a device of the wrong type is refused and nothing is reserved
scan "CMD:PICK" "ORD:O-2"
check "order line: $(last)" grep -q "^ok: order O-2: SCALE for VC-ALE; scan a SCALE device" <<<"$(last)"
before=$(sql "SELECT count(*) FROM events")
scan "SN-F1"
check "wrong product refused: $(last)" grep -q "^refused: " <<<"$(last)"
check "refused pick wrote no event" [ "$(sql "SELECT count(*) FROM events")" -eq "$before" ]
check "SN-F1 still in stock" [ "$(state SN-F1)" = in_stock ]
scan "ORD:O-1"
check "the order's device allocated from the unit's buffer and suggested: $(last)" \
  [ "$(last)" = "ok: order O-1: BPM for VC-ALE; pick SN-F2 at B-ALE" ]
check "SN-F2 reserved by the allocation" [ "$(state SN-F2)" = reserved ]
scan "SN-F1"
check "picked: $(last)" [ "$(last)" = "ok: SN-F1 picked for order O-1" ]
check "SN-F1 picked" [ "$(state SN-F1)" = picked ]
check "the suggested device went back to the buffer" [ "$(state SN-F2)" = in_buffer ]
check "allocation, then swap and pick in one scan" \
  [ "$(sql "SELECT group_concat(e.type) FROM events e WHERE e.id > $before")" = "reserve,unreserve,reserve,pick" ]
check "journal links the pick event" [ "$(sql "SELECT e.type FROM scan_journal s JOIN events e ON e.id = s.event_id ORDER BY s.id DESC LIMIT 1")" = pick ]

# --- dispatch, delivered and rented through the CLI, returned, into reconditioning
scan "CMD:DISPATCH" "SN-F1"
check "dispatched" [ "$(state SN-F1)" = dispatched ]
wms deliver SN-F1 >/dev/null && wms rent SN-F1 >/dev/null || bad "deliver/rent"
scan "CMD:RETURN" "$(udi SN-F1 L7)"
check "returned into quarantine: $(last)" [ "$(state SN-F1)" = quarantine ]
scan "CMD:RECON"
check "the warehouse worker is signed out at recon: $(last)" grep -q "anna signed out" <<<"$(last)"
scan "SN-F1"
check "reconditioning needs a signed-in technician: $(last)" grep -q "^refused: nobody is signed in" <<<"$(last)"
scan "USR:tove" "SN-F1"
check "in reconditioning: $(last)" [ "$(state SN-F1)" = in_recon ]
check "its checklist started: $(last)" grep -q "^ok: SN-F1 reconditioning started" <<<"$(last)"
scan "RCN:CLEAN:PASS"
check "a step result recorded: $(last)" grep -q "^ok: SN-F1 .*1 of [0-9]* steps passed" <<<"$(last)"
scan "LOC:A-01"
check "approval refused while steps are missing: $(last)" grep -q "^refused: " <<<"$(last)"
check "still in reconditioning" [ "$(state SN-F1)" = in_recon ]

# --- a stock count of the buffer store: one expected device, one stranger
scan "CMD:COUNT" "USR:anna" "LOC:B-ALE"   # the technician is signed out by the mode change; the worker signs in
check "count starts: $(last)" [ "$(last)" = "ok: counting B-ALE: 1 devices expected; scan each, then CMD:DONE" ]
scan "SN-F2" "SN-F2" "SN-X9" "CMD:DONE"
check "count report: $(last)" [ "$(last)" = "ok: count B-ALE: 2 counted, 1 expected, 0 missing, 1 not registered here: SN-X9" ]

# --- what the operator sees
out=$(wms station desk --lines 3 2>&1)
check "wms station shows its header and the last lines: $out" bash -c "[ \$(wc -l <<<'$out') -eq 4 ] && grep -q 'count B-ALE: 2 counted' <<<'$out' && head -1 <<<'$out' | grep -q '^station desk | mode: count | signed in: anna | waiting for: nothing'"
check "every scan journalled once with an outcome" [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")" -eq "$scanned" ]
check "every event by anna, the reconditioning by tove, the CLI's by the OS user" \
  [ "$(sql "SELECT count(*) FROM events WHERE id > $events0 AND actor NOT IN ('anna', '$(id -un)')
            AND NOT (actor = 'tove' AND type LIKE 'recon%')")" -eq 0 ]
check "wms db check" wms db check
check "6 bad signals for the 6 refusals: $acks" [ "$(tr ' ' '\n' <<<"$acks" | grep -c '^bad$')" -eq 6 ]

# --- gs=~ on the source: the scanner's '~' stands for the GS1 separator (issue 15)
scan "CMD:RECEIPT" "$(udi SN-F3 L8 | tr '\035' '~')"
check "received with the lot after '~': $(last)" [ "$(state SN-F3)" = received ]
check "its lot is L8" [ "$(sql "SELECT count(*) FROM events WHERE type = 'receive' AND payload LIKE '%L8%'")" -ge 1 ]

kill -TERM "$pid"; wait "$pid"; pid=
finish
