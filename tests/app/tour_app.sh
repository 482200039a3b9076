#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app's scripted tour (SDL offscreen) in one mode — portrait, landscape
# or large (大字) — on emulated devices. The tour visits every screen, prints
# on the printer emulator, and checks the layout rules on every screenshot
# (text in its box, nothing over a button, targets ≥ 60 px): it exits non-zero
# on any problem. Screenshots stay in OUT_DIR/screens.
# Usage: tour_app.sh KIOSK_APP KIOSK_SIM DATA_DIR MODE OUT_DIR
set -uo pipefail
APP=$1 SIM=$2 DATA=$3 MODE=$4 OUT=$5
case "$MODE" in
portrait) EXTRA=(--portrait) ;;
landscape) EXTRA=(--landscape) ;;
large) EXTRA=(--portrait --large)
	# the longest banner the hall may set (60 characters): the home and attract
	# screens must still pass the layout check in large text
	BANNER="今日系统升级，16:30 起暂停办理不动产登记业务；周六（调休）照常上班，请合理安排时间，谢谢您的理解与支持！！！！" ;;
*) echo "usage: tour_app.sh APP SIM DATA portrait|landscape|large OUT" >&2; exit 2 ;;
esac
T=$(mktemp -d /tmp/kapp-tour.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
rm -rf "$OUT"
mkdir -p "$OUT/receipts"
start_sim idcard idcard --pty --card resident --remove-after 4000
start_sim printer printer --tcp 0 --out "$OUT/receipts"
mkfifo "$T/scan"
"$SIM" scanner --pty --stdin <"$T/scan" >"$T/scanner.out" 2>"$T/scanner.err" &
PIDS+=($!)
exec 9>"$T/scan"
for _ in $(seq 100); do [ -s "$T/scanner.out" ] && break; sleep 0.1; done
IDC=$(head -n1 "$T/idcard.out") PRN=$(head -n1 "$T/printer.out") SCN=$(head -n1 "$T/scanner.out")
if [ -z "$IDC" ] || [ -z "$PRN" ] || [ -z "$SCN" ]; then
	echo "FAIL: emulators did not start"; cat "$T"/*.err; exit 1
fi
cat >"$T/conf" <<EOC
idcard = $IDC
printer = $PRN
scanner = $SCN
data_dir = $DATA
state_dir = $T/state.d
tts = off
${BANNER:+banner = $BANNER}
$(echo 2580 | "$APP" --hash-pin)
EOC
SDL_VIDEODRIVER=offscreen KIOSK_APP_TOUR_SCAN="$T/scan" KIOSK_APP_TODAY=2026-11-24 \
	timeout 170 "$APP" --config "$T/conf" --tour --out "$OUT" "${EXTRA[@]}"
rc=$?
[ "$rc" = 0 ] || echo "FAIL: the $MODE tour ended with $rc"
exit "$rc"
