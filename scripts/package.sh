#!/usr/bin/env bash
# package.sh - build the Debian package of wms (wmsd, wms, units, man pages)
# into build-pkg/, installed under /usr.  Prints the .deb's path.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build-pkg -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
      -DWMS_TESTS=OFF -DWMS_BENCH=OFF >/dev/null
cmake --build build-pkg
(cd build-pkg && cpack -G DEB >/dev/null)
ls "$PWD"/build-pkg/wms_*.deb
