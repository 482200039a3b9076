#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian packages, end to end, on this machine:
#  1. copies the tree to a scratch directory (nothing is written beside the
#     clone) and builds every binary package with dpkg-buildpackage -b;
#  2. runs lintian on them: any error fails the test (warnings are printed);
#  3. installs them with apt-get, then builds and runs a consumer against the
#     installed libkiosk-dev with pkg-config and with CMake (libkiosk::kiosk and
#     libkiosk::kiosk_static), reads the synthetic card of the installed
#     kiosk-sim with the installed kioskctl and with a Python script on
#     /usr/bin/python3 (python3-libkiosk), and checks the group, the udev rules,
#     the unit and the man pages;
#  4. purges the packages (and the kiosk user and group if it created them), so
#     the machine is left as it was.
# Usage: test_debian.sh SOURCE_DIR   (root; Debian with the tools of tests/deps.sh)
set -euo pipefail
src=$(cd "$1" && pwd -P)
here=$(cd "$(dirname "$0")" && pwd -P)
PACKAGES="libkiosk0 libkiosk-dev kiosk-tools kiosk-app kioskd python3-libkiosk"

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: installing packages needs root"; exit 77
fi
for t in dpkg-buildpackage dh lintian apt-get; do
	command -v $t >/dev/null || { echo "missing $t (bash tests/deps.sh)"; exit 1; }
done

# One run at a time on a machine (dpkg is one database).
exec 9>/var/lock/libkiosk-package-test.lock
flock -w 1800 9 || { echo "another package test holds /var/lock/libkiosk-package-test.lock"; exit 1; }

for p in $PACKAGES; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed'; then
		echo "$p is installed already: this test installs and removes its own build; remove $p first"
		exit 1
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/libkiosk-deb.XXXXXX")
had_group=0 had_user=0
getent group kiosk >/dev/null && had_group=1
getent passwd kiosk >/dev/null && had_user=1
sim_pid=""
cleanup() {
	[ -n "$sim_pid" ] && { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; }
	installed=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$' &&
			installed="$installed $p"
	done
	# shellcheck disable=SC2086
	[ -z "$installed" ] || dpkg --purge $installed >"$work/purge.log" 2>&1 || cat "$work/purge.log"
	[ $had_user = 1 ] || ! getent passwd kiosk >/dev/null || deluser --system --quiet kiosk >/dev/null 2>&1 || true
	[ $had_group = 1 ] || ! getent group kiosk >/dev/null || delgroup --system --quiet kiosk >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

# 0. One version: the packages' is CMake's project(VERSION).
cmake_version=$(sed -n 's/^project(libkiosk VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
deb_version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
if [ "$deb_version" != "$cmake_version" ]; then
	echo "debian/changelog says $deb_version, CMakeLists.txt project(VERSION) $cmake_version"; exit 1
fi

# 1. build from a copy of the tree (tracked and new files; no build dirs).
mkdir -p "$work/libkiosk-$deb_version"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$src" && git ls-files -z -co --exclude-standard | xargs -0 cp -a --parents -t "$work/libkiosk-$deb_version" 2>/dev/null) ||
		(cd "$src" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
			[ -e "$f" ] && cp -a --parents "$f" "$work/libkiosk-$deb_version"; done)
else
	tar -C "$src" --exclude='./build*' --exclude='./out' --exclude='./.git' -cf - . | tar -C "$work/libkiosk-$deb_version" -xf -
fi
t0=$(date +%s)
export DEB_BUILD_OPTIONS="nocheck noddebs parallel=${KIOSK_PACKAGE_JOBS:-2}"
if command -v ccache >/dev/null; then
	export CMAKE_C_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$work"
fi
if ! (cd "$work/libkiosk-$deb_version" && dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1; then
	tail -60 "$work/build.log"; echo "dpkg-buildpackage failed"; exit 1
fi
echo "built in $(( $(date +%s) - t0 )) s:"
for deb in "$work"/*.deb; do
	echo "  ${deb##*/}: $(dpkg-deb -c "$deb" | grep -vc '/$') files"
	# its files, one line per folder (file names shortened to a count past 3)
	dpkg-deb -c "$deb" | awk '$6 !~ /\/$/ {print $6}' | sed 's|^\./||' |
		awk -F/ '{d=$0; sub("/[^/]*$", "", d); f=$NF; n[d]++; if (n[d] <= 3) l[d]=l[d] (n[d] > 1 ? " " : "") f}
		     END {for (d in n) printf "      /%s/: %s%s\n", d, l[d], (n[d] > 3 ? " (+" n[d]-3 " more)" : "")}' | sort
done

# 2. lintian: errors fail, warnings are shown.
t0=$(date +%s)
lintian --fail-on error --display-info "$work"/*.changes >"$work/lintian.log" 2>&1 || lrc=$?
echo "lintian ($(( $(date +%s) - t0 )) s):"
sed 's/^/  /' "$work/lintian.log"
if [ "${lrc:-0}" -ne 0 ] || grep -q '^E: ' "$work/lintian.log"; then
	echo "lintian reports errors"; exit 1
fi

# 3. install them on this machine.
if ! (cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q \
	--no-install-recommends ./*.deb) >"$work/install.log" 2>&1; then
	tail -30 "$work/install.log"; echo "apt-get install failed"; exit 1
fi
echo "installed: $(dpkg-query -W -f='${Package} ${Version}  ' $PACKAGES)"

getent group kiosk >/dev/null || { echo "no kiosk group after installing kiosk-tools"; exit 1; }
getent passwd kiosk >/dev/null || { echo "no kiosk user after installing kiosk-app"; exit 1; }
grep -q 'GROUP="kiosk"' /lib/udev/rules.d/70-libkiosk.rules
[ "$(dpkg -S /lib/udev/rules.d/70-libkiosk.rules | cut -d: -f1)" = kiosk-tools ]
[ "$(dpkg -S /lib/systemd/system/kiosk-app.service | cut -d: -f1)" = kiosk-app ]
grep -qx 'ExecStart=/usr/bin/kiosk-app --config /etc/libkiosk/kiosk-app.conf' /lib/systemd/system/kiosk-app.service
for page in kioskctl kiosk-sim kiosk-app; do
	[ -e "/usr/share/man/man1/$page.1.gz" ] || { echo "man page $page(1) not installed"; exit 1; }
done
[ -e /usr/share/man/man8/kioskd.8.gz ] || { echo "man page kioskd(8) not installed"; exit 1; }
[ "$(dpkg -S /lib/systemd/system/kioskd.service | cut -d: -f1)" = kioskd ]
grep -qx 'ExecStart=/usr/bin/kioskd --config /etc/libkiosk/kioskd.conf' /lib/systemd/system/kioskd.service
/usr/bin/kioskd --version | grep -qF "$deb_version" || { echo "kioskd --version is not $deb_version"; exit 1; }
for prog in kioskctl kiosk-sim kiosk-app; do
	/usr/bin/$prog --version | grep -qF "$deb_version" || { echo "$prog --version is not $deb_version"; exit 1; }
done

# The consumer, with pkg-config (shared) and with CMake (shared and static).
mkdir -p "$work/consumer"
cd "$work/consumer"
cp "$here/consumer.c" .
cc consumer.c -o consumer-pc $(pkg-config --cflags --libs libkiosk)
./consumer-pc "$deb_version"
cat >CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(libkiosk REQUIRED)
add_executable(consumer-shared consumer.c)
target_link_libraries(consumer-shared PRIVATE libkiosk::kiosk)
add_executable(consumer-static consumer.c)
target_link_libraries(consumer-static PRIVATE libkiosk::kiosk_static)
CM
cmake -S . -B build >cmake.log 2>&1 || { cat cmake.log; exit 1; }
cmake --build build >>cmake.log 2>&1 || { cat cmake.log; exit 1; }
build/consumer-shared "$deb_version"
build/consumer-static "$deb_version"
readelf -d build/consumer-shared | grep -q 'NEEDED.*libkiosk.so.0'
! readelf -d build/consumer-static | grep -q 'NEEDED.*libkiosk'
echo "consumers built with pkg-config and find_package (libkiosk::kiosk, libkiosk::kiosk_static) and ran"

# The installed emulator serves its installed synthetic card to kioskctl and Python.
kiosk-sim idcard --pty --card resident >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
uri=""
for _ in $(seq 100); do
	uri=$(head -1 "$work/sim.out" 2>/dev/null || true)
	[ -n "$uri" ] && break
	sleep 0.1
done
[ -n "$uri" ] || { cat "$work/sim.err"; echo "installed kiosk-sim did not start"; exit 1; }
timeout 30 kioskctl idcard read --device "$uri" --masked >"$work/card.txt"
grep -q '\*' "$work/card.txt"
cp "$here/consumer.py" "$work/consumer/"
(cd / && env -u PYTHONPATH -u LIBKIOSK_LIBRARY timeout 60 /usr/bin/python3 -I "$work/consumer/consumer.py" "$deb_version" "$uri")
kill "$sim_pid"; wait "$sim_pid" 2>/dev/null || true; sim_pid=""
echo "installed kiosk-sim served its card to kioskctl and to python3-libkiosk"
cd /

# 4. remove everything again (cleanup), then check.
cleanup
trap - EXIT
for p in $PACKAGES; do
	if dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$'; then
		echo "$p still installed after purge"; exit 1
	fi
done
echo "packages purged; package test OK"
