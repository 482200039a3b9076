#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A compressed day (not a test): the real kiosk-app under Xvfb through many
# visitor sessions — guide search and checklist print, progress by keypad, QR
# and ID card with progress print and rating, idle reset — while a fault
# script kills and restarts the printer emulator, runs paper out and back,
# lifts cards mid-read and takes the HTTP backend down and up. Prints sessions
# completed, app restarts, receipts requested / printed complete / partial /
# glued, RSS at start and end, glyph cache size and p99 tap-to-frame latency.
# Usage: tests/bench/soak_app.sh [SESSIONS] [BUILD_DIR]
#        (SESSIONS default $SOAK_SESSIONS or 2000; SOAK_FAULT_EVERY seconds, default 15)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-${SOAK_SESSIONS:-2000}}"
B="${2:-${KIOSK_BUILD_DIR:-$ROOT/build}}"
APP="$B/examples/kiosk-app/kiosk-app"
SIM="$B/hw/sim/kiosk-sim"
[ -x "$APP" ] && [ -x "$SIM" ] || { echo "soak_app: build kiosk-app and kiosk-sim in $B first"; exit 0; }
command -v Xvfb >/dev/null || { echo "soak_app: Xvfb is not installed (tests/deps.sh)"; exit 0; }
T=$(mktemp -d /tmp/kapp-soak.XXXXXX)
XPID=""
cleanup() { [ -n "$XPID" ] && kill "$XPID" 2>/dev/null && wait "$XPID" 2>/dev/null; if [ -n "${SOAK_KEEP:-}" ]; then echo "soak_app: kept $T"; else rm -rf "$T"; fi; }
trap cleanup EXIT
Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>/dev/null &
XPID=$!
for _ in $(seq 100); do [ -s "$T/display" ] && break; sleep 0.1; done
[ -s "$T/display" ] || { echo "soak_app: Xvfb did not start"; exit 0; }
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo "== kiosk-app compressed day: $N sessions ($(nproc) cores, $(date -u '+%F %H:%M'))"
/usr/bin/python3 "$ROOT/tests/bench/soak_app.py" --app "$APP" --sim "$SIM" \
	--data "$ROOT/examples/kiosk-app/data" --display ":$(cat "$T/display")" --tmp "$T" \
	--sessions "$N" --fault-every "${SOAK_FAULT_EVERY:-15}" \
	--printer-port "$(port)" --backend-port "$(port)" ${SOAK_VERBOSE:+-v}
