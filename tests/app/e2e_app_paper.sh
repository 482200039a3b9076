#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end under Xvfb: a printer out of paper disables printing with
# the plain reason (纸张用尽，请联系工作人员) while guide lookup keeps working;
# no reader and no scanner configured is not fatal either.
# Usage: e2e_app_paper.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
for p in Xvfb xdotool /usr/bin/python3; do
	command -v "$p" >/dev/null 2>&1 || { echo "skip: $p not installed"; exit 77; }
done
T=$(mktemp -d /tmp/kapp-e2e-paper.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -20 "$T/app.err"; cat "$T/state" 2>/dev/null; exit 1; }
Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
[ -s "$T/display" ] || { echo "skip: Xvfb did not start"; exit 77; }
export DISPLAY=":$(cat "$T/display")"
"$SIM" printer --tcp 0 --paper-out >"$T/printer.out" 2>"$T/printer.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$T/printer.out" ] && break; sleep 0.1; done
cat >"$T/conf" <<EOC
printer = $(head -n1 "$T/printer.out")
data_dir = $DATA
state_dir = $T/state.d
tts = off
EOC
LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0" \
	KIOSK_APP_LAYOUT="$T/layout" KIOSK_APP_STATE="$T/state" "$APP" --config "$T/conf" >"$T/app.out" 2>"$T/app.err" &
APP_PID=$!
PIDS+=($APP_PID)
st() { /usr/bin/python3 -c "import json; print(json.load(open('$T/state'))['$1'])" 2>/dev/null; }
region() { # ID → "x y enabled"
	/usr/bin/python3 - "$T/layout" "$1" <<'PY'
import json, sys
try:
    lay = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
for r in lay["regions"]:
    if r["id"] == sys.argv[2]:
        print(r["x"] + r["w"] // 2, r["y"] + r["h"] // 2, "yes" if r["enabled"] else "no")
        sys.exit(0)
sys.exit(1)
PY
}
click() {
	local r=""
	for _ in $(seq 50); do r=$(region "$1") && break; sleep 0.1; done
	[ -n "$r" ] || fail "no widget $1"
	set -- $r
	xdotool mousemove "$1" "$2" sleep 0.05 click 1
	sleep 0.3
}
# the status poll reports the paper state within a few seconds
for _ in $(seq 150); do [ "$(st printer)" = "纸张用尽，请联系工作人员" ] && break; sleep 0.1; done
[ "$(st printer)" = "纸张用尽，请联系工作人员" ] || fail "printer state: '$(st printer)'"
click guides
click key-S; click key-B; click key-K
[ "$(st hits)" -ge 1 ] || fail "search found nothing"
click hit-0
[ "$(st screen)" = "guide" ] || fail "no guide page"
sleep 0.3
r=$(region print-checklist) || fail "no print button"
[ "${r##* }" = "no" ] || fail "printing is not disabled with the paper out"
click home
kill -TERM $APP_PID
wait $APP_PID || fail "kiosk-app exited with $?"
echo "e2e paper-out: printing disabled with the reason, lookup works"
