#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The ABI check (CTest test abi_check, normal RelWithDebInfo build only):
#  1. libkiosk.map lists exactly the KIOSK_API functions of the public headers,
#     each once, and the built library exports exactly those;
#  2. abidiff of the built library against the committed baseline
#     (libkiosk/abi/libkiosk.so.0.abi) finds no removed or changed function,
#     variable or type. Added functions are fine.
# A release that changes the ABI on purpose updates the baseline (docs/contracts.md, "ABI").
# Usage: abi_check.sh SOURCE_DIR BUILD_DIR LIBRARY WORK_DIR
set -euo pipefail
src=$1 build=$2 lib=$3 work=$4
here=$(dirname "$0")
baseline=$src/libkiosk/abi/libkiosk.so.0.abi
rm -rf "$work" && mkdir -p "$work"
fail=0

# 1. header declarations, map and exports agree
grep -h 'KIOSK_API' "$src"/libkiosk/include/kiosk/*.h | sed 's|deprecated("[^"]*")||' | grep -o 'kiosk_[a-z0-9_]*(' | tr -d '(' |
	sort >"$work/headers.txt"
sed -n 's/^[[:space:]]*\(kiosk_[a-z0-9_]*\);.*/\1/p' "$src/libkiosk/libkiosk.map" | sort >"$work/map.txt"
nm -D --defined-only "$lib" | awk '$2 ~ /[TDBRVW]/ {print $3}' | sed 's/@.*//' | grep -v '^LIBKIOSK_' |
	sort >"$work/exports.txt"
if ! diff -u "$work/headers.txt" "$work/map.txt" >"$work/headers-vs-map.diff"; then
	echo "libkiosk.map and the KIOSK_API declarations differ (- headers, + map):"
	grep '^[-+]kiosk' "$work/headers-vs-map.diff"
	fail=1
fi
if [ -n "$(uniq -d "$work/map.txt")" ]; then
	echo "libkiosk.map lists a symbol twice:"; uniq -d "$work/map.txt"; fail=1
fi
if ! diff -u "$work/map.txt" "$work/exports.txt" >"$work/map-vs-exports.diff"; then
	echo "the library does not export exactly libkiosk.map (- map, + exported):"
	grep '^[-+]kiosk' "$work/map-vs-exports.diff"
	fail=1
fi
if sed -n '/^[[:space:]]*global:/,/^[[:space:]]*local:/p' "$src/libkiosk/libkiosk.map" | grep -q '\*'; then
	echo "libkiosk.map: a wildcard in a global: list"; fail=1
fi

# 2. abidiff against the baseline
if [ ! -f "$baseline" ]; then
	echo "no ABI baseline at $baseline"; exit 1
fi
bash "$here/abi_dump.sh" "$src" "$build" "$lib" "$work/current.abi"
set +e
abidiff --no-added-syms "$baseline" "$work/current.abi" >"$work/abidiff.txt" 2>&1
rc=$?
set -e
# abidiff's status is a bit set: 1 error, 2 usage, 4 ABI change, 8 incompatible change.
if [ "$rc" -ne 0 ]; then
	echo "abidiff: the ABI differs from the baseline (status $rc):"
	cat "$work/abidiff.txt"
	fail=1
fi
if [ "$fail" -eq 0 ]; then
	echo "ABI OK: $(wc -l <"$work/map.txt") symbols, as declared and mapped; no change against $(basename "$baseline")"
fi
exit $fail
