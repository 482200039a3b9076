#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Installs every Debian 12 package libkiosk needs to build, test, benchmark and
# run its demo. Idempotent; skips apt when everything is present already.
set -euo pipefail
PACKAGES="build-essential libmosquitto-dev libsqlite3-dev mosquitto mosquitto-clients python3-paho-mqtt cmake pkg-config clang libclang-rt-14-dev git ca-certificates libusb-1.0-0-dev umockdev libumockdev-dev libsdl2-dev libsdl2-ttf-dev libqrencode-dev libzint-dev zint libcjson-dev libpng-dev zbar-tools libzbar-dev fonts-noto-cjk xvfb xauth xdotool libcurl4-openssl-dev python3 python3-pytest python3-pip python3-setuptools python3-venv espeak-ng libevdev-dev evemu-tools unicode-data hyperfine imagemagick unifont nettle-dev abigail-tools libfontconfig-dev libudev-dev scdoc libwebsockets-dev chromium chromium-driver python3-selenium python3-websockets openssl rime-data-pinyin-simp debhelper dh-python lintian fakeroot"
missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js/npm serve the side-by-side benchmark, the npm printer corpus and the build of
# the fleet console (npm pack of its pinned MQTT client); the machine image may ship its own build.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
