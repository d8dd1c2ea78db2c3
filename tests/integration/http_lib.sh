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
  local wmsd=$1 conf=$2 log=$3
  "$wmsd" -d -c "$conf" >"$log" 2>&1 &
  pid=$!
  wait_for 60 grep -q "http: listening on" "$log" || { bad "wmsd did not listen"; cat "$log" >&2; exit 1; }
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
