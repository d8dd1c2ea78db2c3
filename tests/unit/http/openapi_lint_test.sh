#!/usr/bin/env bash
# openapi_lint_test.sh - wms/daemon/openapi.yaml is valid OpenAPI: `redocly lint`
# (npm @redocly/cli, pinned, installed once into TOOLS_DIR from the npm registry
# with Debian's node) reports no error under tests/unit/http/redocly.yaml.
# The warnings are printed, not failed.  Exit 77 (skipped) without node and npm.
# usage: openapi_lint_test.sh OPENAPI_YAML TOOLS_DIR
set -u
. "$(dirname "$0")/../../integration/lib.sh"
SPEC=$1 TOOLS=$2
VERSION=2.77.0
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "SKIP: node and npm are needed (scripts/setup.sh installs them)"; exit 77; }

cli=$TOOLS/redocly-$VERSION/node_modules/.bin/redocly
if [ ! -x "$cli" ]; then
  mkdir -p "$TOOLS" || { bad "cannot create $TOOLS"; finish; exit 1; }
  log=$(mktemp)
  # into a fresh directory renamed when complete: a half install is never used
  tmp=$(mktemp -d "$TOOLS/redocly-$VERSION.XXXXXX")
  if npm install --no-save --no-audit --no-fund --prefix "$tmp" "@redocly/cli@$VERSION" >"$log" 2>&1 &&
     mv -T "$tmp" "$TOOLS/redocly-$VERSION" 2>/dev/null; then
    ok
  else
    [ -x "$cli" ] && ok || { cat "$log" >&2; bad "npm install @redocly/cli@$VERSION"; }
    rm -rf "$tmp"
  fi
  rm -f "$log"
fi
[ -x "$cli" ] || { finish; exit 1; }

out=$(NO_UPDATE_NOTIFIER=1 REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
      "$cli" lint "$SPEC" --config "$here/redocly.yaml" --format=stylish 2>&1); rc=$?
errors=$(grep -cE '^ +[0-9]+:[0-9]+ +error ' <<<"$out")
warnings=$(grep -E '^ +[0-9]+:[0-9]+ +warning ' <<<"$out")
check "redocly lint: no errors ($errors), exit $rc: $(grep -E ' error ' <<<"$out" | head -20)" \
  [ "$rc" -eq 0 -a "$errors" -eq 0 ]
[ -n "$warnings" ] && echo "redocly lint warnings ($(wc -l <<<"$warnings")):" && echo "$warnings"
ops=$(grep -cE '^    (get|post|put|delete|patch):$' "$SPEC")
ids=$(grep -cE '^      operationId: [A-Za-z]+$' "$SPEC")
check "every operation has an operationId ($ids of $ops)" [ "$ops" -gt 0 -a "$ids" -eq "$ops" ]
finish
