# pg.sh - a private PostgreSQL server for the hub tests; source it after lib.sh.
#   pg_init DIR        initdb --no-sync in DIR/pg (as postgres when root) and start it on a
#                      free loopback port; sets PGBIN, PGPORT, CONN (libpq) or exits 77 (skip)
#   pg_start / pg_stop [MODE]   start again on the same port / stop (fast, or immediate)
#   psql_ SQL          one query, tuples only
#   proxy_start DIR    the link for a depot: tcp_proxy.py from a free port (PPORT, the same one
#                      again after a kill) to PGPORT; proxy_pid; LINK (libpq, through it)
#   hub_cleanup DIR    (trap): the proxy and every wmsd in pid[] killed, the server stopped, DIR
#                      removed unless KEEP is set
# shellcheck shell=bash
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_start() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
}
pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1; }
pg_init() {
  if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then echo "SKIP: no PostgreSQL server (postgresql package)"; exit 77; fi
  PGDIR=$1/pg PGPORT=$(free_port)
  mkdir -p "$PGDIR" && chmod 755 "$1"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U wms --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null ||
    { bad "initdb"; finish; exit 1; }
  pg_start || { bad "pg_ctl start: $(cat "$PGDIR/log")"; finish; exit 1; }
  CONN="host=127.0.0.1 port=$PGPORT user=wms dbname=postgres connect_timeout=5"
}
psql_() { "$PGBIN/psql" -X -A -t -q "$CONN" -c "$1"; }
PROXY=$(dirname "${BASH_SOURCE[0]}")/tcp_proxy.py
proxy_pid=
proxy_start() {
  rm -f "$1/proxy.port"
  python3 "$PROXY" "${PPORT:-0}" "$PGPORT" "$1/proxy.port" 2>>"$1/proxy.log" &
  proxy_pid=$!
  wait_for 30 test -s "$1/proxy.port" || bad "proxy started"
  PPORT=$(cat "$1/proxy.port")
  LINK="host=127.0.0.1 port=$PPORT user=wms dbname=postgres connect_timeout=3"
}
hub_cleanup() {
  [ -n "$proxy_pid" ] && kill -CONT "$proxy_pid" 2>/dev/null && kill -KILL "$proxy_pid" 2>/dev/null
  local d; for d in "${!pid[@]}"; do kill -KILL "${pid[$d]}" 2>/dev/null; done
  pg_stop immediate
  [ -n "${KEEP:-}" ] && echo "kept $1" >&2 || rm -rf "$1"
}
