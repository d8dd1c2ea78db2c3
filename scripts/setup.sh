#!/usr/bin/env bash
# setup.sh - install the Debian 12 packages this project needs, only those missing.
# Used by run.sh and test.sh; safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  # core
  libsqlite3-dev sqlite3 libjansson-dev
  # scanners
  libusb-1.0-0-dev libserialport-dev libzbar-dev libdmtx-dev umockdev libumockdev-dev
  zbar-tools dmtx-utils   # zbarimg, dmtxread: the image decoding benchmark's reference
  # printing
  libzint-dev libcairo2-dev libfontconfig-dev fonts-dejavu-core poppler-utils
  cups cups-daemon cups-client cups-filters libcups2-dev
  # daemon
  libsystemd-dev
  # service and package: systemd-analyze/-sysusers/-tmpfiles in the tests,
  # man pages checked with groff, the .deb built by CPack (dpkg-shlibdeps, file)
  systemd groff-base dpkg-dev file
  # daemon HTTP API: libmicrohttpd, argon2id and random secrets (libsodium)
  libmicrohttpd-dev libsodium-dev
  # tests
  libcmocka-dev
  # the read-only database test: an ext4 image (mkfs.ext4, chattr) in a mount namespace
  e2fsprogs util-linux mount
  # tests of the HTTP API (http_test.sh)
  curl jq
  # central reporting (wms/hub): libpq to ship depots' ledgers; a real PostgreSQL
  # server in the hub test (initdb/pg_ctl in a temporary directory)
  libpq-dev postgresql
  # courier: carriers' JSON-over-HTTP APIs (libcurl); test carrier on libmicrohttpd (above)
  libcurl4-openssl-dev
  # wmsd's pages: Swedish catalogue (msgfmt); the SVG unit test (xmllint); the browser
  # test (headless Chromium driven by npm playwright-core on node)
  gettext libxml2-utils chromium nodejs
)
# npm: Debian's package, unless the installed nodejs already brings npm (NodeSource's
# nodejs conflicts with Debian's npm)
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

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
