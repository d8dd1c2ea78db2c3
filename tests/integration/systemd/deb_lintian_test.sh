#!/usr/bin/env bash
# deb_lintian_test.sh - the Debian package as a packager would check it: built by
# scripts/package.sh (RelWithDebInfo, prefix /usr) into BUILD_DIR, then lintian
# reports no error (warnings are printed); the binaries are stripped, their debug
# information is in wms-dbgsym by build-id; copyright (machine-readable) and
# changelog are there; the maintainer scripts go through deb-systemd-helper and
# pass sh -n, and purge removes wmsd's state.
# usage: deb_lintian_test.sh SOURCE_DIR BUILD_DIR
set -u
. "$(dirname "$0")/../lib.sh"
SRC=$1 OUT=$2
command -v lintian >/dev/null || { echo "SKIP: lintian is not installed (scripts/setup.sh test)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

out=$("$SRC/scripts/package.sh" --no-setup "$OUT" 2>&1); rc=$?
check "scripts/package.sh (exit $rc): $(tail -5 <<<"$out")" [ "$rc" -eq 0 ]
deb=$(ls "$OUT"/wms_*.deb 2>/dev/null | head -1)
ddeb=$(ls "$OUT"/wms-dbgsym_*.ddeb 2>/dev/null | head -1)
check "a .deb was built" [ -n "$deb" ]
check "a -dbgsym .ddeb was built" [ -n "$ddeb" ]
[ -n "$deb" ] || { finish; exit 1; }

# --- lintian: no errors
lint=$(lintian --no-tag-display-limit --suppress-tags-from-file /dev/null "$deb" 2>&1)
errors=$(grep -c '^E: ' <<<"$lint")
check "lintian: no errors ($errors): $(grep '^E: ' <<<"$lint")" [ "$errors" -eq 0 ]
echo "lintian warnings and notes ($(grep -c '^[WIP]: ' <<<"$lint")):"
grep '^[WIP]: ' <<<"$lint"

# --- stripped binaries, debug information by build-id in the dbgsym package
mkdir -p "$dir/deb" "$dir/ddeb"
dpkg-deb -x "$deb" "$dir/deb"
for bin in usr/bin/wms usr/sbin/wmsd; do
  check "$bin is there" [ -x "$dir/deb/$bin" ]
  check "$bin is stripped: $(file -b "$dir/deb/$bin")" bash -c 'file -b "$1" | grep -q ", stripped"' _ "$dir/deb/$bin"
  id=$(file -b "$dir/deb/$bin" | sed -n 's/.*BuildID\[sha1\]=\([0-9a-f]*\).*/\1/p')
  check "$bin has a build-id" [ -n "$id" ]
  if [ -n "$ddeb" ] && [ -n "$id" ]; then
    dpkg-deb -x "$ddeb" "$dir/ddeb"
    check "wms-dbgsym has $bin's debug information" \
      [ -s "$dir/ddeb/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug" ]
  fi
done

# --- copyright and changelog
copyright=$dir/deb/usr/share/doc/wms/copyright
check "copyright is machine-readable" grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$copyright"
check "changelog.gz names this version" bash -c 'zcat "$1" | head -1 | grep -q "^wms ($2)"' _ \
  "$dir/deb/usr/share/doc/wms/changelog.gz" "$(dpkg-deb -f "$deb" Version)"

# --- maintainer scripts
dpkg-deb -e "$deb" "$dir/ctrl"
for s in postinst prerm postrm; do
  check "$s is there and executable" [ -x "$dir/ctrl/$s" ]
  check "$s passes sh -n" sh -n "$dir/ctrl/$s"
  check "$s does not start or enable units with systemctl" bash -c '! grep -E "systemctl +(enable|start|stop|restart|disable)" "$1"' _ "$dir/ctrl/$s"
done
check "postinst enables through deb-systemd-helper" grep -q 'deb-systemd-helper enable wmsd.service' "$dir/ctrl/postinst"
check "prerm stops through deb-systemd-invoke" grep -q 'deb-systemd-invoke stop wmsd.service' "$dir/ctrl/prerm"
# postrm purge in a scratch root: what wmsd made goes, nothing else; deb-systemd-helper
# is a stub that logs its calls (the host's own state is not touched)
root=$dir/root
mkdir -p "$root/etc/wmsd" "$root/var/lib/wmsd" "$root/bin" "$root/usr/bin"
printf '#!/bin/sh\necho "$*" >>"%s"\n' "$dir/helper.log" >"$root/bin/deb-systemd-helper"
chmod +x "$root/bin/deb-systemd-helper"
echo keep >"$root/etc/other.conf"; echo db >"$root/var/lib/wmsd/wms.db"; echo c >"$root/etc/wmsd/wmsd.conf"
sed -e "s|/etc/wmsd|$root/etc/wmsd|g; s|/var/lib/wmsd|$root/var/lib/wmsd|g; s|/run/wmsd|$root/run/wmsd|g" \
    -e "s|/run/systemd/system|$root/run/systemd/system|g" \
    "$dir/ctrl/postrm" >"$dir/postrm"
check "postrm purge succeeds" env PATH="$root/bin:/usr/bin:/bin" sh "$dir/postrm" purge
check "purge: deb-systemd-helper purge wmsd.service" grep -qx "purge wmsd.service" "$dir/helper.log"
check "purge removed /var/lib/wmsd" [ ! -e "$root/var/lib/wmsd" ]
check "purge removed /etc/wmsd" [ ! -e "$root/etc/wmsd" ]
check "purge left other files" [ -e "$root/etc/other.conf" ]
finish
