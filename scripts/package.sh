#!/usr/bin/env bash
# package.sh - build the Debian package of wms (wmsd, wms, units, man pages,
# data) installed under /usr, and its -dbgsym package, into BUILD_DIR
# (default build-pkg/).  Prints the paths of the .deb and the .ddeb.
# usage: package.sh [--no-setup] [BUILD_DIR]
#   --no-setup   do not install missing Debian packages first (the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
setup=1
if [ "${1:-}" = --no-setup ]; then setup=0; shift; fi
out=${1:-build-pkg}
[ "$setup" -eq 0 ] || scripts/setup.sh package
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
cmake -S . -B "$out" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
      -DWMS_TESTS=OFF -DWMS_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$out" -j "$(nproc)"
rm -f "$out"/wms_*.deb "$out"/wms-dbgsym_*.ddeb
(cd "$out" && cpack -G DEB >/dev/null)
ls "$(cd "$out" && pwd)"/wms_*.deb "$(cd "$out" && pwd)"/wms-dbgsym_*.ddeb
