#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs the build into a scratch prefix, then checks that
#  - no installed file (ELF or text) names the build or the source directory;
#  - the installed programs run from there and find their data (synthetic cards,
#    demo hall data) relative to themselves, also after the whole tree has been
#    moved to a second prefix, with no environment pointing anywhere;
#  - the systemd unit and man pages are where they belong, for this prefix;
#  - a C consumer builds with pkg-config, with find_package(libkiosk) against
#    libkiosk::kiosk and against libkiosk::kiosk_static, and runs;
#  - the shared library exports only kiosk_* symbols.
set -euo pipefail
src=$(cd "$1" && pwd -P) build=$(cd "$2" && pwd -P) work=$3
rm -rf "$work" && mkdir -p "$work"
# The prefixes live outside the build tree, so that any mention of the build or
# source tree in an installed file is a leak, not the prefix itself.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/libkiosk-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"

# 1. No build-machine path in anything installed. The source tree is checked by
# its path, which also covers a build tree inside it.
leaks=""
while IFS= read -r -d '' f; do
	if head -c4 "$f" | grep -q $'^\x7fELF'; then
		hit=$(strings -a "$f" | grep -F -e "$src" -e "$build" | head -3 || true)
	else
		hit=$(grep -a -F -e "$src" -e "$build" "$f" | head -3 || true)
	fi
	[ -z "$hit" ] || leaks="$leaks${f#"$prefix"/}: $hit"$'\n'
done < <(find "$prefix" -type f -print0)
if [ -n "$leaks" ]; then
	echo "installed files name the build machine's $src or $build:"; printf '%s' "$leaks"; exit 1
fi
echo "no installed file names $src or $build ($(find "$prefix" -type f | wc -l) files)"
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
# 2. the static library through find_package: its private dependencies come along.
cat >"$work/cmake-consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(libkiosk REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE libkiosk::kiosk)
add_executable(consumer-static ../consumer.c)
target_link_libraries(consumer-static PRIVATE libkiosk::kiosk_static)
CM
rm -rf "$work/cmake-consumer/build"
cmake -S "$work/cmake-consumer" -B "$work/cmake-consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cmake-static.log"
cmake --build "$work/cmake-consumer/build" >>"$work/cmake-static.log"
if readelf -d "$work/cmake-consumer/build/consumer-static" | grep -q 'NEEDED.*libkiosk'; then
	echo "consumer-static links the shared libkiosk"; exit 1
fi
env -u LD_LIBRARY_PATH "$work/cmake-consumer/build/consumer-static"
${CC:-cc} "$work/consumer.c" -o "$work/consumer-pc-static" -static-libgcc \
	$(pkg-config --cflags libkiosk) "$libdir/libkiosk.a" $(pkg-config --libs --static libkiosk | sed 's/-lkiosk//')
"$work/consumer-pc-static"
echo "static consumers (find_package libkiosk::kiosk_static, pkg-config --static) built and ran"

# 3. the programs run from the installed tree, then from a second prefix.
run_programs() {
	local p=$1 out=$work/run-${1##*/}
	mkdir -p "$out"
	for prog in kioskctl kiosk-sim; do
		v=$(env -i PATH=/usr/bin:/bin "$p/bin/$prog" --version)
		case $v in *"$(cat "$work/version")"*) ;; *) echo "$prog --version: '$v'"; exit 1 ;; esac
	done
	if [ -x "$p/bin/kiosk-app" ]; then
		env -i PATH=/usr/bin:/bin "$p/bin/kiosk-app" --version | grep -qF "$(cat "$work/version")"
	fi
	# An emulated reader holding a synthetic card named by its bare name: found
	# only through <prefix>/share/libkiosk/sim/cards beside the program.
	env -i PATH=/usr/bin:/bin "$p/bin/kiosk-sim" idcard --pty --card resident-longterm >"$out/sim.out" 2>"$out/sim.err" &
	local sim=$! uri=""
	for _ in $(seq 100); do
		uri=$(head -1 "$out/sim.out" 2>/dev/null || true)
		[ -n "$uri" ] && break
		kill -0 $sim 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$uri" ]; then
		kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true
		echo "kiosk-sim from $p did not start:"; cat "$out/sim.err"; exit 1
	fi
	local rc=0
	timeout 30 env -i PATH=/usr/bin:/bin "$p/bin/kioskctl" idcard read --device "$uri" --timeout 10 --json \
		>"$out/card.json" 2>"$out/card.err" || rc=$?
	kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true
	if [ $rc -ne 0 ] || ! grep -q '"id_number"' "$out/card.json"; then
		echo "kioskctl from $p could not read the emulated card (rc $rc):"; cat "$out/card.err" "$out/sim.err"; exit 1
	fi
	# kiosk-app finds its bundled demo hall data the same way (it says so on
	# stderr when the guide catalog or the cases are missing).
	if [ -x "$p/bin/kiosk-app" ]; then
		rc=0
		timeout 60 env -i PATH=/usr/bin:/bin HOME="$out" SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
			"$p/bin/kiosk-app" --exit-after-frames 2 --out "$out" >"$out/app.out" 2>"$out/app.err" || rc=$?
		if [ $rc -ne 0 ] || [ -s "$out/app.err" ]; then
			echo "kiosk-app from $p (rc $rc):"; cat "$out/app.err"; exit 1
		fi
	fi
	echo "programs ran from $p: kiosk-sim served synthetic card 'resident-longterm', kioskctl read it"
}
pkg-config --modversion libkiosk >"$work/version"
run_programs "$prefix"
moved=$scratch/moved/elsewhere
mkdir -p "$(dirname "$moved")"
mv "$prefix" "$moved"
run_programs "$moved"
mv "$moved" "$prefix"

# 4. the systemd unit for this prefix; man pages.
if [ -x "$prefix/bin/kiosk-app" ]; then
	unit=$(find "$prefix" -name kiosk-app.service | head -1)
	[ -n "$unit" ] || { echo "kiosk-app.service not installed under $prefix"; exit 1; }
	case $unit in "$prefix"/lib/systemd/system/*) ;; *) echo "unit outside $prefix/lib/systemd/system: $unit"; exit 1 ;; esac
	grep -qx "ExecStart=$prefix/bin/kiosk-app --config $prefix/etc/libkiosk/kiosk-app.conf" "$unit" ||
		{ echo "unit's ExecStart is not for $prefix:"; grep ExecStart "$unit"; exit 1; }
fi
man=$prefix/share/man/man1
# Every option a program's --help shows is in its man page.
check_man() {
	local page=$1; shift
	[ -s "$page" ] || { echo "man page missing: $page"; exit 1; }
	local opts missing=""
	opts=$("$@" 2>&1 | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u)
	for o in $opts; do
		# as scdoc writes it, or escaped as man(7) allows ('\-')
		grep -qF -e "$o" -e "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$page" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "${page##*/} lacks options from '$*':$missing"; exit 1; }
}
for sub in "" idcard print printer receipt scan touch list fleet; do
	check_man "$man/kioskctl.1" "$prefix/bin/kioskctl" $sub --help
done
for sub in "" idcard printer scanner fleet; do
	check_man "$man/kiosk-sim.1" "$prefix/bin/kiosk-sim" $sub --help
done
if [ -x "$prefix/bin/kiosk-app" ]; then
	check_man "$man/kiosk-app.1" "$prefix/bin/kiosk-app" --help
fi
if [ -x "$prefix/bin/kioskd" ]; then
	check_man "$prefix/share/man/man8/kioskd.8" "$prefix/bin/kioskd" --help
	unit=$(find "$prefix" -name kioskd.service | head -1)
	[ -n "$unit" ] || { echo "kioskd.service not installed under $prefix"; exit 1; }
	grep -qx "ExecStart=$prefix/bin/kioskd --config $prefix/etc/libkiosk/kioskd.conf" "$unit" ||
		{ echo "kioskd.service's ExecStart is not for $prefix:"; grep ExecStart "$unit"; exit 1; }
fi
echo "man pages installed and list every option of the programs' --help"
# The fleet console (examples/fleet-console): the page, and the MQTT client the
# build vendored from npm (when it could).
stage=$build/share/libkiosk/fleet-console
if [ -e "$stage/index.html" ]; then
	for f in index.html console.js console.css; do
		cmp -s "$stage/$f" "$prefix/share/libkiosk/fleet-console/$f" ||
			{ echo "fleet console: $f not installed as built"; exit 1; }
	done
	if [ -e "$stage/vendor/mqtt.min.js" ]; then
		cmp -s "$stage/vendor/mqtt.min.js" "$prefix/share/libkiosk/fleet-console/vendor/mqtt.min.js" ||
			{ echo "fleet console: vendor/mqtt.min.js not installed"; exit 1; }
	fi
	echo "fleet console installed"
fi
echo "install tree OK"
