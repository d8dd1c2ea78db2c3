#!/usr/bin/env bash
# package_test.sh - what `cmake --install` lays down and what the Debian
# package carries: binaries, the unit (pointing at the installed wmsd),
# sysusers/tmpfiles/udev files, label templates, man pages that render
# without warnings, and dependencies found by dpkg-shlibdeps.
# usage: package_test.sh BUILD_DIR
set -u
. "$(dirname "$0")/../lib.sh"
BUILD=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
out=$(DESTDIR="$dir/root" cmake --install "$BUILD" 2>&1); rc=$?
check "cmake --install: $out" [ "$rc" -eq 0 ]
r=$dir/root$prefix
for f in bin/wms sbin/wmsd lib/systemd/system/wmsd.service lib/sysusers.d/wmsd.conf \
         lib/tmpfiles.d/wmsd.conf lib/udev/rules.d/60-wmsd-scanners.rules \
         share/man/man1/wms.1.gz share/man/man8/wmsd.8.gz share/man/man5/wmsd.conf.5.gz \
         share/wms/templates/device.label share/doc/wms/examples/wmsd.conf \
         share/locale/sv/LC_MESSAGES/wms.mo share/locale/sv/LC_MESSAGES/wmsd.mo; do
  check "installed $f" [ -e "$r/$f" ]
done
check "the unit starts the installed wmsd" grep -q "^ExecStart=$prefix/sbin/wmsd -c /etc/wmsd/wmsd.conf$" \
  "$r/lib/systemd/system/wmsd.service"
check "the installed wms speaks Swedish from the installed catalogue" bash -c "
  WMS_LOCALEDIR='$r/share/locale' LANGUAGE=sv LANG=C.UTF-8 '$r/bin/wms' frobnicate 2>&1 | grep -q 'okänt kommando'"
check "the example configuration is valid" "$r/sbin/wmsd" -n -c "$r/share/doc/wms/examples/wmsd.conf"
for page in "$r"/share/man/man*/*.gz; do
  warn=$(zcat "$page" | groff -z -man -ww 2>&1)
  check "$(basename "$page") renders without warnings: $warn" [ -z "$warn" ]
done
check "wms(1) lists every command of the binary" bash -c "
  \"$r/bin/wms\" --help | sed -n '/^commands:/,\$p' | sed 1d | awk '{print \$1}' | sort -u >'$dir/cmds'
  zcat '$r/share/man/man1/wms.1.gz' | sed -n 's/^\\.B //p' | sed 's/\\\\-/-/g' | awk '{print \$1}' | sort -u >'$dir/man'
  comm -23 '$dir/cmds' '$dir/man' | grep -q . && exit 1 || exit 0"

out=$(cd "$BUILD" && cpack -G DEB -B "$dir/pkg" 2>&1); rc=$?
check "cpack -G DEB: $(tail -3 <<<"$out")" [ "$rc" -eq 0 ]
deb=$(ls "$dir"/pkg/wms_*.deb 2>/dev/null | head -1)
check "a .deb was written" [ -n "$deb" ]
if [ -n "$deb" ]; then
  info=$(dpkg-deb -I "$deb")
  for dep in libsqlite3-0 libjansson4 libsystemd0 systemd; do
    check "Depends names $dep" grep -q "^ Depends:.*$dep" <<<"$info"
  done
  check "postinst included" dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -q postinst
  check "the package holds the Swedish catalogues" bash -c "dpkg-deb -c '$deb' | grep -q 'sv/LC_MESSAGES/wms.mo\$'"
  check "the package holds wmsd and its unit" bash -c "dpkg-deb -c '$deb' | grep -q 'sbin/wmsd\$' && dpkg-deb -c '$deb' | grep -q 'system/wmsd.service\$'"
fi
finish
