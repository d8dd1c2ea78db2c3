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
  # printing
  libzint-dev libcairo2-dev libfontconfig-dev fonts-dejavu-core poppler-utils
  cups cups-daemon cups-client cups-filters libcups2-dev
  # daemon
  libsystemd-dev
  # service and package: systemd-analyze/-sysusers/-tmpfiles in the tests,
  # man pages checked with groff, the .deb built by CPack (dpkg-shlibdeps, file)
  systemd groff-base dpkg-dev file
  # tests
  libcmocka-dev
)

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
