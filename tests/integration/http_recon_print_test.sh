#!/usr/bin/env bash
# http_recon_print_test.sh - reconditioning, support cases, printers, labels,
# the print queue and the admin's routes of wmsd's HTTP API with curl(1): the
# real daemon on a temporary database, its print worker thread pointed at a
# CUPS port where nothing listens (jobs stay queued with the reason).  The
# role matrix of every route (no login and each role, by token and by
# session cookie); a full reconditioning through the API ending in approval,
# the device back in stock and the "reconditioned" tag queued; a refused
# approval (a failed step) that writes nothing; print job retry, cancel and
# reprint states; users and tokens made by the admin; refusals are 4xx with
# what is allowed and leave the database byte-identical.
# usage: http_recon_print_test.sh PATH/TO/wmsd PATH/TO/wms CHECKLIST_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/http_lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
CHECKLISTS=$3
wmsd_test_dir
unset CUPS_SERVER

sql()  { sqlite3 "$db" "$@"; }
wms()  { "$WMS_BIN" --db "$db" "$@"; }

# --- users, tokens, reference data and devices back from patients (through the CLI)
roles=(warehouse technician dispatcher manager admin)
http_users "${roles[@]}"
wms product add BPM --name-sv "Digital blodtrycksmätare" --name-en "Blood-pressure monitor" --category HoS >/dev/null
wms product add-gtin BPM 09506000134352 >/dev/null
wms product add SCALE --name-sv "Digital våg" --name-en "Digital scale" --category HoS >/dev/null
wms customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region >/dev/null
wms location add A-01-01 --name "Hylla A1" --kind shelf >/dev/null
for n in 1 2 3; do
  wms receive SN-$n --product BPM --at 2026-02-02T08:00 >/dev/null &&
  wms move SN-$n --location A-01-01 --at 2026-02-02T09:00 >/dev/null &&
  wms order create O-$n --customer VC-MOLNDAL --product BPM --mode unit --at 2026-02-02T10:00 >/dev/null &&
  wms reserve SN-$n --order O-$n --at 2026-02-02T11:00 >/dev/null &&
  wms pick SN-$n --at 2026-02-02T12:00 >/dev/null &&
  wms dispatch SN-$n --at 2026-02-02T13:00 >/dev/null &&
  wms deliver SN-$n --at 2026-02-03T10:00 >/dev/null &&
  wms rent SN-$n --at 2026-02-03T11:00 >/dev/null &&
  wms return SN-$n --at 2026-03-02T10:00 >/dev/null || bad "SN-$n back to quarantine"
done
wms order create O-NEXT --customer VC-MOLNDAL --product BPM --mode unit --at 2026-03-02T11:00 >/dev/null

mkdir "$dir/cl"
cp "$CHECKLISTS/BPM.checklist" "$dir/cl/"
cat >"$conf" <<CONF
[store]
database = $db
[http]
listen = 127.0.0.1:0
[reconditioning]
checklists = $dir/cl
[printer rekond]
queue = q_rekond
server = 127.0.0.1:9     ; nothing listens there
purposes = recon
[printer lager]
queue = q_lager
server = 127.0.0.1:9
purposes = device location
CONF
check "wmsd -n accepts [reconditioning] and [printer]" "$WMSD_BIN" -n -c "$conf"
http_start "$WMSD_BIN" "$conf" "$log"

# The database's content, without the columns wmsd's print worker thread keeps
# writing while jobs wait (attempts, next attempt, last error of outbox rows).
db_sum() {
  sql "$sum_sql" | sha256sum
}
sum_sql=$(sql "SELECT 'SELECT * FROM \"' || name || '\";' FROM sqlite_master WHERE type = 'table' AND name != 'outbox' ORDER BY name")
sum_sql+=" SELECT id, kind, target, payload, state, event_id, reprint_of, purged FROM outbox ORDER BY id;"
T=(-H "Authorization: Bearer $(cat "$dir/token-technician")")
W=(-H "Authorization: Bearer $(cat "$dir/token-warehouse")")
A=(-H "Authorization: Bearer $(cat "$dir/token-admin")")

for r in "${roles[@]}"; do login "$r"; done

# --- the role matrix: every new route x (no login, each role), by token and by cookie.
# Columns: none warehouse technician dispatcher manager admin.  {who} makes ids unique;
# allowed callers of a route that would change something ask for an unknown thing
# (404/409) where a success cannot repeat.
matrix=(
  "POST|/api/v1/recon|{\"serial\":\"SN-NOPE\"}|401 403 404 403 403 404"
  "GET|/api/v1/recon/report?from=2026-01-01||401 403 200 403 200 200"
  "GET|/api/v1/recon/SN-1||401 403 200 403 200 200"
  "POST|/api/v1/recon/SN-NOPE/steps|{\"step\":\"CLEAN\",\"result\":\"pass\"}|401 403 404 403 403 404"
  "POST|/api/v1/recon/SN-NOPE/finish|{\"outcome\":\"scrap\",\"reason\":\"x\"}|401 403 404 403 403 404"
  "GET|/api/v1/checklists||401 403 200 403 200 200"
  "GET|/api/v1/checklists/BPM||401 403 200 403 200 200"
  "POST|/api/v1/cases|{\"serial\":\"SN-3\",\"kind\":\"support\",\"text\":\"matrix {who}\"}|401 403 201 403 403 201"
  "GET|/api/v1/cases?status=open||401 403 200 403 200 200"
  "GET|/api/v1/cases/1||401 403 200 403 200 200"
  "POST|/api/v1/cases/999999/close|{\"text\":\"x\"}|401 403 404 403 403 404"
  "GET|/api/v1/printers||401 200 403 200 200 200"
  "GET|/api/v1/print-jobs?state=open&limit=5||401 200 403 200 200 200"
  "GET|/api/v1/print-jobs/999999||401 404 403 404 403 404"
  "POST|/api/v1/print-jobs/999999/retry|{}|401 404 403 404 403 404"
  "POST|/api/v1/print-jobs/999999/cancel||401 404 403 404 403 404"
  "POST|/api/v1/print-jobs/999999/reprint|{}|401 404 403 404 403 404"
  "POST|/api/v1/labels|{\"kind\":\"location\",\"location\":\"A-01-01\"}|401 201 403 201 403 201"
  "POST|/api/v1/purge|{}|401 403 403 403 403 200"
  "POST|/api/v1/users|{\"name\":\"u-new-{who}\",\"role\":\"warehouse\",\"password\":\"secret-{who}-pw\"}|401 403 403 403 403 201"
  "POST|/api/v1/tokens|{\"name\":\"t-new-{who}\",\"role\":\"dispatcher\"}|401 403 403 403 403 201"
  "POST|/api/v1/tokens/t-none-{who}/revoke|{}|401 403 403 403 403 404"
)
for via in token cookie; do
  for spec in "${matrix[@]}"; do matrix_row "$via" "$spec"; done
done
check "forbidden requests wrote nothing" [ "$(sql "SELECT count(*) FROM users WHERE name LIKE 'u-new-%' AND name NOT LIKE 'u-new-admin-%'")" -eq 0 ]
check "the admin's users exist" [ "$(sql "SELECT count(*) FROM users WHERE name LIKE 'u-new-admin-%'")" -eq 2 ]
check "cases carry their user" [ "$(sql "SELECT group_concat(opened_by, ' ') FROM (SELECT opened_by FROM cases ORDER BY id)")" = "t-technician t-admin u-technician u-admin" ]

# --- a full reconditioning through the API, ending in approval
expect_req 200 '"status":"ok"' GET /api/v1/checklists "${T[@]}"
expect_req 200 '"barcode":"RCN:P100:mmHg"' GET /api/v1/checklists/BPM "${T[@]}"
refused_req 404 "SCALE.checklist does not exist" GET /api/v1/checklists/SCALE "${T[@]}"
refused_req 400 'missing field \\"serial\\"' POST /api/v1/recon "${T[@]}" "${JSON[@]}" -d '{}'
expect_req 201 '"detail":"checklist BPM version 1' POST /api/v1/recon "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-1"}'
refused_req 409 "in_recon|not allowed|quarantine" POST /api/v1/recon "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-1"}'
for s in CLEAN WIPE ACC VISUAL; do
  expect_req 201 '"passed":true' POST /api/v1/recon/SN-1/steps "${T[@]}" "${JSON[@]}" -d "{\"step\":\"$s\",\"result\":\"pass\"}"
done
for sv in P0:1.5 P100:100.5 P200:201 LEAK:2 BATT:4,8 FW:1.4.2; do
  expect_req 201 '"passed":true' POST /api/v1/recon/SN-1/steps "${T[@]}" "${JSON[@]}" -d "{\"step\":\"${sv%%:*}\",\"value\":\"${sv#*:}\"}"
done
check "10 of 10 steps passed" grep -q '"steps_passed": 10' <<<"$body"
expect_req 200 '"action":"finished"' POST /api/v1/recon/SN-1/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"approve","location":"A-01-01"}'
tag=$(jq -r .tag_job <<<"$body")
check "the tag's printer is the recon printer" [ "$(jq -r .tag_printer <<<"$body")" = rekond ]
check "the approval is the technician's" [ "$(sql "SELECT actor || '/' || station FROM events WHERE type = 'recon_approve'")" = "t-technician/http" ]
expect_req 200 '"state":"in_stock"' GET /api/v1/devices/SN-1 "${A[@]}"
check "SN-1 back in stock on A-01-01" [ "$(sql "SELECT d.state || ' ' || l.code FROM devices d JOIN locations l ON l.id = d.location_id WHERE d.serial = 'SN-1'")" = "in_stock A-01-01" ]
expect_req 200 "\"id\":$tag,.*\"label\":\"recon\",\"state\":\"queued\"" GET "/api/v1/print-jobs?state=open" "${W[@]}"
req GET "/api/v1/print-jobs/$tag" "${W[@]}"
check "the tag job is for SN-1 on rekond" [ "$(jq -r '.target + " " + (.payload | fromjson | .label + " " + .fields.serial)' <<<"$body")" = "rekond recon SN-1" ]
check "the tag belongs to the approval event" [ "$(sql "SELECT e.type FROM outbox o JOIN events e ON e.id = o.event_id WHERE o.id = $tag")" = recon_approve ]
expect_req 200 '"outcome":"approved"' GET /api/v1/recon/SN-1 "${T[@]}"
expect_req 201 '"to":"reserved"' POST /api/v1/devices/SN-1/events "${A[@]}" "${JSON[@]}" -d '{"type":"reserve","order":"O-NEXT"}'

# --- a failed step: approval refused (409, what is allowed), nothing written; then repair
expect_req 201 '"action":"started"' POST /api/v1/recon "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-2"}'
for s in CLEAN WIPE ACC VISUAL; do
  expect_req 201 '"passed":true' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d "{\"step\":\"$s\",\"result\":\"pass\"}"
done
expect_req 201 'outside 100 \+-3 mmHg.*"passed":false' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d '{"step":"P100","value":"104","note":"avvikelse vid 100"}'
refused_req 409 'cannot be approved: 4 of 10 steps passed; failed: P100; not done: P0, P200' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"approve","location":"A-01-01"}'
check "the 409 says what is allowed" grep -q '"allowed": "POST /api/v1/recon/{serial}/steps until every step passed, then approve; or outcome repair or scrap"' <<<"$body"
check "no approval, no tag for SN-2" [ "$(sql "SELECT count(*) FROM outbox WHERE json_extract(payload, '\$.fields.serial') = 'SN-2'")" -eq 0 ]
refused_req 400 'missing field \\"location\\"' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"approve"}'
refused_req 400 '"allowed":"approve, repair, scrap"' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"maybe"}'
refused_req 400 'missing field \\"reason\\"' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"repair"}'
refused_req 400 'are for an approval' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"scrap","reason":"x","location":"A-01-01"}'
refused_req 404 'unknown printer \\"nope\\"' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"approve","location":"A-01-01","printer":"nope"}'
refused_req 400 'exactly one of \\"result\\"' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d '{"step":"P0","result":"pass","value":"0"}'
refused_req 400 'unknown step \\"P300\\"' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d '{"step":"P300","value":"300"}'
refused_req 400 'needs the measured value in mmHg' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d '{"step":"P200","value":"tvåhundra"}'
refused_req 400 'unknown field \\"serial\\"' POST /api/v1/recon/SN-2/steps "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-2","step":"P0","value":"0"}'
refused_req 409 'not allowed' POST /api/v1/devices/SN-2/events "${A[@]}" "${JSON[@]}" -d '{"type":"reserve","order":"O-NEXT"}'
expect_req 200 '"outcome":"repair"' POST /api/v1/recon/SN-2/finish "${T[@]}" "${JSON[@]}" -d '{"outcome":"repair","reason":"pumpen läcker"}'
check "SN-2 is in repair" [ "$(sql "SELECT state FROM devices WHERE serial = 'SN-2'")" = repair ]
refused_req 400 'bad date|no such date|expected' GET "/api/v1/recon/report?from=2026-13-01" "${T[@]}"
refused_req 400 'to\\" is before' GET "/api/v1/recon/report?from=2026-05-01&to=2026-04-01" "${T[@]}"
expect_req 200 '"started":2' GET /api/v1/recon/report -H "Authorization: Bearer $(cat "$dir/token-manager")"
expect_req 200 '"by_depot":\[\{"depot":"ML"' GET "/api/v1/recon/report?depot=ML" -H "Authorization: Bearer $(cat "$dir/token-manager")"
refused_req 404 'unknown depot \\"XX\\"; known depots: ML' GET "/api/v1/recon/report?depot=XX" "${T[@]}"

# --- support cases
expect_req 201 '"case":5,.*"status":"open"' POST /api/v1/cases "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-3","kind":"deviation","text":"visar 20 mmHg för högt","order":"O-3"}'
refused_req 400 'bad case kind \\"complaint\\"' POST /api/v1/cases "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-3","kind":"complaint","text":"x"}'
refused_req 400 'missing field \\"text\\"' POST /api/v1/cases "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-3","kind":"support"}'
refused_req 404 'unknown serial' POST /api/v1/cases "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-0","kind":"support","text":"x"}'
refused_req 404 'unknown order' POST /api/v1/cases "${T[@]}" "${JSON[@]}" -d '{"serial":"SN-3","kind":"support","text":"x","order":"O-NONE"}'
expect_req 200 '"kind":"deviation"' GET /api/v1/cases/5 "${T[@]}"
refused_req 400 'bad case number' GET /api/v1/cases/x1 "${T[@]}"
refused_req 400 'bad status' GET "/api/v1/cases?status=pending" "${T[@]}"
expect_req 200 '"status":"closed"' POST /api/v1/cases/5/close "${T[@]}" "${JSON[@]}" -d '{"text":"kalibrerad om"}'
refused_req 409 'case 5 is already closed' POST /api/v1/cases/5/close "${T[@]}" "${JSON[@]}" -d '{"text":"again"}'
req GET "/api/v1/cases?status=closed&serial=SN-3" "${T[@]}"
check "the closed case is listed" [ "$(jq -r '.[0].case' <<<"$body")" = 5 ]
check "case closed by the technician" [ "$(sql "SELECT closed_by FROM cases WHERE id = 5")" = t-technician ]

# --- labels and the print queue: queued by the API, the worker keeps them queued (no CUPS)
expect_req 201 '"printer":"lager","label":"device","state":"queued"' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-3"}'
job=$(jq -r .job <<<"$body")
expect_req 201 '"printer":"rekond","label":"recon"' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d "{\"kind\":\"recon\",\"device\":\"SN-3\",\"printer\":\"rekond\",\"set\":\"$(printf 'date=2026-03-05\\ntechnician=tek7\\nresult=GODKÄND\\nproduct=Omkalibrerad')\"}"
job2=$(jq -r .job <<<"$body")
check "set lines reach the payload" [ "$(sql "SELECT json_extract(payload, '\$.fields.product') FROM outbox WHERE id = $job2")" = Omkalibrerad ]
refused_req 400 "unknown label kind 'sticker'" POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"sticker"}'
refused_req 400 'missing field \\"kind\\"' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"device":"SN-3"}'
refused_req 404 'unknown printer \\"nosuch\\"' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-3","printer":"nosuch"}'
check "the 404 lists the printers" grep -q '"allowed": "rekond, lager"' <<<"$body"
refused_req 404 'unknown serial|unknown device' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-404"}'
refused_req 400 'no printer has purpose shipping' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"shipping"}'
refused_req 400 '\\"location\\" fills location labels, not device' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","location":"A-01-01"}'
refused_req 400 'at most one of' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-3","location":"A-01-01"}'
refused_req 400 'bad \\"set\\" line \\"colour\\": expected NAME=VALUE' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-3","set":"colour"}'
refused_req 400 'field' POST /api/v1/labels "${W[@]}" "${JSON[@]}" -d '{"kind":"device","device":"SN-3","set":"colour=red"}'
wait_for 60 bash -c "[ -n \"\$(sqlite3 '$db' \"SELECT last_error FROM outbox WHERE id = $job\")\" ]" || bad "the worker did not try job $job"
expect_req 200 "cannot reach CUPS server 127.0.0.1:9" GET "/api/v1/print-jobs/$job" "${W[@]}"
expect_req 200 '"name":"lager",.*"open_jobs":[1-9]' GET /api/v1/printers "${W[@]}"
check "the printers route says why jobs wait" grep -q '"waiting": "cannot reach CUPS server 127.0.0.1:9' <<<"$body"
expect_req 200 '"state":"queued"' POST "/api/v1/print-jobs/$job/retry" "${W[@]}"
check "retry makes it due now" [ "$(sql "SELECT state FROM outbox WHERE id = $job")" = queued ]
expect_req 200 '"state":"cancelled"' POST "/api/v1/print-jobs/$job/cancel" "${W[@]}" "${JSON[@]}" -d '{}'
check "cancelled in the store" [ "$(sql "SELECT state FROM outbox WHERE id = $job")" = cancelled ]
refused_req 409 "is cancelled; \\\\\"cancel\\\\\" is allowed only when it is queued failed.*\"allowed\":\"cancel a queued or failed job\"" POST "/api/v1/print-jobs/$job/cancel" "${W[@]}"
refused_req 409 "is cancelled; \\\\\"retry\\\\\" is allowed only when it is queued failed.*\"allowed\":\"retry a queued or failed job" POST "/api/v1/print-jobs/$job/retry" "${W[@]}"
refused_req 400 'bad print job \\"x2\\"' POST /api/v1/print-jobs/x2/cancel "${W[@]}"
refused_req 400 'unknown field \\"printer\\"' POST "/api/v1/print-jobs/$job/retry" "${W[@]}" "${JSON[@]}" -d '{"printer":"lager"}'
refused_req 404 'unknown printer' POST "/api/v1/print-jobs/$job/reprint" "${W[@]}" "${JSON[@]}" -d '{"printer":"nosuch"}'
expect_req 201 "\"reprint_of\":$job,\"state\":\"queued\"" POST "/api/v1/print-jobs/$job/reprint" "${W[@]}" "${JSON[@]}" -d '{"printer":"rekond"}'
re=$(jq -r .job <<<"$body")
check "the reprint is a new job on rekond" [ "$(sql "SELECT reprint_of || ' ' || target || ' ' || state FROM outbox WHERE id = $re")" = "$job rekond queued" ]
# a job the worker gave up on (set by hand: nothing here makes CUPS refuse for good)
sql "UPDATE outbox SET state = 'failed', last_error = 'aborted by the printer' WHERE id = $job2"
expect_req 200 '"state":"queued"' POST "/api/v1/print-jobs/$job2/retry" "${W[@]}"
check "a failed job is queued again" [ "$(sql "SELECT state FROM outbox WHERE id = $job2")" = queued ]
expect_req 200 "\"id\":$job," GET "/api/v1/print-jobs?state=cancelled" "${W[@]}"
refused_req 400 'bad state \\"done\\"' GET "/api/v1/print-jobs?state=done" "${W[@]}"
refused_req 400 'limit|bad number' GET "/api/v1/print-jobs?limit=0" "${W[@]}"

# --- the admin's: users, tokens, purge
refused_req 400 '8 to 1024' POST /api/v1/users "${A[@]}" "${JSON[@]}" -d '{"name":"u-short","role":"manager","password":"short"}'
refused_req 400 '"allowed":"warehouse, technician, dispatcher, manager, admin"' POST /api/v1/users "${A[@]}" "${JSON[@]}" -d '{"name":"u-boss","role":"boss","password":"long enough pw"}'
refused_req 400 'needs name, role and password' POST /api/v1/users "${A[@]}" "${JSON[@]}" -d '{"name":"u-nopw","role":"manager"}'
refused_req 409 'already|taken|exists' POST /api/v1/users "${A[@]}" "${JSON[@]}" -d '{"name":"u-admin","role":"manager","password":"long enough pw"}'
expect_req 201 '"role":"technician"' POST /api/v1/users "${A[@]}" "${JSON[@]}" -d '{"name":"tek7","role":"technician","password":"Hemligt-lösen-77"}'
check "the reply has no password" bash -c "! grep -q 'Hemligt' <<<\"\$1\"" _ "$body"
expect_req 200 '"role":"technician"' POST /api/v1/login "${JSON[@]}" -d '{"user":"tek7","password":"Hemligt-lösen-77"}'
check "the password is stored as argon2id" [ "$(sql "SELECT password_hash LIKE '\$argon2id\$%' FROM users WHERE name = 'tek7'")" = 1 ]
expect_req 201 '"token":"[0-9a-f]{64}"' POST /api/v1/tokens "${A[@]}" "${JSON[@]}" -d '{"name":"ordering","role":"dispatcher"}'
newtok=$(jq -r .token <<<"$body")
check "only the token's hash is stored" [ "$(sql "SELECT count(*) FROM api_tokens WHERE token_hash = '$newtok'")" -eq 0 ]
expect_req 200 '"user":"ordering","role":"dispatcher"' GET /api/v1/me -H "Authorization: Bearer $newtok"
refused_req 409 'already|taken|exists' POST /api/v1/tokens "${A[@]}" "${JSON[@]}" -d '{"name":"ordering","role":"dispatcher"}'
expect_req 200 '"revoked":true' POST /api/v1/tokens/ordering/revoke "${A[@]}"
refused_req 401 "unknown or revoked API token" GET /api/v1/me -H "Authorization: Bearer $newtok"
refused_req 404 'no live token \\"ordering\\"' POST /api/v1/tokens/ordering/revoke "${A[@]}"
expect_req 200 '"purged":0,"print_jobs_purged":[0-9]+,"retention_days":30' POST /api/v1/purge "${A[@]}" "${JSON[@]}" -d '{}'
refused_req 400 'bad number|expected' POST /api/v1/purge "${A[@]}" "${JSON[@]}" -d '{"retention_days":"-1"}'
check "no password in the daemon's log" bash -c "! grep -q 'Hemligt\|secret-\|pw-admin' '$log'"

# --- the daemon stops cleanly
kill -TERM "$pid"
wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" && ok || bad "wmsd did not stop"
check "no sanitizer report" bash -c "! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' '$log'"

finish
