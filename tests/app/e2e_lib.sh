# SPDX-License-Identifier: LGPL-2.1-or-later
# Shared pieces of kiosk-app's end-to-end tests (sourced): an Xvfb display, the
# emulators, the app with its layout/state files, clicks by widget id through
# xdotool. The caller sets APP, SIM, DATA and T (a temporary folder) first.
# shellcheck shell=bash

PIDS=()
e2e_cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	if [ -n "${E2E_KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap e2e_cleanup EXIT
fail() {
	echo "FAIL: $*"
	echo "--- app log"; tail -30 "$T/app.err" 2>/dev/null
	echo "--- state"; cat "$T/state" 2>/dev/null
	exit 1
}
need() { # PROGRAM… — skip (77) when one is missing
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 || { echo "skip: $p not installed"; exit 77; }
	done
}

start_x() {
	Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>"$T/xvfb.err" &
	PIDS+=($!)
	local _
	for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
	[ -s "$T/display" ] || { echo "skip: Xvfb did not start"; exit 77; }
	export DISPLAY=":$(cat "$T/display")"
}

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_sim NAME ARGS… — an emulator in the background; its URI in $T/NAME.out
start_sim() {
	local n=$1 _
	shift
	rm -f "$T/$n.out"
	"$SIM" "$@" >"$T/$n.out" 2>>"$T/$n.err" &
	PIDS+=($!)
	eval "SIM_PID_$n=$!"
	for _ in $(seq 100); do [ -s "$T/$n.out" ] && break; sleep 0.1; done
	[ -s "$T/$n.out" ] || fail "emulator $n did not start"
}

# start_app [ARGS…] — kiosk-app on $T/conf; APP_PID set
start_app() {
	rm -f "$T/state" "$T/layout"
	LSAN_OPTIONS="suppressions=$(dirname "${BASH_SOURCE[0]}")/lsan.supp:print_suppressions=0" \
		KIOSK_APP_TRACE=1 KIOSK_APP_LAYOUT="$T/layout" KIOSK_APP_STATE="$T/state" \
		"$APP" --config "$T/conf" "$@" >>"$T/app.out" 2>>"$T/app.err" &
	APP_PID=$!
	PIDS+=($APP_PID)
	local _
	for _ in $(seq 200); do [ -s "$T/layout" ] && return 0; sleep 0.05; done
	fail "the app drew no frame"
}

stop_app() { # a clean exit on SIGTERM
	kill -TERM "$APP_PID"
	wait "$APP_PID"
	local rc=$?
	[ $rc -eq 0 ] || fail "kiosk-app exited with $rc on SIGTERM"
}

st() { /usr/bin/python3 -c "import json; print(json.load(open('$T/state'))['$1'])" 2>/dev/null; }

wait_state() { # KEY VALUE [TIMEOUT_S]
	local _
	for _ in $(seq $((${3:-15} * 10))); do
		[ "$(st "$1")" = "$2" ] && return 0
		kill -0 "$APP_PID" 2>/dev/null || fail "the app exited"
		sleep 0.1
	done
	fail "$1 did not become '$2' (is '$(st "$1")')"
}

region() { # ID → "x y enabled(yes|no)"
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

enabled() { local r; r=$(region "$1") && [ "${r##* }" = yes ]; }

click() { # ID — waits for the enabled widget, clicks its centre
	local r="" _
	for _ in $(seq 50); do
		r=$(region "$1") && [ "${r##* }" = yes ] && break
		r=""
		sleep 0.1
	done
	[ -n "$r" ] || fail "no enabled widget '$1' on screen $(st screen)"
	set -- $r
	xdotool mousemove "$1" "$2" sleep 0.05 click 1
	sleep 0.25
}

click_xy() { xdotool mousemove "$1" "$2" sleep 0.05 click 1; sleep 0.3; }

long_press_corner() { # the hidden maintenance entry (3 s on the top-left corner)
	xdotool mousemove 60 40 mousedown 1
	sleep 3.4
	xdotool mouseup 1
	sleep 0.3
}

type_pin() { # DIGITS then OK
	local d
	for d in $(echo "$1" | grep -o .); do click "pin-$d"; done
	click pin-k
}
