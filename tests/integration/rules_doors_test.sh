#!/usr/bin/env bash
# rules_doors_test.sh - the rules of wms/core (wms_rules.h) hold at every door.
# A role x action matrix through the CLI (--actor), the HTTP API (API tokens
# and browser sessions) and a scanning station (badges): the test fails when
# two doors disagree on any cell.  Then the reconditioning gate, personal
# identity numbers, events from the future, the hash chain after a dropped
# trigger and an edited row, and a void, through the doors that take them.
# usage: rules_doors_test.sh WMSD WMS
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
wmsd_test_dir
fifo=$dir/desk
export WMS_DB=$db
wms() { "$WMS_BIN" --db "$db" "$@"; }

roles=(warehouse technician dispatcher manager admin)
http_users "${roles[@]}"
for r in "${roles[@]}"; do wms user badge "u-$r" "b-$r" >/dev/null || bad "badge of u-$r"; done
wms product add BPM --name-sv B --name-en B --category HoS >/dev/null
wms customer add VC --name "VC" --kind region >/dev/null
wms location add A-01 --name A --kind shelf >/dev/null
wms location add B-VC --name B --kind buffer --customer VC >/dev/null
wms receive M-1 --product BPM --at 2026-03-02T08:00 >/dev/null || bad "M-1"
mkfifo "$fifo" "$fifo.ack"
exec 3<>"$fifo.ack"
cat >"$conf" <<CONF
[store]
database = $db
[station desk]
mode = receipt
scanner = fifo:$fifo ack=$fifo.ack
double_read_ms = 0
[http]
listen = 127.0.0.1:0
CONF
http_start "$WMSD_BIN" "$conf" "$log"
for r in "${roles[@]}"; do login "$r" >/dev/null; done

# --- the matrix: every device event type, every role, through the CLI and the API
# (token and session).  The serial is unknown (or, for receive, taken), so an
# allowed command stops at the device: refused = exit 8 / HTTP 403, allowed = anything else.
declare -A cli_cmd=(
  [receive]="receive M-1 --product BPM" [move]="move NOSUCH --location A-01"
  [to_buffer]="to-buffer NOSUCH --location B-VC" [from_buffer]="from-buffer NOSUCH --location A-01"
  [reserve]="reserve NOSUCH --order O-1" [unreserve]="unreserve NOSUCH" [pick]="pick NOSUCH"
  [dispatch]="dispatch NOSUCH" [deliver]="deliver NOSUCH" [rent]="rent NOSUCH"
  [expect_return]="expect-return NOSUCH" [exchange]="exchange NOSUCH --order O-1 --reason x"
  [return]="return NOSUCH" [recon_start]="recon start NOSUCH" [recon_approve]="recon finish NOSUCH --location A-01"
  [recon_repair]="recon finish NOSUCH --repair x" [repair_back]="repair-back NOSUCH" [scrap]="scrap NOSUCH --reason x"
)
declare -A verdict
cells=0
for type in "${!cli_cmd[@]}"; do
  serial=NOSUCH; [ "$type" = receive ] && serial=M-1
  for r in "${roles[@]}"; do
    # shellcheck disable=SC2086
    wms ${cli_cmd[$type]} --actor "u-$r" >/dev/null 2>&1; rc=$?
    c=allowed; [ "$rc" -eq 8 ] && c=refused
    req POST "/api/v1/devices/$serial/events" -H "Authorization: Bearer $(cat "$dir/token-$r")" "${JSON[@]}" \
      -d "{\"type\":\"$type\",\"location\":\"A-01\",\"reason\":\"x\",\"order\":\"O-1\",\"product\":\"BPM\"}"
    t=allowed; [ "$code" = 403 ] && t=refused
    req POST "/api/v1/devices/$serial/events" -b "$dir/$r.jar" -H "X-CSRF-Token: $(cat "$dir/$r.csrf")" \
      "${JSON[@]}" -d "{\"type\":\"$type\",\"location\":\"A-01\",\"reason\":\"x\",\"order\":\"O-1\",\"product\":\"BPM\"}"
    s=allowed; [ "$code" = 403 ] && s=refused
    cells=$((cells + 1))
    if [ "$c" != "$t" ] || [ "$c" != "$s" ]; then
      bad "doors disagree on $type by $r: CLI $c, API token $t, API session $s"
    fi
    verdict[$type:$r]=$c
  done
done
check "the matrix has every cell ($cells)" [ "$cells" -eq $(( ${#cli_cmd[@]} * ${#roles[@]} )) ]
# the issue's table, as the core says it
for cell in recon_approve:warehouse scrap:warehouse recon_start:dispatcher receive:technician move:manager; do
  check "$cell refused" [ "${verdict[$cell]}" = refused ]
done
for cell in recon_approve:technician scrap:technician receive:warehouse deliver:dispatcher receive:admin; do
  check "$cell allowed" [ "${verdict[$cell]}" = allowed ]
done
# orders: the CLI and the API agree too
for r in "${roles[@]}"; do
  wms order create "O-$r" --customer VC --product BPM --mode unit --actor "u-$r" >/dev/null 2>&1; rc=$?
  c=allowed; [ "$rc" -eq 8 ] && c=refused
  req POST /api/v1/orders -H "Authorization: Bearer $(cat "$dir/token-$r")" "${JSON[@]}" \
    -d "{\"number\":\"OA-$r\",\"customer\":\"VC\",\"product\":\"BPM\",\"mode\":\"unit\"}"
  t=allowed; [ "$code" = 403 ] && t=refused
  check "order_create by $r: CLI $c, API $t" [ "$c" = "$t" ]
done

# --- the station: a badge signs in only where its user's role fits the mode, as the CLI's verdict
scan() {
  local a
  printf '%s\n' "$1" >"$fifo"
  read -r -t 20 -u 3 a || bad "scan $1 not acknowledged"
}
last() { sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1"; }
declare -A mode_event=([receipt]=receive [putaway]=move [transfer]=to_buffer [pick]=pick [dispatch]=dispatch
                       [return]=return [recon]=recon_start)
scan "USR:mickey-mouse"
check "an unknown badge is refused: $(last)" grep -q "^refused: unknown badge" <<<"$(last)"
for mode in "${!mode_event[@]}"; do
  scan "CMD:${mode^^}"
  for r in "${roles[@]}"; do
    scan "USR:b-$r"
    st=allowed; grep -q "^refused: " <<<"$(last)" && st=refused
    check "station mode $mode, badge of $r: $st, as the CLI's ${mode_event[$mode]} (${verdict[${mode_event[$mode]}:$r]})" \
      [ "$st" = "${verdict[${mode_event[$mode]}:$r]}" ]
  done
done

# --- the reconditioning gate at the generic events route, the CLI and its own route
wms order create O-G --customer VC --product BPM --mode unit --at 2026-03-02T09:00 >/dev/null
for step in "move M-1 --location A-01 --at 2026-03-02T09:00" "reserve M-1 --order O-G --at 2026-03-02T10:00" \
            "pick M-1 --at 2026-03-02T10:01" "dispatch M-1 --at 2026-03-02T10:02" "deliver M-1 --at 2026-03-03T10:00" \
            "return M-1 --at 2026-03-10T10:00"; do
  # shellcheck disable=SC2086
  wms $step >/dev/null || bad "M-1: $step"
done
tok() { echo "Authorization: Bearer $(cat "$dir/token-$1")"; }
refused_req 403 'may not recon_start' POST /api/v1/devices/M-1/events -H "$(tok warehouse)" "${JSON[@]}" -d '{"type":"recon_start"}'
refused_req 400 'recon_start needs the device.s checklist' POST /api/v1/devices/M-1/events -H "$(tok technician)" \
  "${JSON[@]}" -d '{"type":"recon_start"}'
expect_req 201 '"serial":"M-1"|M-1' POST /api/v1/recon -H "$(tok technician)" "${JSON[@]}" -d '{"serial":"M-1"}'
refused_req 403 'may not recon_approve' POST /api/v1/devices/M-1/events -H "$(tok warehouse)" "${JSON[@]}" \
  -d '{"type":"recon_approve","location":"A-01"}'
refused_req 409 'cannot be approved: 0 of [0-9]+ checklist steps passed' POST /api/v1/devices/M-1/events \
  -H "$(tok technician)" "${JSON[@]}" -d '{"type":"recon_approve","location":"A-01"}'
refused 6 "cannot be approved" -- recon finish M-1 --location A-01 --actor u-technician
refused 8 "u-warehouse \(warehouse\) may not scrap" -- scrap M-1 --reason x --actor u-warehouse
refused 3 "scrap needs a reason" -- scrap M-1 --actor u-technician
check "still in reconditioning, not in stock" [ "$(sql "SELECT state FROM devices WHERE serial = 'M-1'")" = in_recon ]
refused_req 403 'may not reserve|forbidden' POST /api/v1/devices/M-1/events -H "$(tok manager)" "${JSON[@]}" \
  -d '{"type":"reserve","order":"O-G"}'

# --- personal identity numbers at every door that takes a patient reference
for pnr in 19121212-1212 191212121212 121212-1212 1212121212 121212+1212 121272-1212; do
  refused 3 "personnummer/samordningsnummer" -- order create "O-P$RANDOM" --customer VC --product BPM --mode home \
    --patient-ref "$pnr"
  refused_req 400 'personnummer' POST /api/v1/orders -H "$(tok dispatcher)" "${JSON[@]}" \
    -d "{\"number\":\"O-Q\",\"customer\":\"VC\",\"product\":\"BPM\",\"mode\":\"home\",\"patient_ref\":\"$pnr\"}"
done
printf 'external_id;customer;product;mode;patient_ref\nE-1;VC;BPM;home;19121212-1212\nE-2;VC;BPM;home;P-000002\n' >"$dir/o.csv"
out=$(wms order import "$dir/o.csv" 2>&1)
check "CSV import: the line with a personnummer is bad: $out" grep -q "line 2: .*personnummer" <<<"$out"
expect_req 200 '"bad":1' POST /api/v1/orders/import -H "$(tok dispatcher)" "${CSV[@]}" --data-binary @"$dir/o.csv"
check "no identity number anywhere in the database" bash -c "! sqlite3 '$db' .dump | grep -q '1212-1212\|191212121212'"
check "the pseudonym is kept apart from the ledger" \
  [ "$(sql "SELECT count(*) FROM events WHERE payload LIKE '%P-000002%'")" -eq 0 ]

# --- events from the future
tomorrow=$(date -u -d '+1 day' +%Y-%m-%dT%H:%MZ)
refused 3 "is in the future: the server clock says" -- receive FUT-1 --product BPM --at "$tomorrow"

# --- a manager voids a mistaken receipt
wms receive TYPO-1 --product BPM >/dev/null || bad "TYPO-1"
ev=$(sql "SELECT id FROM events WHERE type = 'receive' AND payload LIKE '%TYPO-1%'")
refused 8 "may not void" -- void "$ev" --reason "typo" --actor u-warehouse
expect 0 "voided" -- void "$ev" --reason "typo in the serial" --actor u-manager
check "TYPO-1 is gone from the devices" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'TYPO-1'")" -eq 0 ]
check "its history keeps both events" [ "$(sql "SELECT count(*) FROM events WHERE id = $ev OR (type = 'void' AND json_extract(payload, '$.voids') = $ev)")" -eq 2 ]

# --- tamper evidence: the chain, then a dropped trigger and an edited row
kill -TERM "$pid"; wait "$pid" 2>/dev/null; pid=
expect 0 "hash chain" -- db check
expect 0 "head: event [0-9]+ hash [0-9a-f]{64}" -- db verify --from 2
n=$(sql "SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 3")
sql "DROP TRIGGER events_append_only_update; UPDATE events SET actor = 'x' WHERE id = $n" || bad "tamper"
refused 1 "trigger events_append_only_update is missing" -- db check
check "db check --json names the triggers" [ "$(wms db check --json | jq -r .triggers)" = "not as the schema's" ]
expect 1 "hash chain broken at event $n" -- db check --restore-triggers
check "the trigger is back, audited" [ "$(sql "SELECT count(*) FROM audit WHERE action = 'trigger events_append_only_update restored (it was missing)'")" -eq 1 ]
refused 1 "broken at event $n" -- db verify --from 1
# a trigger rewritten to let updates through is found too
sql "DROP TRIGGER events_append_only_delete; CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events WHEN 0 BEGIN SELECT 1; END" || bad "rewrite"
refused 1 "trigger events_append_only_delete is not the schema's" -- db check

finish
