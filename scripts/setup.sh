#!/usr/bin/env bash
# setup.sh - install the Debian 12 packages this project needs, only those missing.
# usage: setup.sh run    what building and running wms/wmsd needs (scripts/run.sh)
#        setup.sh package  that, and what building the .deb needs (scripts/package.sh)
#        setup.sh test   all that, and what the tests, fuzzers, benchmarks and the
#                        package checks need (scripts/test.sh)
# Safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
what=${1:-test}

run=(
  # build
  build-essential cmake ninja-build pkg-config
  # core
  libsqlite3-dev sqlite3 libjansson-dev
  # scanners; image files read into gray (libpng)
  libusb-1.0-0-dev libserialport-dev libzbar-dev libdmtx-dev libpng-dev
  # printing: labels rendered here (cairo, zint, the DejaVu fonts), printed through CUPS
  libzint-dev libcairo2-dev libfontconfig-dev fonts-dejavu-core
  cups-client libcups2-dev
  # daemon: systemd notify/journal, the HTTP API (libmicrohttpd), argon2id and random
  # secrets (libsodium), the Swedish catalogues (msgfmt)
  libsystemd-dev libmicrohttpd-dev libsodium-dev gettext
  # courier: carriers' JSON-over-HTTP APIs
  libcurl4-openssl-dev
)
test=(
  # the sanitizer and fuzzer build
  clang libclang-rt-14-dev
  # unit tests; USB scanners replayed (umockdev)
  libcmocka-dev umockdev libumockdev-dev
  # the image decoding benchmark's reference decoders; PDFs checked (pdftotext)
  zbar-tools dmtx-utils poppler-utils
  # a private cupsd with a raw queue in the print tests
  cups cups-daemon cups-filters
  # the unit checked by systemd-analyze/-sysusers/-tmpfiles, man pages by groff, the .deb
  # built by CPack (dpkg-shlibdeps, file) and checked by lintian
  systemd groff-base dpkg-dev file lintian
  # the read-only database test: an ext4 image (mkfs.ext4, chattr) in a mount namespace
  e2fsprogs util-linux mount
  # tests of the HTTP API
  curl jq
  # central reporting (wms/hub): libpq to ship depots' ledgers; a real PostgreSQL
  # server in the hub tests (initdb/pg_ctl in a temporary directory); python3 runs
  # the link tests' TCP proxy (tests/integration/tcp_proxy.py)
  libpq-dev postgresql python3
  # the SVG unit test (xmllint); the browser test (headless Chromium driven by npm
  # playwright-core on node) and the OpenAPI lint (npm @redocly/cli)
  libxml2-utils chromium nodejs
)
case $what in
  run)  packages=("${run[@]}") ;;
  package) packages=("${run[@]}" dpkg-dev file) ;;
  test) packages=("${run[@]}" "${test[@]}")
        # npm: Debian's package, unless the installed nodejs already brings npm
        # (NodeSource's nodejs conflicts with Debian's npm)
        if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi ;;
  *) echo "usage: setup.sh run|package|test" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
