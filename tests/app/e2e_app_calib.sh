#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end: a new touch calibration must be confirmed by tapping
# a button within 10 s. A wrong one (the taps miss their targets, so the
# confirm tap misses its button through it) is reverted and not saved; a good
# one is confirmed and saved 0600 in the 0700 state folder.
# Usage: e2e_app_calib.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-calib.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
cat >"$T/conf" <<EOC
data_dir = $DATA
state_dir = $T/state.d
tts = off
$(echo 2468 | "$APP" --hash-pin)
EOC
start_app

# the five targets of kiosk_calibration_targets(1080, 1920, 0.1)
TARGETS="108 192  972 192  972 1728  108 1728  540 960"
calibrate() { # SCALE OFFSET — taps at target·SCALE + OFFSET (a skewed panel)
	long_press_corner
	wait_state screen pin
	type_pin 2468
	wait_state screen maint
	click maint-calib
	wait_state screen calib
	set -- $1 $2 $TARGETS
	local s=$1 o=$2
	shift 2
	while [ $# -ge 2 ]; do
		click_xy "$(/usr/bin/python3 -c "print(int($1*$s+$o))")" "$(/usr/bin/python3 -c "print(int($2*$s+$o))")"
		shift 2
	done
	wait_state calib confirm 5
}

# 1. a wrong calibration (the panel is taken to be mirrored and shrunk): not confirmed → reverted
calibrate 0.5 400
click calib-confirm # the tap on the button lands elsewhere through the wrong calibration
wait_state calib reverted 14
[ -e "$T/state.d/touch.cal" ] && fail "an unconfirmed calibration was saved"
click calib-done # the old (identity) calibration is back: the button answers
wait_state screen maint

# 2. a good calibration: confirmed in time, saved
click maint-calib
wait_state screen calib
set -- $TARGETS
while [ $# -ge 2 ]; do click_xy "$1" "$2"; shift 2; done
wait_state calib confirm 5
click calib-confirm
wait_state calib saved 5
[ -s "$T/state.d/touch.cal" ] || fail "the confirmed calibration was not saved"
[ "$(stat -c %a "$T/state.d/touch.cal")" = 600 ] || fail "touch.cal is not 0600"
[ "$(stat -c %a "$T/state.d")" = 700 ] || fail "state_dir is not 0700"
ls "$T/state.d" | grep -q '\.new$' && fail "a temporary calibration file was left"
click calib-done
wait_state screen maint
stop_app
echo "e2e calib: unconfirmed calibration reverted, confirmed one saved"
