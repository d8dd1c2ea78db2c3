#!/usr/bin/env bash
# station_screen_test.sh - what a worker and a technician see at a station
# (issue 19): the header (mode, signed-in user, what waits) in `wms station`
# and on the web screen; a Swedish station speaking Swedish without English
# state names; a second device replacing a waiting one warned about; a
# measurement outside its tolerance shown as failed, never OK; a measured
# value as RCN:<STEP>: then a numeric scan, or typed on the keypad (POST
# /api/v1/stations/NAME/input); a scrapping from the command sheet's reason
# code; the command sheet itself; device labels only when missing.
# usage: station_screen_test.sh PATH/TO/wmsd PATH/TO/wms CHECKLIST_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
CHECKLISTS=$3
wmsd_test_dir
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
wms() { "$WMS_BIN" --db "$db" "$@"; }
GS=$'\x1d'
udi() { printf ']d2010950600013435217300630%s%s10%s' "21$1" "$GS" "$2"; }
scanned=0
# scan FIFO LINE...: one scan each, waiting for its acknowledgement
scan() {
  local fifo=$1 a; shift
  for line in "$@"; do
    printf '%s\n' "$line" >"$fifo"
    scanned=$((scanned + 1))
    if ! read -r -t 10 -u "$(fd "$fifo")" a; then bad "scan $scanned ($line) not acknowledged"; fi
  done
}
fd() { case $1 in *rec) echo 3;; *) echo 4;; esac; }
last() { sql "SELECT result FROM scan_journal WHERE station = '$1' ORDER BY id DESC LIMIT 1"; }
handled() { [ "$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")" -ge "$1" ]; }

# --- a device returned into quarantine, another in stock
wms product add BPM --name-sv "Blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM 09506000134352 >/dev/null
wms customer add VC-ALE --name "Vårdcentralen Ale" --kind region >/dev/null
wms location add A-01 --name "Hylla A1" --kind shelf >/dev/null
for s in SN-R1 SN-R2 SN-R3; do
  wms receive $s --gtin 09506000134352 >/dev/null && wms move $s --location A-01 >/dev/null
done
for s in SN-R1 SN-R2; do
  wms order create "O-$s" --customer VC-ALE --product BPM --mode unit >/dev/null
  for c in "reserve $s --order O-$s" "pick $s" "dispatch $s" "deliver $s" "return $s"; do
    # shellcheck disable=SC2086
    wms $c >/dev/null || bad "wms $c"
  done
done
http_users technician warehouse
# the people who sign in at the stations, each with a badge (USR:NAME) of their own
badge_users tekla:technician anna:warehouse
mkfifo "$dir/rec" "$dir/rec.ack" "$dir/put" "$dir/put.ack"
exec 3<>"$dir/rec.ack" 4<>"$dir/put.ack"
cat >"$conf" <<CONF
[store]
database = $db
[station rec]
mode = recon
scanner = fifo:$dir/rec ack=$dir/rec.ack
double_read_ms = 0
language = sv
[station put]
mode = receipt
scanner = fifo:$dir/put ack=$dir/put.ack
double_read_ms = 0
[printer zebra]
queue = zebra
server = 127.0.0.1:9
language = zpl
purposes = device recon
[reconditioning]
checklists = $CHECKLISTS
[http]
listen = 127.0.0.1:0
CONF
http_start "$WMSD_BIN" "$conf" "$log"

# --- the header before anything was scanned
# the header is the station's screen: in the station's language, whatever the CLI user's
out=$(wms station rec)
check "header of a fresh Swedish station: $out" grep -q "^station rec | läge: rekonditionering | inloggad: ingen | väntar på: inget: skanna en enhet$" <<<"$out"
out=$(LANGUAGE=sv wms station rec)
check "the same for a Swedish CLI user: $out" grep -q "^station rec | läge: rekonditionering | inloggad: ingen | väntar på: inget" <<<"$out"
out=$(LANGUAGE=sv wms station put)
check "an English station's header in English for a Swedish CLI user: $out" grep -q "^station put | mode: receipt | signed in: nobody | waiting for: nothing: scan a device$" <<<"$out"

# --- a Swedish recon station
scan "$dir/rec" "USR:tekla" "SN-R1"
check "Swedish outcome: $(last rec)" grep -q "^ok: SN-R1 rekonditionering startad: checklista BPM version" <<<"$(last rec)"
scan "$dir/rec" "RCN:P100:"
check "a step waits for its value: $(last rec)" [ "$(last rec)" = "ok: SN-R1 steg P100: skanna eller skriv det uppmätta värdet" ]
out=$(wms station rec)
check "header: user and the waiting step: $out" grep -q "inloggad: tekla | väntar på: SN-R1: uppmätt värde för steg P100" <<<"$out"
scan "$dir/rec" "104"
check "out of tolerance is failed, not ok: $(last rec)" grep -q "^failed: SN-R1 P100: 104 mmHg är utanför 100 +-3 mmHg (avvikelse +4)" <<<"$(last rec)"
check "the failed result recorded" [ "$(sql "SELECT count(*) FROM recon_results WHERE step = 'P100' AND value = 104")" -ge 1 ]

# the keypad: RCN:P100: scanned, the value typed on the screen
scan "$dir/rec" "RCN:P100:"
T=(-H "Authorization: Bearer $(cat "$dir/token-technician")")
n=$(sql "SELECT count(*) FROM scan_journal WHERE result IS NOT NULL")
expect_req 202 '"outcome":"queued' POST /api/v1/stations/rec/input "${T[@]}" "${JSON[@]}" -d '{"text":"100.5"}'
wait_for 20 handled $((n + 1)) || bad "typed value not handled"
check "typed value within tolerance: $(last rec)" grep -q "^ok: SN-R1 P100: 100.5 mmHg är inom 100 +-3 mmHg" <<<"$(last rec)"
check "typed value journalled as a scan of the station" [ "$(sql "SELECT count(*) FROM scan_journal WHERE station = 'rec' AND raw = CAST('100.5' AS BLOB)")" -eq 1 ]
refused_req 400 'text' POST /api/v1/stations/rec/input "${T[@]}" "${JSON[@]}" -d '{"text":""}'
refused_req 404 'no such station' POST /api/v1/stations/nowhere/input "${T[@]}" "${JSON[@]}" -d '{"text":"1"}'
W=(-H "Authorization: Bearer $(cat "$dir/token-warehouse")")
expect_req 202 'queued' POST /api/v1/stations/rec/input "${W[@]}" "${JSON[@]}" -d '{"text":"CMD:CANCEL"}'
wait_for 20 grep -q "ok: avbrutet" <(last rec) || bad "CMD:CANCEL typed not handled: $(last rec)"

# the web screen: the station's language, the header, the failed line red
login technician
req GET /stations/rec -b "$dir/technician.jar" -b "wms_csrf=$(cat "$dir/technician.csrf")"
check "web screen in Swedish with its header" grep -q '<dt>Läge</dt><dd id="h-mode">rekonditionering</dd>' <<<"$body"
check "web screen shows the user" grep -q '<dd id="h-actor" data-none="ingen">tekla</dd>' <<<"$body"
check "failed measurement is red, labelled not passed" grep -q '<li class="failed" data-id="[0-9]*"><strong>Underkänt</strong> SN-R1 P100: 104 mmHg' <<<"$body"
check "the keypad for a technician" grep -q 'id="keypad" data-station="rec" data-csrf="' <<<"$body"
req GET '/stations/rec?lang=en' -b "$dir/technician.jar"
check "?lang=en overrides" grep -q '<dt>Mode</dt>' <<<"$body"

# a scrapping from the command sheet's reason code
scan "$dir/rec" "SN-R1" "RCN:SCRAP:RECALL"
check "scrapped by reason code: $(last rec)" [ "$(last rec)" = "ok: SN-R1 kasserad: RECALL" ]
check "the ledger's reason" [ "$(sql "SELECT json_extract(payload, '\$.reason') FROM events WHERE type = 'scrap'")" = "RECALL: recalled by the manufacturer" ]
scan "$dir/rec" "SN-R2" "RCN:SCRAP:NOSUCH"
check "an unknown reason code refused: $(last rec)" grep -q "^refused: okänd orsakskod för kassation \"NOSUCH\"" <<<"$(last rec)"
# a refusal in Swedish names no English state
scan "$dir/rec" "SN-R3" "SN-R1" "RCN:CLEAN:PASS"
check "Swedish refusal without English state names: $(last rec)" bash -c "grep -q 'kasserad' <<<'$(last rec)' && ! grep -qE 'scrapped|none|in_stock' <<<'$(last rec)'"
# roles, modes and the kinds of scan in the station's words too
scan "$dir/rec" "USR:anna"
check "a role that does not fit, in Swedish: $(last rec)" [ "$(last rec)" = "refused: användaren anna (lagerarbetare) får inte arbeta i läget rekonditionering" ]
scan "$dir/rec" "ORD:O-1"
check "the kind of scan in Swedish: $(last rec)" grep -q "fick beställning$" <<<"$(last rec)"

# --- an English receipt/putaway station: a second device replaces a waiting one
scan "$dir/put" "USR:anna" "$(udi SN-N1 L1)"
check "receipt ok: $(last put)" grep -q "^ok: SN-N1 received (not registered -> received)$" <<<"$(last put)"
check "label = when-missing: no label for a device with a readable UDI" [ "$(sql "SELECT count(*) FROM outbox WHERE kind = 'label' AND payload LIKE '%SN-N1%'")" -eq 0 ]
scan "$dir/put" "CMD:PUTAWAY" "SN-N1" "SN-R3"
check "the replaced device warned about: $(last put)" grep -q "^warning: SN-R3 (BPM, in stock) selected instead of SN-N1, which was waiting and is not moved" <<<"$(last put)"
out=$(wms station put)
check "header of the putaway station: $out" grep -q "^station put | mode: putaway | signed in: anna | waiting for: SN-R3: the shelf's LOC: label" <<<"$out"

# --- the command sheet: modes, the checklist's steps, the reason codes
expect_cmd() { local out; out=$("$WMS_BIN" --db "$db" --config "$conf" "$@" 2>&1) || { bad "wms $*: $out"; return 1; }; }
expect_cmd label preview command-sheet --station rec --product BPM --zpl "$dir/sheet.zpl"
for code in CMD:RECEIPT CMD:CANCEL RCN:CLEAN:PASS RCN:CLEAN:FAIL RCN:P100: RCN:REPAIR:BATTERY RCN:SCRAP:RECALL; do
  check "command sheet has $code" grep -q "$code" "$dir/sheet.zpl"
done
check "a recon station's sheet has every reason code" [ "$(grep -o 'RCN:\(REPAIR\|SCRAP\):[A-Z-]*' "$dir/sheet.zpl" | sort -u | wc -l)" -eq 11 ]
expect_cmd label preview command-sheet --station put --zpl "$dir/put.zpl"
check "a putaway station's sheet: modes, no reason codes" bash -c "grep -q CMD:PUTAWAY '$dir/put.zpl' && ! grep -q RCN: '$dir/put.zpl'"
out=$("$WMS_BIN" --db "$db" --config "$conf" label preview command-sheet --zpl "$dir/x.zpl" 2>&1)
check "a command sheet needs --station: $out" grep -q "give --station NAME" <<<"$out"
expect_cmd label preview command-sheet --station rec --product BPM --pdf "$dir/sheet.pdf"
check "the sheet renders as PDF" bash -c "head -c 5 '$dir/sheet.pdf' | grep -q '%PDF-'"

kill -TERM "$pid"; wait "$pid"; pid=
finish
