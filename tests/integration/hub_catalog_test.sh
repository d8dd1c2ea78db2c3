#!/usr/bin/env bash
# hub_catalog_test.sh - the catalogue maintained at the hub flows down to the
# depots (issue 18): products, customers and users added with the usual
# commands on the hub's own database are published by the hub's wmsd to a
# real PostgreSQL and pulled by two depot wmsd (ML straight, SK through a TCP
# proxy owned by the test): a product added on the hub appears at both
# depots, also after SK's link was cut and healed; a change at the hub
# flows down as well; a depot's change to a central row is refused naming
# the hub; a code a depot defines otherwise is kept there and listed on the
# hub as one conflict, one defined the same is adopted; users flow down
# without any password hash.  Then the hub's device projection: a void undoes
# its event, a device in transfer is counted apart until it arrives.
# usage: hub_catalog_test.sh PATH/TO/wms PATH/TO/wmsd
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.sh"
WMS_BIN=$1 WMSD_BIN=$2
dir=$(mktemp -d)
declare -A pid=()
trap 'hub_cleanup "$dir"' EXIT
unset WMS_CONFIG WMS_NOW WMS_DB
pg_init "$dir"

proxy_start "$dir"

hub() { "$WMS_BIN" --db "$dir/hub.db" "$@"; }
ml() { "$WMS_BIN" --db "$dir/ML.db" "$@"; }
sk() { "$WMS_BIN" --db "$dir/SK.db" "$@"; }
q() { sqlite3 "$dir/$1.db" "$2"; }

# --- the hub's catalogue, maintained with the usual commands on its own database
hub product add CAT1 --name-sv Rullator --name-en Rollator --category SoL >/dev/null || bad "hub: product"
hub product add-gtin CAT1 09506000134352 >/dev/null || bad "hub: GTIN"
hub product add DUPX --name-sv Duschpall --name-en "Shower stool" --category SoL >/dev/null
hub customer add CUST1 --name "VC Mölndal" --kind region --street "Göteborgsvägen 31" --postcode 43180 \
  --city Mölndal >/dev/null || bad "hub: customer"
printf 'hemligt-lösenord\n' >"$dir/pw"
hub user add maja --role warehouse --password-file "$dir/pw" >/dev/null || bad "hub: user"
hub user badge maja B-MAJA >/dev/null || bad "hub: badge"
hub token create t-manager --role manager >"$dir/token" 2>/dev/null || bad "hub token"

# --- two depots; each defined DUPX before hearing from the hub: ML the same, SK otherwise
for d in ML SK; do
  [ $d = SK ] && sk depot add SK --name "HMC Skövde" --default >/dev/null
  "$WMS_BIN" --db "$dir/$d.db" location add $d-A1 --name a --kind shelf >/dev/null
  "$WMS_BIN" --db "$dir/$d.db" product add LOC1 --name-sv Lokal --name-en Local --category HoS >/dev/null
done
ml product add DUPX --name-sv Duschpall --name-en "Shower stool" --category SoL >/dev/null
sk product add DUPX --name-sv "Duschpall SK" --name-en "Shower stool" --category SoL >/dev/null
conf() { # DEPOT CONNINFO
  cat >"$dir/$1.conf" <<CONF
[store]
database = $dir/$1.db
[http]
listen = 127.0.0.1:0
[central]
conninfo = $2
batch = 2
timeout = 3
CONF
}
conf ML "$CONN"; conf SK "$LINK"
cat >"$dir/hub.conf" <<CONF
[store]
database = $dir/hub.db
[http]
listen = 127.0.0.1:0
[central]
role = hub
conninfo = $CONN
timeout = 3
CONF
start() { "$WMSD_BIN" -d -c "$dir/$1.conf" >>"$dir/$1.log" 2>&1 & pid[$1]=$!; }
stop() { kill -TERM "${pid[$1]}"; wait "${pid[$1]}" 2>/dev/null; unset "pid[$1]"; }
start hub; start ML; start SK
wait_for 60 grep -q "http: listening on" "$dir/hub.log" || bad "the hub's wmsd listens"
HUB=http://127.0.0.1:$(grep -o 'http: listening on 127.0.0.1:[0-9]*' "$dir/hub.log" | head -1 | sed 's/.*://')
api() { curl -s -H "Authorization: Bearer $(cat "$dir/token")" "$HUB$1"; }

has_product() { [ "$(q "$1" "SELECT count(*) FROM products WHERE code = '$2'")" = 1 ]; }
central() { [ "$(q "$1" "SELECT count(*) FROM catalog_central WHERE kind = '$2' AND code = '$3'")" = 1 ]; }
check "ML: the hub's product arrived" wait_for 60 central ML product CAT1
check "SK: the hub's product arrived" wait_for 60 central SK product CAT1
for d in ML SK; do
  check "$d: the product as the hub has it" [ "$(q $d "SELECT name_sv || '/' || category || '/' || (SELECT group_concat(gtin) FROM product_gtins g WHERE g.product_id = p.id) FROM products p WHERE code = 'CAT1'")" = "Rullator/SoL/09506000134352" ]
  check "$d: the customer with its address" wait_for 30 bash -c "[ \"\$(sqlite3 '$dir/$d.db' \"SELECT street || '|' || postcode || '|' || city FROM customers WHERE code = 'CUST1'\")\" = 'Göteborgsvägen 31|431 80|Mölndal' ]"
  check "$d: the user with role and badge" wait_for 30 bash -c "[ \"\$(sqlite3 '$dir/$d.db' \"SELECT u.role || '/' || b.badge FROM users u JOIN user_badges b ON b.user_id = u.id WHERE u.name = 'maja'\")\" = warehouse/B-MAJA ]"
  check "$d: no password hash came down" [ "$(q $d "SELECT password_hash FROM users WHERE name = 'maja'")" = "" ]
  check "$d: its own product untouched" [ "$(q $d "SELECT count(*) FROM catalog_central WHERE code = 'LOC1'")" = 0 ]
done
check "hub: no password hash in the published catalogue" \
  [ "$(psql_ "SELECT count(*) FROM hub_catalog WHERE body::text ~* '(argon|password|hemligt)'")" = 0 ]

# --- the same definition at a depot is adopted; another one is kept and listed on the hub
check "ML: its DUPX, defined the same, adopted" wait_for 30 central ML product DUPX
check "SK: its DUPX, defined otherwise, kept" [ "$(q SK "SELECT name_sv FROM products WHERE code = 'DUPX'")" = "Duschpall SK" ]
check "SK: DUPX stays the depot's own" bash -c "! sqlite3 '$dir/SK.db' \"SELECT 1 FROM catalog_central WHERE code = 'DUPX'\" | grep -q 1"
conflicts() { psql_ "SELECT depot || ':' || epoch FROM hub_conflicts WHERE kind = 'catalog' ORDER BY id" | paste -sd,; }
check "hub: exactly one catalogue conflict, SK's DUPX" wait_for 30 bash -c "[ \"\$(\"$PGBIN/psql\" -X -A -t -q \"$CONN\" -c \"SELECT string_agg(depot || ':' || detail, ',') FROM hub_conflicts WHERE kind = 'catalog'\")\" != '' ]"
check "hub: the conflict names the code and the depot" [ "$(psql_ "SELECT count(*) FROM hub_conflicts WHERE kind = 'catalog' AND depot = 'SK' AND detail LIKE 'product DUPX %Duschpall SK%'")" = 1 ]
check "hub: one conflict only" [ "$(conflicts)" = "SK:product" ]
check "hub report lists it for a person" wait_for 30 bash -c "curl -s -H 'Authorization: Bearer $(cat "$dir/token")' '$HUB/api/v1/hub' | jq -e '[.conflicts[] | select(.kind == \"catalog\" and .depot == \"SK\")] | length == 1' >/dev/null"
check "hub report: how far each depot pulled" wait_for 30 bash -c "curl -s -H 'Authorization: Bearer $(cat "$dir/token")' '$HUB/api/v1/hub' | jq -e '[.catalog[] | select(.seq == .head)] | length == 2' >/dev/null"

# --- a depot's change to a central row is refused, naming the hub; its own rows stay its own
expect 6 "product CAT1 is maintained at the hub .*change it at the hub" -- --db "$dir/ML.db" product add-gtin CAT1 07350000000016
expect 6 "customer CUST1 is maintained at the hub" -- --db "$dir/SK.db" customer set-address CUST1 --street X --postcode 54130 --city Skövde
expect 6 "user maja is maintained at the hub" -- --db "$dir/ML.db" user badge maja B-OTHER
expect 0 "" -- --db "$dir/ML.db" product add-gtin LOC1 07350000000016
check "nothing written by the refusals" [ "$(q ML "SELECT count(*) FROM product_gtins g JOIN products p ON p.id = g.product_id WHERE p.code = 'CAT1'")" = 1 ]

# --- SK's link cut: ML gets the hub's new product, SK keeps scanning, then catches up
kill -KILL "$proxy_pid"; wait "$proxy_pid" 2>/dev/null
hub product add CAT2 --name-sv Rollstol --name-en Wheelchair --category SoL >/dev/null
hub customer set-address CUST1 --street "Nya vägen 2" --postcode 43181 --city Mölndal >/dev/null
check "cut: ML has the new product" wait_for 60 central ML product CAT2
check "cut: ML has the new address" wait_for 60 bash -c "[ \"\$(sqlite3 '$dir/ML.db' \"SELECT street FROM customers WHERE code = 'CUST1'\")\" = 'Nya vägen 2' ]"
check "cut: SK's wmsd backs off" wait_for 60 grep -q "hub shipping: .*next try" "$dir/SK.log"
check "cut: SK cannot have it" bash -c "! sqlite3 '$dir/SK.db' \"SELECT 1 FROM products WHERE code = 'CAT2'\" | grep -q 1"
expect 0 "" -- --db "$dir/SK.db" receive SK-1 --product CAT1
proxy_start "$dir"
check "healed: SK has the new product" wait_for 120 central SK product CAT2
check "healed: SK has the new address" wait_for 60 bash -c "[ \"\$(sqlite3 '$dir/SK.db' \"SELECT street FROM customers WHERE code = 'CUST1'\")\" = 'Nya vägen 2' ]"
expect 0 "" -- --db "$dir/SK.db" receive SK-2 --product CAT2

# --- pulling again applies nothing; the hub's versions are never changed
check "ML: up to date" wait_for 60 bash -c "[ \"\$(sqlite3 '$dir/ML.db' 'SELECT seq FROM catalog_pulled')\" = \"\$(\"$PGBIN/psql\" -X -A -t -q \"$CONN\" -c 'SELECT max(seq) FROM hub_catalog')\" ]"
expect 0 "^0 catalogue events applied from the hub \(depot ML\)" -- --db "$dir/ML.db" hub pull --conninfo "$CONN"
expect 0 "^0 catalogue rows published" -- --db "$dir/hub.db" hub publish --conninfo "$CONN"
check "hub: one version per change (CAT1, CAT2, DUPX, CUST1 twice, maja)" [ "$(psql_ "SELECT count(*) FROM hub_catalog")" = 6 ]
check "hub: a published version cannot be changed" bash -c "! '$PGBIN/psql' -X -q '$CONN' -c \"UPDATE hub_catalog SET code = 'x'\" 2>/dev/null"
check "still one catalogue conflict" [ "$(conflicts)" = "SK:product" ]

# --- devices on the hub agree with the depot's: a void undoes its event, transfers in transit apart
ml depot add GB --name "Depå Borås" >/dev/null && ml location add GB-A1 --name a --kind shelf --depot GB >/dev/null ||
  bad "ML: a second depot in its database"
for v in V1 V2 V3 V4; do ml receive $v --product CAT1 >/dev/null || bad "ML receives $v"; done
ml move V1 --location ML-A1 >/dev/null && ml void "$(q ML "SELECT max(id) FROM events")" --reason "wrong shelf" >/dev/null ||
  bad "ML voids a move"
ml void "$(q ML "SELECT e.id FROM events e JOIN devices d ON d.id = e.device_id WHERE d.serial = 'V2'")" \
  --reason "not ours" >/dev/null || bad "ML voids a receipt"
ml move V3 --location ML-A1 >/dev/null && ml transfer out V3 --to GB >/dev/null || bad "ML sends V3 to GB"
ml move V4 --location ML-A1 >/dev/null || bad "ML shelves V4"
devices_depot() { q ML "SELECT group_concat(x, ',') FROM (SELECT serial || ':' || state x FROM devices ORDER BY serial)"; }
devices_hub() { psql_ "SELECT string_agg(serial || ':' || state, ',' ORDER BY serial) FROM hub_devices WHERE depot = 'ML'"; }
same_devices() { [ "$(devices_hub)" = "$(devices_depot)" ]; }
check "hub: ML's devices, state for state" wait_for 60 same_devices
check "hub: the voided move left V1 where it was received" [ "$(psql_ "SELECT state || '@' || location FROM hub_devices WHERE serial = 'V1'")" = "received@GOODS-IN" ]
check "hub: the voided receipt left no V2" [ "$(psql_ "SELECT count(*) FROM hub_devices WHERE serial = 'V2'")" = 0 ]
transit() { api /api/v1/hub | jq -c '[.in_transit[] | [.from, .depot, .product, .count]]'; }
stock_at() { api /api/v1/hub | jq -c --arg d "$1" '[.stock[] | select(.depot == $d) | [.product, .state, .count]]'; }
in_transit_to_gb() { [ "$(transit)" = '[["ML","GB","CAT1",1]]' ]; }
check "hub report: V3 in transit from ML to GB" wait_for 30 in_transit_to_gb
check "hub report: ML's stock without the device in transit" [ "$(stock_at ML)" = '[["CAT1","in_stock",1],["CAT1","received",1]]' ]
check "hub report: nothing at GB yet" [ "$(stock_at GB)" = '[]' ]
# the region's page shows the same: devices per depot, those on their way, the catalogue
row() { printf '<tr><th scope="row">%s</th><td>%s</td><td>%s</td><td class="num" data-value="%s">%s</td></tr>' "$1" "$2" "$3" "$4" "$4"; }
en=$(api '/hub?lang=en') sv=$(api /hub) ml_en=$(api '/hub?depot=ML&lang=en') sk_en=$(api '/hub?depot=SK&lang=en')
check "hub page: ML's devices in stock, by product and state" grep -qF "$(row ML CAT1 'in stock' 1)" <<<"$en"
check "hub page: ML's devices received" grep -qF "$(row ML CAT1 received 1)" <<<"$en"
check "hub page: V3 on its way from ML to GB" grep -qF "$(row ML GB CAT1 1)" <<<"$en"
check "hub page: states in Swedish words" grep -qF "$(row ML CAT1 'i lager' 1)" <<<"$sv"
check "hub page: no stored state name" bash -c '! grep -qE "in_stock|in_transfer|>received<" <<<"$1"' _ "$sv"
check "hub page: the catalogue at both depots" grep -qF '<section id="catalog" data-count="2">' <<<"$en"
check "hub page: ML's catalogue row" grep -qE '<tr><th scope="row">ML</th><td class="num" data-value="[1-9][0-9]*">' <<<"$en"
check "hub page: ML's filter keeps what leaves ML" grep -qF "$(row ML GB CAT1 1)" <<<"$ml_en"
check "hub API: ML's filter keeps what leaves ML" [ "$(api '/api/v1/hub?depot=ML' | jq -c '[.in_transit[] | [.from, .depot]]')" = '[["ML","GB"]]' ]
check "hub page: SK's filter, nothing on its way" grep -qF '<section id="in-transit" data-count="0">' <<<"$sk_en"
check "hub page: SK's filter, no ML stock" bash -c '! grep -qF "<tr><th scope=\"row\">ML</th>" <<<"$1"' _ "$sk_en"
ml transfer in V3 --depot GB >/dev/null || bad "GB receives V3"
arrived() { [ "$(transit)" = "[]" ] && [ "$(stock_at GB)" = '[["CAT1","received",1]]' ]; }
check "hub report: V3 arrived at GB, nothing in transit" wait_for 60 arrived
check "hub: ML's devices still state for state" wait_for 60 same_devices

stop ML; stop SK; stop hub
finish
