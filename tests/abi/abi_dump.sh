#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes the ABI of a built libkiosk.so (with debug info) as abidw XML,
# limited to the types of the public headers, with no path of the build
# machine in it. Used for the committed baseline and by the ABI check.
# Usage: abi_dump.sh SOURCE_DIR BUILD_DIR LIBRARY OUT.abi
set -euo pipefail
src=$(cd "$1" && pwd) build=$(cd "$2" && pwd) lib=$3 out=$4
abidw --headers-dir "$src/libkiosk/include/kiosk" \
      --headers-dir "$build/libkiosk/include/kiosk" \
      --drop-private-types --no-show-locs --no-corpus-path --no-comp-dir-path \
      --out-file "$out.tmp" "$lib"
# Translation-unit names are absolute: keep them relative to the tree.
sed -e "s|$build/||g" -e "s|$src/||g" "$out.tmp" >"$out"
rm -f "$out.tmp"
