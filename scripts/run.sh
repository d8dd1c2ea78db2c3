#!/usr/bin/env bash
# run.sh - the main job: install what is missing, build, and run wms on an
# embedded SQLite database under ./var with two years of demo data, then show
# the managers' lead-time report. (When wmsd lands it starts the daemon here.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWMS_TESTS=OFF >/dev/null
cmake --build build

mkdir -p var
export WMS_DB="$PWD/var/wms.db"
if [ "$(sqlite3 "$WMS_DB" "SELECT count(*) FROM sqlite_master WHERE name = 'events'" 2>/dev/null)" != "1" ] ||
   [ "$(sqlite3 "$WMS_DB" "SELECT count(*) FROM events")" = "0" ]; then
  build/bin/wms demo
fi
build/bin/wms leadtime report
cat <<MSG

Database: $WMS_DB  ($(sqlite3 "$WMS_DB" "SELECT count(*) FROM events") events)
Try:  export WMS_DB=$WMS_DB
      build/bin/wms --help
      build/bin/wms stock
      build/bin/wms order list --status open
      build/bin/wms device show \$(sqlite3 $WMS_DB "SELECT serial FROM devices LIMIT 1")
      build/bin/wms calendar 2026
MSG
