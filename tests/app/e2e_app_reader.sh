#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end: an ID card lifted half-way through its read tells the
# visitor in plain words (读卡未完成，请重新放置身份证) and the maintenance page
# lists it with its time; placed again, the card is read and the holder's
# cases are listed.
# Usage: e2e_app_reader.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-rdr.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
mkfifo "$T/card"
exec 8<>"$T/card"
"$SIM" idcard --pty --no-card --stdin <"$T/card" >"$T/idcard.out" 2>"$T/idcard.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/idcard.out" ] && break; sleep 0.1; done
cat >"$T/conf" <<EOC
idcard = $(head -n1 "$T/idcard.out")
data_dir = $DATA
state_dir = $T/state.d
idle_warn_s = 120
tts = off
$(echo 2468 | "$APP" --hash-pin)
EOC
KIOSK_APP_TODAY=2026-11-24 start_app
click progress
wait_state screen progress
echo lift-mid-read >&8
wait_state text 读卡未完成，请重新放置身份证 10
[ "$(st personal)" = False ] || fail "personal data kept from a read that broke off"
echo remove >&8
sleep 1
echo place >&8
wait_state screen cases 15
click home
wait_state screen home
echo remove >&8
long_press_corner
wait_state screen pin
type_pin 2468
wait_state screen maint
grep -q "读卡未完成：.*（KIOSK_E_NO_CARD）" "$T/app.err" || fail "the broken read is not in the error log"
stop_app
echo "e2e reader: a card lifted mid-read is said plainly, then read when placed again"
