#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end: the maintenance PIN. No PIN configured → maintenance
# says how to set one (kiosk-app --hash-pin); wrong PINs lock maintenance
# with growing delays, and the lock survives a restart of the app; the right
# PIN after the lock opens maintenance and clears the count.
# Usage: e2e_app_pin.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-pin.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x

# --hash-pin reads the PIN (never from the command line) and prints the config line
LINE=$(echo 2468 | "$APP" --hash-pin) || fail "--hash-pin failed"
case "$LINE" in "pin_hash = pbkdf2-sha256\$150000\$"*) ;; *) fail "--hash-pin printed '$LINE'" ;; esac
echo 12 | "$APP" --hash-pin >/dev/null 2>"$T/short.err" && fail "--hash-pin took a 2-digit PIN"
grep -q "4 to 12 digits" "$T/short.err" || fail "no clear error for a short PIN"
[ "$(echo 2468 | "$APP" --hash-pin)" != "$LINE" ] || fail "two hashes of one PIN are equal (no salt)"

# 1. no PIN configured: no keypad, the way to set one is shown
cat >"$T/conf" <<EOC
data_dir = $DATA
state_dir = $T/state.d
tts = off
EOC
start_app
long_press_corner
wait_state screen pin
region pin-k >/dev/null && fail "a PIN pad without a configured PIN"
stop_app

# 2. wrong PINs lock, growing, across a restart
cat >>"$T/conf" <<EOC
$LINE
pin_lock_s = 10
EOC
start_app
long_press_corner
wait_state screen pin
type_pin 1111
type_pin 2222
[ "$(st pin_locked_s)" = 0 ] || fail "locked after two wrong PINs"
type_pin 3333
wait_state pin_fails 3
locked=$(st pin_locked_s)
[ "$locked" -ge 8 ] && [ "$locked" -le 10 ] || fail "first lock should be ~10 s, is $locked"
enabled pin-1 && fail "the keypad works while locked"
[ "$(stat -c %a "$T/state.d/pin-lock.json")" = 600 ] || fail "pin-lock.json is not 0600"
[ "$(stat -c %a "$T/state.d")" = 700 ] || fail "state_dir is not 0700"
stop_app
start_app # the lock is kept on disk
[ "$(st pin_fails)" = 3 ] || fail "the wrong-PIN count was lost on restart"
[ "$(st pin_locked_s)" -ge 1 ] || fail "the lock was lost on restart"
long_press_corner
wait_state screen pin
[ "$(st pin_locked_s)" -ge 1 ] && { enabled pin-1 && fail "the keypad works while locked after a restart"; }
wait_state pin_locked_s 0 12
type_pin 4444 # the 4th wrong PIN: twice as long
wait_state pin_fails 4
[ "$(st pin_locked_s)" -ge 15 ] || fail "the second lock did not grow (is $(st pin_locked_s) s)"
wait_state pin_locked_s 0 25
type_pin 2468
wait_state screen maint
[ "$(st pin_fails)" = 0 ] || fail "the right PIN did not clear the count"
grep -q '"fails":0' "$T/state.d/pin-lock.json" || fail "the cleared count was not saved"
stop_app
echo "e2e pin: no default PIN, lockout grows and survives a restart"
