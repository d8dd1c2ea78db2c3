#!/usr/bin/env bash
# bad_input_test.sh - the bad-input corpus of tests/fixtures/bad-input/ against
# the real binaries.  Each case states the message it must get (a sidecar
# NAME.expect, or an "expect:" comment in the file itself) and is checked
# for it, not just for a refusal:
#   scans/       malformed barcodes and serial garbage through a FIFO station
#                of a running wmsd: the bad signal on the ack pipe, the reason
#                in the scan journal, nothing in the ledger
#   http/        malformed HTTP/JSON requests: the 4xx JSON error named
#   conf/        broken wmsd.conf files: `wmsd -n` exits 7 naming file:line
#   labels/      broken label templates: `wms label preview` names file:line
#   checklists/  broken reconditioning checklists: `wms recon checklist`
#                names file:line
# Afterwards wmsd is the same process, its station still takes scans,
# PRAGMA integrity_check is ok and the ledger is unchanged apart from the
# scan journal.
# usage: bad_input_test.sh PATH/TO/wmsd PATH/TO/wms
# (BAD_INPUT_VERBOSE=1 prints what each scan got: handy when adding a case)
set -u
. "$(dirname "$0")/../integration/lib.sh"
WMSD_BIN=$1
WMS_BIN=$2
corpus=$(cd "$(dirname "$0")/../fixtures/bad-input" && pwd)
dir=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$dir"
}
trap cleanup EXIT
unset WMS_CONFIG WMS_NOW WMS_DB JOURNAL_STREAM NOTIFY_SOCKET
db=$dir/t.db conf=$dir/wmsd.conf log=$dir/wmsd.log fifo=$dir/scan
sql() { sqlite3 "$db" "$@"; }
wms() { "$WMS_BIN" --db "$db" "$@"; }
GS=$'\x1d'

# the "expect: ERE" comment of a case file
expect_of() { sed -n 's/^[#;] expect: //p' "$1" | head -1; }
# a field of an http/NAME.expect sidecar
side() { sed -n "s/^$2 //p" "$1" | head -1; }

# Every table but the scan journal, as text: what "the ledger is unchanged" compares.
# station_state is operational like the scan journal: each scan updates its header
ledger_dump() {
  local t
  {
    for t in $(sql "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN
                    ('scan_journal', 'station_state', 'sqlite_sequence', 'tallies') ORDER BY name"); do
      echo "== $t"; sql "SELECT * FROM \"$t\" ORDER BY rowid" 2>/dev/null || sql "SELECT * FROM \"$t\""
    done
    # the counters of /metrics: the scans' count the journal, the rest must not move
    echo "== tallies"; sql "SELECT * FROM tallies WHERE family <> 'scans' ORDER BY 1, 2, 3"
  } | sha256sum
}

# --- reference data, a user with an API token, the daemon with one FIFO station
wms product add BPM --name-sv Blodtrycksmätare --name-en "Blood-pressure monitor" --category HoS \
  >/dev/null || { bad "setup: product add"; exit 1; }
wms product add-gtin BPM 09506000134352 >/dev/null
wms customer add VC-MOLNDAL --name "Vårdcentralen Mölndal" --kind region >/dev/null
wms location add A-01-01 --name "Hylla A1" --kind shelf >/dev/null
token=$(wms token create t-admin --role admin 2>/dev/null) || { bad "setup: token create"; exit 1; }
mkfifo "$fifo" "$fifo.ack"
exec 3<>"$fifo.ack"
cat >"$conf" <<CONF
[store]
database = $db
[station goods-in]
mode = receipt
scanner = fifo:$fifo ack=$fifo.ack
double_read_ms = 0
[http]
listen = 127.0.0.1:0
CONF
"$WMSD_BIN" -d -c "$conf" >"$log" 2>&1 &
pid=$!
wait_for 60 grep -q "http: listening on" "$log" || { bad "wmsd did not start"; cat "$log" >&2; exit 1; }
wait_for 60 grep -q "ready:" "$log" || { bad "wmsd not ready"; cat "$log" >&2; exit 1; }
port=$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
exec 4>"$fifo"
ledger_before=$(ledger_dump)
journal_before=$(sql "SELECT count(*) FROM scan_journal")

# --- scans: each one gets "bad" on the ack pipe and its reason in the journal
n_scans=0
for f in "$corpus"/scans/*.scan; do
  name=$(basename "$f" .scan)
  want=$(head -1 "${f%.scan}.expect")
  n_scans=$((n_scans + 1))
  { cat "$f"; printf '\n'; } >&4
  if ! read -r -t 60 -u 3 ack; then bad "scan $name: no ack within 60 s"; continue; fi
  check "scan $name: bad signal, got \"$ack\"" [ "$ack" = bad ]
  got=$(sql "SELECT result FROM scan_journal ORDER BY id DESC LIMIT 1")
  raw=$(sql "SELECT hex(raw) FROM scan_journal ORDER BY id DESC LIMIT 1")
  check "scan $name: journal keeps the raw bytes" \
    [ "$raw" = "$(head -c 1024 "$f" | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F)" ]
  [ -n "${BAD_INPUT_VERBOSE:-}" ] && echo "scan $name: $got"
  if [[ $got =~ ^refused:\ .+ ]] && grep -qE -- "$want" <<<"$got"; then ok
  else bad "scan $name: journal says \"$got\", wanted /refused: .*$want/"; fi
done
check "every scan journalled" [ "$(sql "SELECT count(*) FROM scan_journal")" -eq $((journal_before + n_scans)) ]
check "the log does not echo the garbage" bash -c "! grep -qaF 'Rullstol' '$log'"

# --- HTTP: each request gets the 4xx JSON error named in its sidecar
for f in "$corpus"/http/*.expect; do
  name=$(basename "$f" .expect)
  read -r method path <<<"$(side "$f" request)"
  ctype=$(side "$f" content-type) status=$(side "$f" status) want=$(side "$f" expect)
  body_file=${f%.expect}.body
  if [ ! -e "$body_file" ]; then          # generated: "generate N" bytes of a JSON string
    body_file=$dir/generated.body
    size=$(side "$f" generate)
    { printf '{"lot":"'; head -c $((size - 10)) /dev/zero | tr '\0' x; printf '"}'; } >"$body_file"
  fi
  code=$(curl -s --max-time 30 -o "$dir/reply" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" \
         -H "Content-Type: $ctype" --data-binary @"$body_file" "http://127.0.0.1:$port$path")
  reply=$(jq -c . "$dir/reply" 2>/dev/null || cat "$dir/reply")   # one line for the pattern
  check "http $name: HTTP $code, wanted $status: $reply" [ "$code" = "$status" ]
  check "http $name: a JSON error: $reply" jq -e '.error and .detail' "$dir/reply" >/dev/null
  check "http $name: reply lacks /$want/: $reply" grep -qE -- "$want" <<<"$reply"
done
check "no HTTP 5xx logged" bash -c "! grep -q 'http: .*: 5[0-9][0-9]' '$log'"

# --- after the scans and requests: the same daemon, the ledger unchanged, the station works
check "wmsd still running (pid $pid)" kill -0 "$pid"
check "the ledger is unchanged apart from the scan journal and the stations' headers" [ "$(ledger_dump)" = "$ledger_before" ]
check "integrity_check ok" [ "$(sql "PRAGMA integrity_check")" = ok ]
printf ']d20109506000134352%s\n' "21SN-GOOD-1${GS}10L1" >&4
read -r -t 60 -u 3 ack || ack=none
check "the station still takes a good scan: $ack" [ "$ack" = ok ]
check "the good scan is in the ledger" [ "$(sql "SELECT count(*) FROM devices WHERE serial = 'SN-GOOD-1'")" -eq 1 ]
check "the API still answers" bash -c "curl -sf -H 'Authorization: Bearer $token' http://127.0.0.1:$port/api/v1/products | jq -e 'length == 1' >/dev/null"

kill -TERM "$pid"
if wait_for 60 bash -c "! kill -0 $pid 2>/dev/null"; then ok; else bad "wmsd did not stop on SIGTERM"; fi
pid=
check "no sanitizer report in the log" bash -c "! grep -q 'runtime error\|AddressSanitizer' '$log'"
check "projections equal a rebuild" wms db check

# --- broken wmsd.conf files: `wmsd -n` exits 7 naming file:line and what is allowed
for f in "$corpus"/conf/*.conf; do
  name=$(basename "$f" .conf)
  want=$(expect_of "$f")
  want=${want//\{file\}/$f}
  out=$("$WMSD_BIN" -n -c "$f" 2>&1); rc=$?
  check "conf $name: exit $rc, wanted 7: $out" [ "$rc" -eq 7 ]
  check "conf $name: output lacks /$want/: $out" grep -qE -- "$want" <<<"$out"
done

# --- broken label templates, each as location.label among the shipped ones
mkdir -p "$dir/templates"
cp "$corpus"/../../../printing/templates/*.label "$dir/templates/"
printf '[store]\ndatabase = %s\n[labels]\ntemplates = %s\n' "$db" "$dir/templates" >"$dir/labels.conf"
out=$("$WMS_BIN" --config "$dir/labels.conf" label preview location --location A-01-01 --zpl "$dir/ok.zpl" 2>&1)
check "the shipped location.label renders: $out" [ -s "$dir/ok.zpl" ]
for f in "$corpus"/labels/*.label; do
  name=$(basename "$f" .label)
  want=$(expect_of "$f")
  cp "$f" "$dir/templates/location.label"
  rm -f "$dir/out.zpl"
  out=$("$WMS_BIN" --config "$dir/labels.conf" label preview location --location A-01-01 \
        --zpl "$dir/out.zpl" 2>&1); rc=$?
  check "label $name: exit $rc, wanted non-zero: $out" [ "$rc" -ne 0 ]
  check "label $name: output lacks /$want/: $out" grep -qE -- "$want" <<<"$out"
  check "label $name: nothing written" [ ! -e "$dir/out.zpl" ]
done

# --- broken checklists, each as BPM.checklist
mkdir -p "$dir/checklists"
printf '[store]\ndatabase = %s\n[reconditioning]\nchecklists = %s\n' "$db" "$dir/checklists" >"$dir/recon.conf"
for f in "$corpus"/checklists/*.checklist; do
  name=$(basename "$f" .checklist)
  want=$(expect_of "$f")
  cp "$f" "$dir/checklists/BPM.checklist"
  out=$("$WMS_BIN" --config "$dir/recon.conf" recon checklist BPM 2>&1); rc=$?
  check "checklist $name: exit $rc, wanted non-zero: $out" [ "$rc" -ne 0 ]
  check "checklist $name: output lacks /$want/: $out" grep -qE -- "$want" <<<"$out"
done

finish
