#!/usr/bin/env bash
# Installs pl from a finished build into a scratch prefix, then configures
# and builds an outside project against it with find_package(pl) and
# pl_instrument(), and attaches a hook to its loop by label.
# usage: install_test.sh <pl build dir> <consumer source dir>
set -eu
build=$1 consumer=$2
dir=$(mktemp -d /tmp/pl-install-test.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" >"$dir/install.log"
for f in bin/pl-instrument bin/pl-plot include/pl/pl.h include/pl/abi.h lib/cmake/pl/plConfig.cmake; do
  [ -e "$dir/prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
ls "$dir"/prefix/lib*/libpl.so* >/dev/null || { echo "FAIL: libpl not installed"; exit 1; }
cmake -S "$consumer" -B "$dir/build" -G Ninja -DCMAKE_PREFIX_PATH="$dir/prefix" >"$dir/configure.log" ||
  { cat "$dir/configure.log"; exit 1; }
cmake --build "$dir/build" >"$dir/build.log" || { cat "$dir/build.log"; exit 1; }
grep -q "pl-instrument main.cpp" "$dir/build.log" || { echo "FAIL: main.cpp was not instrumented"; exit 1; }
out=$(PL_HOOKS='events main/loop0 file=-' "$dir/build/consumer" 2>&1)
echo "$out"
echo "$out" | grep -q '"loop": "main/loop0", "event": "loop_exit", "iteration": 5' ||
  { echo "FAIL: no events from the consumer's loop"; exit 1; }
echo "$out" | grep -q "total 5" || { echo "FAIL: wrong result"; exit 1; }
echo "install: 1 passed, 0 failed"
