# http_lib.sh - what the shell tests of wmsd's HTTP API share; source it after
# lib.sh, with $dir (a temporary directory) and $db set and a wms() function:
#   http_users ROLE...         users u-ROLE (password pw-ROLE-12345), API tokens t-ROLE in $dir/token-ROLE
#   http_start WMSD CONF LOG   start wmsd -d on CONF (listen = 127.0.0.1:0): sets $pid, $port, $base
#   req METHOD PATH [curl args]                 sets $code and $body
#   expect_req CODE PATTERN METHOD PATH [args]  HTTP CODE and PATTERN (ERE) in the body, as
#                                               sent or as compact JSON ("key":"value")
#   refused_req CODE PATTERN METHOD PATH [args] as expect_req, and db_sum is unchanged
#   db_sum                     the database's bytes, hashed (a script may define its own)
#   login ROLE                 session cookie in $dir/ROLE.jar, CSRF token in $dir/ROLE.csrf
#   JSON, CSV                  curl's Content-Type arguments
#   matrix_row VIA SPEC        one route of a role matrix (see below)
# shellcheck shell=bash

JSON=(-H 'Content-Type: application/json')
CSV=(-H 'Content-Type: text/csv')

http_users() {
  local r
  for r in "$@"; do
    echo "pw-$r-12345" | wms user add "u-$r" --role "$r" >/dev/null || bad "user add u-$r"
    wms token create "t-$r" --role "$r" >"$dir/token-$r" 2>/dev/null || bad "token create t-$r"
  done
}

http_start() {
  local WMSD_BIN=$1 conf=$2 log=$3
  wmsd_start "$conf" "$log" "http: listening on"
  port=$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
  base=http://127.0.0.1:$port
}

req() {
  local method=$1 path=$2; shift 2
  code=$(curl -s -o "$dir/body" -w '%{http_code}' -X "$method" "$@" "$base$path")
  body=$(cat "$dir/body")
}

expect_req() {
  local want=$1 pattern=$2 flat; shift 2
  req "$@"
  if [ "$code" != "$want" ]; then bad "$1 $2: HTTP $code, wanted $want: $body"; return; fi
  flat=$(jq -c . <<<"$body" 2>/dev/null) || flat=$body
  if ! grep -qE -- "$pattern" <<<"$body" && ! grep -qE -- "$pattern" <<<"$flat"; then
    bad "$1 $2: body lacks /$pattern/: $body"; return
  fi
  ok
}

db_sum() {
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cat "$db" "$db-wal" 2>/dev/null | sha256sum
}

refused_req() {
  local before after
  before=$(db_sum)
  expect_req "$@"
  after=$(db_sum)
  if [ "$before" = "$after" ]; then ok; else bad "$3 $4: database changed by a refused request"; fi
}

login() {
  req POST /api/v1/login -c "$dir/$1.jar" "${JSON[@]}" -d "{\"user\":\"u-$1\",\"password\":\"pw-$1-12345\"}"
  if [ "$code" != 200 ]; then bad "login $1: $code $body"; return; fi
  jq -r .csrf <<<"$body" >"$dir/$1.csrf"
  ok
}

# matrix_row VIA SPEC: one route of a role matrix, for no login and each of
# "${roles[@]}", by API token (VIA token) or session cookie with its CSRF token
# (VIA cookie).  SPEC is "METHOD|PATH|DATA|CODES" or "METHOD|PATH|DATA|CTYPE|CODES":
# CODES the statuses wanted for none and each role, in order; DATA the body
# (JSON unless CTYPE; "@FILE" reads a file), empty for none.  In PATH and DATA,
# {who} becomes ROLE-VIA and {WHO} the same in capitals; a script may define
# matrix_data VIA DATA to print DATA with its own substitutions.
matrix_row() {
  local via=$1 method path data ctype= codes who i=0 want auth p d f
  IFS='|' read -r -a f <<<"$2"
  method=${f[0]} path=${f[1]} data=${f[2]}
  if [ "${#f[@]}" -eq 5 ]; then ctype=${f[3]}; fi
  codes=${f[${#f[@]} - 1]}
  read -r -a want <<<"$codes"
  for who in none "${roles[@]}"; do
    auth=()
    if [ "$who" != none ] && [ "$via" = cookie ]; then
      auth=(-b "$dir/$who.jar" -H "X-CSRF-Token: $(cat "$dir/$who.csrf")")
    elif [ "$who" != none ]; then
      auth=(-H "Authorization: Bearer $(cat "$dir/token-$who")")
    fi
    p=${path//\{who\}/$who-$via} d=${data//\{who\}/$who-$via}
    d=${d//\{WHO\}/${who^^}-${via^^}}
    if declare -F matrix_data >/dev/null; then d=$(matrix_data "$via" "$d"); fi
    if [ -n "$d" ]; then
      req "$method" "$p" "${auth[@]}" -H "Content-Type: ${ctype:-application/json}" --data-binary "$d"
    else
      req "$method" "$p" "${auth[@]}"
    fi
    if [ "$code" = "${want[$i]}" ]; then ok; else bad "matrix $via $who $method $p: HTTP $code, wanted ${want[$i]}: $body"; fi
    i=$((i + 1))
  done
}
