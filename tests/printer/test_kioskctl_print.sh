#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kioskctl print / printer status against spawned kiosk-sim printers:
# exit codes and one-line causes.
set -u
KIOSKCTL=$1
SIM=$2
WORK=$(mktemp -d)
# a sanitizer report must not pass for an expected failure exit
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$WORK"
}
trap cleanup EXIT
fail=0
check() { # name expected-exit actual-exit
	if [ "$2" != "$3" ]; then echo "FAIL: $1: exit $3, want $2"; fail=1; else echo "ok: $1"; fi
	if grep -qE "runtime error|Sanitizer" "$WORK/e" 2>/dev/null; then
		echo "FAIL: $1: sanitizer report:"; cat "$WORK/e"; fail=1
	fi
}
contains() { # name file pattern
	if grep -q -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1: '$3' not in: $(cat "$2")"; fail=1; fi
}
start_sim() { # out-dir args… → sets URI
	local out=$1; shift
	"$SIM" printer --out "$out" "$@" > "$WORK/uri.$$" 2>> "$WORK/sim.err" &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$WORK/uri.$$" ] && break; sleep 0.05; done
	URI=$(head -1 "$WORK/uri.$$")
	rm -f "$WORK/uri.$$"
}

cat > "$WORK/r.json" <<'JSON'
{"items":[{"text":"受理回执","align":"center","bold":true,"size":2},
 {"text":"事项: 居住证签注"},{"columns":["办件编号","2026-000123"]},
 {"qr":"https://zwfw.example.gov.cn/case?no=2026-000123","module":6,"ecc":"M"},{"cut":"full"}]}
JSON
cat > "$WORK/bad.json" <<'JSON'
{"items":[{"text":"ok"},{"text":"big","size":12}]}
JSON

start_sim "$WORK/ok"
"$KIOSKCTL" print --device "$URI" "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "print ok" 0 $?
[ -f "$WORK/ok/receipt-0001.png" ] && echo "ok: page written" || { echo "FAIL: no page"; fail=1; }
"$KIOSKCTL" printer status --device "$URI" --json > "$WORK/o" 2> "$WORK/e"; check "status ok" 0 $?
contains "status json paper" "$WORK/o" '"paper":"ok"'
contains "status json cover" "$WORK/o" '"cover_open":false'
contains "status json online" "$WORK/o" '"online":true'
"$KIOSKCTL" print --device "$URI" "$WORK/bad.json" > "$WORK/o" 2> "$WORK/e"; check "bad document" 1 $?
contains "bad document cause" "$WORK/e" 'bad document'
contains "bad document path" "$WORK/e" 'items\[1\]'
[ "$(wc -l < "$WORK/e")" -eq 1 ] && echo "ok: one line" || { echo "FAIL: not one line"; fail=1; }
"$KIOSKCTL" print --device "$URI" > /dev/null 2>&1; check "usage" 2 $?

start_sim "$WORK/out" --paper-out
"$KIOSKCTL" print --device "$URI" --wait-paper 0.5 "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "paper out" 1 $?
contains "paper out cause" "$WORK/e" 'paper out'
"$KIOSKCTL" printer status --device "$URI" --json > "$WORK/o" 2>&1; check "status paper out" 0 $?
contains "status json out" "$WORK/o" '"paper":"out"'

start_sim "$WORK/cover" --cover-open
"$KIOSKCTL" print --device "$URI" --wait-paper 0.5 "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "cover open" 1 $?
contains "cover open cause" "$WORK/e" 'cover open'

start_sim "$WORK/offline" --offline
"$KIOSKCTL" print --device "$URI" --wait-paper 0.3 "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "offline" 1 $?
contains "offline cause" "$WORK/e" 'offline'
"$KIOSKCTL" printer status --device "$URI" --json > "$WORK/o" 2> "$WORK/e"; check "status offline" 0 $?
contains "status json offline" "$WORK/o" '"summary":"offline"'
contains "status json paper ok" "$WORK/o" '"paper":"ok"'

start_sim "$WORK/mid" --paper-out-after 200 --recover-after 1
"$KIOSKCTL" print --device "$URI" "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "paper out mid-job, recovered" 0 $?
sleep 0.2
[ "$(ls "$WORK/mid" | grep -c png)" -eq 1 ] && echo "ok: one copy" || { echo "FAIL: copies: $(ls "$WORK/mid")"; fail=1; }

start_sim "$WORK/mute" --no-status
"$KIOSKCTL" print --device "$URI?timeout_ms=300" "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "no status" 1 $?
contains "timeout cause" "$WORK/e" 'timeout'

"$KIOSKCTL" print --device tcp:127.0.0.1:1 "$WORK/r.json" > "$WORK/o" 2> "$WORK/e"; check "nobody there" 1 $?
# USB: a scripted umockdev printer answering one status query
if command -v umockdev-run > /dev/null && [ -z "${KIOSK_TEST_NO_UMOCKDEV:-}" ]; then
	"$SIM" printer --usb "$WORK/usb" --cover-open > "$WORK/o" 2> /dev/null; check "sim --usb" 0 $?
	contains "sim --usb uri" "$WORK/o" 'usb:0416:5011'
	umockdev-run -d "$WORK/usb/device.umockdev" -i "/dev/bus/usb/001/002=$WORK/usb/device.ioctl" -- \
		"$KIOSKCTL" printer status --device usb:0416:5011 --json > "$WORK/o" 2> "$WORK/e"
	check "usb status" 0 $?
	contains "usb status cover" "$WORK/o" '"cover_open":true'
	contains "usb status profile" "$WORK/o" '"profile":"generic-80mm"'
else
	echo "skip: umockdev-run not available"
fi
# the emulators stop cleanly (and leak-free under ASan) on SIGTERM
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p"; rc=$?; [ $rc -eq 0 ] || { echo "FAIL: kiosk-sim exit $rc"; fail=1; }; done
pids=()
if grep -qE "runtime error|Sanitizer" "$WORK/sim.err" 2>/dev/null; then
	echo "FAIL: kiosk-sim sanitizer report:"; cat "$WORK/sim.err"; fail=1
fi
exit $fail
