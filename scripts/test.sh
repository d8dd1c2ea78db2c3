#!/usr/bin/env bash
# test.sh - install what is missing, build with warnings as errors (gcc), then
# build and run the whole test suite under AddressSanitizer + UBSan (clang,
# with the libFuzzer targets run briefly). Set WMS_LONG_TESTS=1 for the long
# fuzz and soak runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

echo "== gcc build, warnings as errors"
cmake -S . -B build-gcc -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWMS_WERROR=ON >/dev/null
cmake --build build-gcc -j "$jobs"

echo "== clang build with ASan+UBSan and fuzz targets"
CC=clang cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWMS_WERROR=ON \
  -DWMS_SANITIZE=ON -DWMS_FUZZ=ON >/dev/null
cmake --build build-test -j "$jobs"

echo "== tests"
# the tests match English messages: none of the caller's language (cli_i18n sets its own)
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-test
ctest -j "$jobs" --output-on-failure --timeout 600
