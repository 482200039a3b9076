#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the build into a scratch prefix, then builds and runs a C consumer
# with pkg-config and another with find_package(libkiosk), and checks that
# the shared library exports only kiosk_* symbols.
set -euo pipefail
src=$1 build=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(dirname "$(find "$prefix" -name 'libkiosk.so' | head -1)")
[ -n "$libdir" ] || { echo "libkiosk.so not installed"; exit 1; }
for f in "$prefix/bin/kioskctl" "$prefix/bin/kiosk-sim" "$prefix/include/kiosk/kiosk.h" \
	 "$libdir/pkgconfig/libkiosk.pc" "$libdir/cmake/libkiosk/libkioskConfig.cmake"; do
	[ -e "$f" ] || { echo "missing in install tree: $f"; exit 1; }
done

bad=$(nm -D --defined-only "$libdir/libkiosk.so" | awk '$2 ~ /[TDBRV]/ {print $3}' | grep -v '^kiosk_' | grep -v '^LIBKIOSK_' || true)
if [ -n "$bad" ]; then
	echo "exported symbols outside kiosk_*:"; echo "$bad"; exit 1
fi
echo "exports: $(nm -D --defined-only "$libdir/libkiosk.so" | grep -c ' T kiosk_') kiosk_* functions, nothing else"
readelf -d "$libdir/libkiosk.so" | grep -q 'SONAME.*libkiosk.so.0' || { echo "SONAME missing"; exit 1; }

cat >"$work/consumer.c" <<'C'
#include <kiosk/kiosk.h>
#include <stdio.h>
int main(void)
{
	kiosk_context *ctx;
	if (kiosk_context_new(&ctx) != KIOSK_OK)
		return 1;
	kiosk_uri *u;
	int r = kiosk_uri_parse("usb:0400:c35a", &u, NULL, 0);
	printf("libkiosk %s, uri %s, %zu drivers, %s\n", kiosk_version(),
	       r == KIOSK_OK ? kiosk_uri_to_string(u) : "?", kiosk_driver_count(),
	       kiosk_error_name(KIOSK_E_PAPER_OUT));
	kiosk_uri_free(u);
	kiosk_context_free(ctx);
	return r == KIOSK_OK ? 0 : 1;
}
C
export PKG_CONFIG_PATH=$libdir/pkgconfig
${CC:-cc} "$work/consumer.c" -o "$work/consumer-pc" $(pkg-config --cflags --libs libkiosk)
LD_LIBRARY_PATH=$libdir "$work/consumer-pc"

mkdir -p "$work/cmake-consumer"
cat >"$work/cmake-consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(libkiosk REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE libkiosk::kiosk)
CM
cmake -S "$work/cmake-consumer" -B "$work/cmake-consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake.log"
cmake --build "$work/cmake-consumer/build" >>"$work/cmake.log"
LD_LIBRARY_PATH=$libdir "$work/cmake-consumer/build/consumer"
echo "install tree OK: pkg-config and find_package consumers built and ran"
