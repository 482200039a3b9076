#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end, in a real X window under Xvfb with real input (xdotool):
# ID card → own cases; home wipes; guide search (BDC) → detail → print the
# checklist (receipt PNG from the printer emulator, QR decoded by zbar);
# progress by keypad; by a scanned QR; idle reset wipes personal data.
# Usage: e2e_app.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
for p in Xvfb xdotool zbarimg /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || { echo "skip: $p not installed"; exit 77; }
done
T=$(mktemp -d /tmp/kapp-e2e.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- app log"; tail -30 "$T/app.err"; echo "--- state"; cat "$T/state" 2>/dev/null; exit 1; }

# X server on a free display
Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>"$T/xvfb.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
[ -s "$T/display" ] || { echo "skip: Xvfb did not start"; exit 77; }
export DISPLAY=":$(cat "$T/display")"

start_sim() { # NAME ARGS… (in this shell, so that cleanup knows the pid)
	local n=$1; shift
	"$SIM" "$@" >"$T/$n.out" 2>"$T/$n.err" &
	PIDS+=($!)
	for _ in $(seq 100); do [ -s "$T/$n.out" ] && break; sleep 0.1; done
}
mkdir -p "$T/receipts"
start_sim idcard idcard --pty --card resident --remove-after 1500
start_sim printer printer --tcp 0 --out "$T/receipts"
IDC=$(head -n1 "$T/idcard.out")
PRN=$(head -n1 "$T/printer.out")
mkfifo "$T/scan"
"$SIM" scanner --pty --stdin <"$T/scan" >"$T/scanner.out" 2>"$T/scanner.err" &
PIDS+=($!)
exec 9>"$T/scan"
for _ in $(seq 100); do [ -s "$T/scanner.out" ] && break; sleep 0.1; done
SCN=$(head -n1 "$T/scanner.out")
[ -n "$IDC" ] && [ -n "$PRN" ] && [ -n "$SCN" ] || fail "emulators did not start"

cat >"$T/conf" <<EOC
idcard = $IDC
printer = $PRN
scanner = $SCN
data_dir = $DATA
state_dir = $T/state.d
idle_warn_s = 25
idle_countdown_s = 3
tts = off
EOC
LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0" \
	KIOSK_APP_TRACE=1 KIOSK_APP_LAYOUT="$T/layout" KIOSK_APP_STATE="$T/state" KIOSK_APP_TODAY=2026-11-24 \
	"$APP" --config "$T/conf" >"$T/app.out" 2>"$T/app.err" &
APP_PID=$!
PIDS+=($APP_PID)

st() { /usr/bin/python3 -c "import json,sys; print(json.load(open('$T/state'))['$1'])" 2>/dev/null; }
wait_screen() { # NAME [TIMEOUT_S]
	for _ in $(seq $((${2:-15} * 10))); do
		[ "$(st screen)" = "$1" ] && [ "$(st busy)" = "False" ] && return 0
		kill -0 $APP_PID 2>/dev/null || fail "the app exited"
		sleep 0.1
	done
	fail "screen $1 did not come (on $(st screen))"
}
click() { # ID — waits for the widget in the layout file, clicks its centre
	local xy
	for _ in $(seq 50); do
		xy=$(/usr/bin/python3 - "$T/layout" "$1" <<'PY'
import json, sys
try:
    lay = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
for r in lay["regions"]:
    if r["id"] == sys.argv[2] and r["enabled"]:
        print(r["x"] + r["w"] // 2, r["y"] + r["h"] // 2)
        sys.exit(0)
sys.exit(1)
PY
) && break
		sleep 0.1
	done
	[ -n "$xy" ] || fail "no enabled widget '$1' on screen $(st screen)"
	# shellcheck disable=SC2086
	xdotool mousemove $xy sleep 0.05 click 1 # (--sync hangs when the pointer is already there)
	sleep 0.25
	[ -n "${E2E_DEBUG:-}" ] && echo "$(date +%s.%N | cut -c7-14) click $1 at $xy → $(st screen)"
	return 0
}
pick_case() { # STATE → a case number in that state
	/usr/bin/python3 -c "import json; print(next(c['number'] for c in json.load(open('$DATA/cases.json'))['cases'] if c['state']=='$1'))"
}

# 1. the card on the reader lists the holder's own cases (masked)
wait_screen cases 20
[ "$(st personal)" = "True" ] || fail "no personal data flagged with cases shown"
[ "$(st cases)" -ge 3 ] || fail "expected the holder's cases, got $(st cases)"
click case-0
wait_screen case
# 2. home wipes personal data
click home
wait_screen home
[ "$(st personal)" = "False" ] || fail "personal data left after going home"
# 3. guide search by pinyin initials → detail → print the checklist
click guides
wait_screen guides
click key-B; click key-D; click key-C
[ "$(st hits)" -ge 5 ] || fail "BDC found $(st hits) guides"
click hit-0
wait_screen guide
click print-checklist
for _ in $(seq 300); do ls "$T"/receipts/*.png >/dev/null 2>&1 && break; sleep 0.1; done
PNG=$(ls "$T"/receipts/*.png 2>/dev/null | head -n1)
[ -n "$PNG" ] || fail "no receipt PNG from the printer emulator"
QR=$(zbarimg -q --raw "$PNG" 2>/dev/null)
case "$QR" in
https://zwfw.example.gov.cn/guide/*) echo "checklist QR: $QR" ;;
*) fail "checklist QR not decoded (got '$QR')" ;;
esac
grep -q "不动产" "${PNG%.png}.txt" 2>/dev/null || grep -rq "不动产" "$T"/receipts/*.txt 2>/dev/null ||
	echo "note: the emulator's text dump is not available; QR checked"
# 4. progress by keypad
click home
click progress
wait_screen progress
NUM=$(pick_case supplement)
for d in $(echo "$NUM" | grep -o .); do click "num-$d"; done
click query
wait_screen case
[ "$(st case_loaded)" = "True" ] || fail "no case loaded after the keypad query"
# 5. progress by a scanned QR (the acceptance receipt's code)
click home
click progress
wait_screen progress
echo "https://zwfw.example.gov.cn/case?no=$(pick_case review)" >&9
wait_screen case 15
# 6. idle: countdown, then home with everything wiped — 大字 too (the next visitor's default)
click large
[ "$(st large)" = "True" ] || fail "大字 did not switch on"
for _ in $(seq 400); do [ "$(st idle_warning)" = "True" ] && break; sleep 0.1; done
[ "$(st idle_warning)" = "True" ] || fail "no idle countdown"
wait_screen home 10
[ "$(st personal)" = "False" ] || fail "idle reset left personal data"
[ "$(st large)" = "False" ] || fail "大字 stayed on for the next visitor"
[ "$(st missing_glyphs)" = "0" ] || fail "glyphs missing from the font (tofu): $(st missing_glyphs)"
# a clean exit on SIGTERM (under the sanitizer build: no error, no leak of ours)
kill -TERM $APP_PID
wait $APP_PID
rc=$?
[ $rc -eq 0 ] || fail "kiosk-app exited with $rc on SIGTERM"
echo "e2e: all steps passed"
exit 0
