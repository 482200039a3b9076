#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app benchmark: start to first frame, PSS on the home screen, idle CPU
# with the emulated devices polled, search latency per keystroke over a
# 10,000-guide catalog, frame time while scrolling a long guide (software
# rendering). Prints figures; goals (first frame ≤ 0.2 s, PSS ≤ 40 MB, idle
# CPU ≤ 1 %, search p99 ≤ 2 ms, frames p99 ≤ 16.7 ms) are reported, not asserted.
# Usage: tests/bench/bench_app.sh [BUILD_DIR]        (default: build)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
B="${1:-${KIOSK_BUILD_DIR:-$ROOT/build}}"
APP="$B/examples/kiosk-app/kiosk-app"
SIM="$B/hw/sim/kiosk-sim"
DATA="$ROOT/examples/kiosk-app/data"
[ -x "$APP" ] && [ -x "$SIM" ] || { echo "bench_app: build kiosk-app and kiosk-sim in $B first"; exit 0; }
T=$(mktemp -d /tmp/kapp-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
pct() { sort -n | awk '{v[NR]=$1} END {a=int(NR*0.5)+1; if (a>NR) a=NR; b=int(NR*0.99)+1; if (b>NR) b=NR; printf "p50=%.1f ms p99=%.1f ms (n=%d)", v[a], v[b], NR}'; }

echo "== kiosk-app benchmark ($(nproc) cores, $(date -u +%F))"
# 1. start to first frame (process start → first frame presented; offscreen, software)
for _ in $(seq 15); do
	KIOSK_APP_BENCH=1 SDL_VIDEODRIVER=offscreen "$APP" --data "$DATA" --exit-after-frames 1 2>/dev/null |
		awk '/first-frame-ms/ {print $2}'
done >"$T/ff"
echo "start to first frame (in-process, offscreen): $(pct <"$T/ff")"
for _ in $(seq 10); do
	s=$(date +%s%N)
	SDL_VIDEODRIVER=offscreen "$APP" --data "$DATA" --exit-after-frames 1 >/dev/null 2>&1
	echo "$(( ($(date +%s%N) - s) / 1000 ))" | awk '{print $1/1000}'
done >"$T/ff2"
echo "exec to exit after the first frame (wall): $(pct <"$T/ff2")"

# 2+3. PSS and idle CPU on the home screen with the emulated devices polled
DISP=""
if command -v Xvfb >/dev/null; then
	Xvfb -displayfd 5 -screen 0 1080x1920x24 -nolisten tcp 5>"$T/display" 2>/dev/null &
	PIDS+=($!)
	for _ in $(seq 50); do [ -s "$T/display" ] && break; sleep 0.1; done
	[ -s "$T/display" ] && DISP=":$(cat "$T/display")"
fi
"$SIM" idcard --pty --no-card >"$T/id" 2>/dev/null & PIDS+=($!)
"$SIM" printer --tcp 0 --out "$T" >"$T/pr" 2>/dev/null & PIDS+=($!)
mkfifo "$T/scan"
"$SIM" scanner --pty --stdin <"$T/scan" >"$T/sc" 2>/dev/null & PIDS+=($!)
exec 9>"$T/scan"
for _ in $(seq 50); do [ -s "$T/id" ] && [ -s "$T/pr" ] && [ -s "$T/sc" ] && break; sleep 0.1; done
cat >"$T/conf" <<EOC
idcard = $(head -n1 "$T/id")
printer = $(head -n1 "$T/pr")
scanner = $(head -n1 "$T/sc")
data_dir = $DATA
state_dir = $T/state
tts = off
EOC
if [ -n "$DISP" ]; then
	DISPLAY=$DISP "$APP" --config "$T/conf" >/dev/null 2>&1 &
	MODE="X11 (Xvfb), fullscreen 1080x1920"
else
	SDL_VIDEODRIVER=offscreen "$APP" --config "$T/conf" >/dev/null 2>&1 &
	MODE="SDL offscreen"
fi
APP_PID=$!
PIDS+=($APP_PID)
sleep 3
PSS=$(awk '/^Pss:/ {print $2}' "/proc/$APP_PID/smaps_rollup" 2>/dev/null)
RSS=$(awk '/^Rss:/ {print $2}' "/proc/$APP_PID/smaps_rollup" 2>/dev/null)
echo "PSS on the home screen ($MODE, devices open): $((PSS / 1024)).$(((PSS % 1024) * 10 / 1024)) MB (RSS $((RSS / 1024)) MB)"
TCK=$(getconf CLK_TCK)
read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$APP_PID/stat")
sleep 20
read -r u2 s2 < <(awk '{print $14, $15}' "/proc/$APP_PID/stat")
awk -v d=$(( (u2 + s2) - (u1 + s1) )) -v t="$TCK" 'BEGIN {printf "idle CPU over 20 s (reader watched every 300 ms, printer status every 2 s, scanner open): %.2f %% of a core\n", 100 * d / t / 20}'
kill "$APP_PID" 2>/dev/null

# 4. search per keystroke over 10,000 guides
/usr/bin/python3 "$ROOT/examples/kiosk-app/tools/gen_demo_data.py" big "$T/big.json" 10000
"$APP" --bench-search "$T/big.json"
# 5. frame time while scrolling a long guide (draw + present; in an X window when Xvfb is there)
if [ -n "$DISP" ]; then
	echo "(scrolling in an X11 window on Xvfb, software renderer)"
	DISPLAY=$DISP "$APP" --data "$DATA" --bench-scroll
fi
echo "(scrolling with SDL offscreen, software renderer)"
SDL_VIDEODRIVER=offscreen "$APP" --data "$DATA" --bench-scroll
echo "goals: first frame <= 200 ms, PSS <= 40 MB, idle CPU <= 1 %, search p99 <= 2 ms, frame p99 <= 16.7 ms"
