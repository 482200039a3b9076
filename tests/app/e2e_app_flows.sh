#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end under Xvfb with xdotool: the flows of issue 14.
#  - foreign QR codes (a payment link, another site's case) are refused with
#    a message and never looked up; the keypad stops at 14 digits;
#  - the "printed" message covers no control, a tap on it does nothing, and
#    it goes by itself;
#  - 非常不满意/不满意 ask for reasons before the rating is queued (a JSON
#    line in state_dir/ratings-queue.jsonl, mode 0600), once per case;
#  - 退出程序 asks for confirmation (cancel keeps the app running).
# Usage: e2e_app_flows.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
for p in Xvfb xdotool /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || { echo "skip: $p not installed"; exit 77; }
done
T=$(mktemp -d /tmp/kapp-flows.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- app log"; tail -30 "$T/app.err"; echo "--- state"; cat "$T/state" 2>/dev/null; exit 1; }

Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>"$T/xvfb.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
[ -s "$T/display" ] || { echo "skip: Xvfb did not start"; exit 77; }
export DISPLAY=":$(cat "$T/display")"

mkdir -p "$T/receipts"
"$SIM" printer --tcp 0 --out "$T/receipts" >"$T/printer.out" 2>"$T/printer.err" &
PIDS+=($!)
mkfifo "$T/scan"
"$SIM" scanner --pty --stdin <"$T/scan" >"$T/scanner.out" 2>"$T/scanner.err" &
PIDS+=($!)
exec 9>"$T/scan"
for _ in $(seq 100); do [ -s "$T/scanner.out" ] && [ -s "$T/printer.out" ] && break; sleep 0.1; done
PRN=$(head -n1 "$T/printer.out") SCN=$(head -n1 "$T/scanner.out")
[ -n "$PRN" ] && [ -n "$SCN" ] || fail "emulators did not start"
cat >"$T/conf" <<EOC
printer = $PRN
scanner = $SCN
data_dir = $DATA
state_dir = $T/state.d
idle_warn_s = 120
tts = off
$(echo 2580 | "$APP" --hash-pin)
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
region() { # ID → "x y w h enabled" from the layout file
	/usr/bin/python3 - "$T/layout" "$1" <<'PY'
import json, sys
try:
    lay = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
for r in lay["regions"]:
    if r["id"] == sys.argv[2]:
        print(r["x"], r["y"], r["w"], r["h"], "1" if r["enabled"] else "0")
        sys.exit(0)
sys.exit(1)
PY
}
click() { # ID — waits for the enabled widget in the layout file, clicks its centre
	local r=""
	for _ in $(seq 50); do
		r=$(region "$1") && [ "${r##* }" = 1 ] && break
		r=""
		sleep 0.1
	done
	[ -n "$r" ] || fail "no enabled widget '$1' on screen $(st screen)"
	set -- $r
	xdotool mousemove $(($1 + $3 / 2)) $(($2 + $4 / 2)) sleep 0.05 click 1
	sleep 0.25
}
prints() { ls "$T"/receipts/*.png 2>/dev/null | wc -l; }
wait_prints() { # N
	for _ in $(seq 300); do [ "$(prints)" -ge "$1" ] && return 0; sleep 0.1; done
	fail "print $1 did not come"
}
pick_case() { # STATE → a case number in that state
	/usr/bin/python3 -c "import json; print(next(c['number'] for c in json.load(open('$DATA/cases.json'))['cases'] if c['state']=='$1'))"
}

wait_screen home 20
click progress
wait_screen progress
# 1. foreign QR codes: refused, never looked up
for code in "https://qr.alipay.com/fkx12345?t=13800138000" \
	"https://zwfw.other-city.gov.cn/case?no=$(pick_case review)" \
	"https://zwfw.example.gov.cn/case?no=$(pick_case review)&next=https://evil.example"; do
	echo "$code" >&9
	for _ in $(seq 50); do [ "$(st message)" = "problem" ] && break; sleep 0.1; done
	[ "$(st message)" = "problem" ] || fail "no refusal for the foreign code $code"
	sleep 0.5
	[ "$(st screen)" = "progress" ] && [ "$(st case_loaded)" = "False" ] && [ "$(st busy)" = "False" ] ||
		fail "a foreign code was looked up: $code"
done
grep -q "progress → case" "$T/app.err" && fail "a case opened from a foreign code"
# 2. the keypad stops at 14 digits
NUM=$(pick_case supplement)
for d in $(echo "$NUM" | grep -o .); do click "num-$d"; done
r=$(region num-9) && [ "${r##* }" = 0 ] || fail "digit keys still enabled at 14 digits"
set -- $r
for _ in 1 2 3; do xdotool mousemove $(($1 + $3 / 2)) $(($2 + $4 / 2)) sleep 0.05 click 1; sleep 0.2; done
[ "$(st number_digits)" = "14" ] || fail "the keypad took $(st number_digits) digits"
click query
wait_screen case
# 3. print: the message covers no live control, a tap on it does nothing, it goes by itself
P0=$(prints)
click print-progress
wait_prints $((P0 + 1))
wait_screen rating 10
/usr/bin/python3 - "$T/layout" <<'PY' || fail "the message lies over a live control"
import json, sys
lay = json.load(open(sys.argv[1]))
m = lay["message"]
if m["w"] <= 0:
    print("no message shown"); sys.exit(1)
for r in lay["regions"]:
    if r["enabled"] and r["x"] < m["x"] + m["w"] and m["x"] < r["x"] + r["w"] \
            and r["y"] < m["y"] + m["h"] and m["y"] < r["y"] + r["h"]:
        print("message", m, "over", r["id"]); sys.exit(1)
PY
M=$(/usr/bin/python3 -c "import json; m=json.load(open('$T/layout'))['message']; print(m['x']+m['w']//2, m['y']+m['h']//2)")
# shellcheck disable=SC2086
xdotool mousemove $M sleep 0.05 click 1
sleep 0.5
[ "$(st screen)" = "rating" ] && [ "$(st rating_step)" = "levels" ] && [ "$(prints)" = "$((P0 + 1))" ] ||
	fail "a tap on the message did something (screen $(st screen))"
# 4. a poor rating asks for reasons before it is queued
click rate-2
[ "$(st rating_step)" = "reasons" ] || fail "不满意 did not ask for reasons"
r=$(region rate-submit) && [ "${r##* }" = 0 ] || fail "a poor rating can be submitted without a reason"
click reason-0
click reason-4
click rate-submit
wait_screen case
Q="$T/state.d/ratings-queue.jsonl"
[ -f "$Q" ] || fail "no rating queue file"
[ "$(stat -c %a "$Q")" = 600 ] || fail "the rating queue is mode $(stat -c %a "$Q"), not 600"
/usr/bin/python3 - "$Q" "$NUM" <<'PY' || fail "the queued rating is wrong: $(cat "$Q")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r["case"] == sys.argv[2] and r["level"] == 2 and r["label"] == "不满意", r
assert len(r["reasons"]) == 2 and r["reason_ids"] == [1, 5], r
assert r["time"][:4] >= "2026", r
PY
for _ in $(seq 120); do [ -z "$(st message)" ] && break; sleep 0.1; done
[ -z "$(st message)" ] || fail "the thank-you message did not go by itself"
# 5. one rating per case on this terminal: a second print does not ask again
P1=$(prints)
click print-progress
wait_prints $((P1 + 1))
sleep 1
[ "$(st screen)" = "case" ] || fail "the rated case was offered a second rating ($(st screen))"
[ "$(wc -l <"$Q")" = 1 ] || fail "a second rating was queued"
# 6. 退出程序 asks first
click home
wait_screen home
xdotool mousemove 60 40 mousedown 1 sleep 3.4 mouseup 1
wait_screen pin 5
for d in 2 5 8 0; do click "pin-$d"; done
click pin-k
wait_screen maint
click maint-exit
[ "$(st confirm_exit)" = "True" ] || fail "退出程序 did not ask"
kill -0 $APP_PID || fail "the app exited without confirmation"
click exit-cancel
[ "$(st confirm_exit)" = "False" ] && kill -0 $APP_PID || fail "cancel did not keep the app"
click maint-exit
click exit-confirm
for _ in $(seq 50); do kill -0 $APP_PID 2>/dev/null || break; sleep 0.1; done
kill -0 $APP_PID 2>/dev/null && fail "the app did not exit after the confirmation"
wait $APP_PID
rc=$?
[ $rc -eq 0 ] || fail "kiosk-app exited with $rc"
echo "e2e flows: all steps passed"
exit 0
