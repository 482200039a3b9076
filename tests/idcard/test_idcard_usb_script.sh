#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-sim idcard --usb DIR writes a umockdev device + scripted ioctl tree;
# kioskctl reads the card from it through the real libusb under umockdev-run.
set -eu
SIM=$1; CTL=$2; DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT
command -v umockdev-run >/dev/null || { echo "SKIP: no umockdev-run"; exit 77; }
"$SIM" idcard --card hk_macau_taiwan --usb "$DIR/dev" >"$DIR/uri" 2>/dev/null
test "$(cat "$DIR/uri")" = "usb:0400:c35a?serial=SIM0001"
umockdev-run -d "$DIR/dev/device.umockdev" -i /dev/bus/usb/001/002="$DIR/dev/device.ioctl" -- \
	"$CTL" idcard read --device usb:0400:c35a --timeout 5 --json >"$DIR/out"
grep -q '"card_type": "hk_macau_taiwan"' "$DIR/out"
grep -q '"pass_number": "H00000000"' "$DIR/out"
echo "test_idcard_usb_script: ok"
