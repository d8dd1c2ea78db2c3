#!/usr/bin/env bash
# test.sh - install what is missing, build twice the ways users and CI do, and run
# the whole test suite:
#   1. gcc with CMake's default generator (Unix Makefiles, as debhelper and most
#      users get it), warnings as errors, everything built;
#   2. clang with Ninja, ASan+UBSan, warnings as errors and the libFuzzer targets
#      (run briefly); the tests run in this tree.
# Set WMS_LONG_TESTS=1 for the long fuzz and soak runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh test
jobs=$(nproc)
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache); fi

echo "== gcc build, default generator, warnings as errors"
unset CMAKE_GENERATOR
# a tree configured with another generator cannot be reused
if [ -f build-gcc/CMakeCache.txt ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Unix Makefiles$' build-gcc/CMakeCache.txt; then
  rm -rf build-gcc
fi
CC=gcc cmake -S . -B build-gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWMS_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build build-gcc -j "$jobs"

echo "== clang build (Ninja) with ASan+UBSan and fuzz targets"
CC=clang cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWMS_WERROR=ON \
  -DWMS_SANITIZE=ON -DWMS_FUZZ=ON "${launcher[@]}" >/dev/null
cmake --build build-test -j "$jobs"

echo "== tests"
# the tests match English messages: none of the caller's language (cli_i18n sets its own)
unset LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-test
ctest -j "$jobs" --output-on-failure --timeout 600
