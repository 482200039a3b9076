#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kiosk-app demo: builds libkiosk, starts emulated devices (kiosk-sim: an
# ID-card reader with a synthetic card, a receipt printer whose receipts land
# as PNG files in out/receipts, a QR scanner) and runs kiosk-app on them with
# its embedded demo data.
#   - with a display ($DISPLAY or $WAYLAND_DISPLAY): a window you can touch;
#     type case numbers into the scanner by typing lines in this terminal.
#   - without one: a scripted headless tour writing screenshots of every
#     screen to out/screens and the printed receipts to out/receipts.
# Usage: bash examples/kiosk-app/demo.sh [--tour] [--landscape]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${KIOSK_DEMO_OUT:-$ROOT/out}"
BUILD="${KIOSK_DEMO_BUILD:-$ROOT/build}"
TOUR=0
EXTRA=()
for a in "$@"; do
	case "$a" in
	--tour) TOUR=1 ;;
	--landscape | --portrait | --large) EXTRA+=("$a") ;;
	*) echo "usage: demo.sh [--tour] [--landscape|--portrait] [--large]" >&2; exit 2 ;;
	esac
done
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	TOUR=1
fi

bash tests/deps.sh
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j2 --target kiosk-app kiosk-sim

mkdir -p "$OUT/receipts" "$OUT/screens"
rm -rf "$OUT/tour-state" # the tour's ratings and its (deliberately skewed) calibration
rm -f "$OUT"/receipts/*.png "$OUT"/screens/*.png
SIM="$BUILD/hw/sim/kiosk-sim"
APP="$BUILD/examples/kiosk-app/kiosk-app"
RUN="$(mktemp -d /tmp/kiosk-demo.XXXXXX)"
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$RUN"
}
trap cleanup EXIT

# start_sim NAME VAR ARGS… — starts kiosk-sim (in this shell, so cleanup can
# stop it), waits for the URI on its first stdout line and stores it in VAR
# (and its pid in VAR_PID)
start_sim() {
	local name=$1 var=$2
	shift 2
	"$SIM" "$@" >"$RUN/$name.out" 2>"$RUN/$name.err" &
	PIDS+=($!)
	printf -v "${var}_PID" '%s' "$!"
	for _ in $(seq 1 100); do
		if [ -s "$RUN/$name.out" ]; then
			printf -v "$var" '%s' "$(head -n1 "$RUN/$name.out")"
			return 0
		fi
		sleep 0.1
	done
	echo "demo: kiosk-sim $name did not start:" >&2
	cat "$RUN/$name.err" >&2
	return 1
}

start_sim idcard IDCARD idcard --pty --card resident --remove-after 4000
start_sim printer PRINTER printer --tcp 0 --out "$OUT/receipts"
# the scanner scans each line written to this FIFO (the tour or your terminal)
mkfifo "$RUN/scan"
"$SIM" scanner --pty --stdin <"$RUN/scan" >"$RUN/scanner.out" 2>"$RUN/scanner.err" &
PIDS+=($!)
exec 9>"$RUN/scan"
for _ in $(seq 1 100); do [ -s "$RUN/scanner.out" ] && break; sleep 0.1; done
SCANNER=$(head -n1 "$RUN/scanner.out")
echo "demo: reader  $IDCARD"
echo "demo: printer $PRINTER (receipts → $OUT/receipts)"
echo "demo: scanner $SCANNER"

cat >"$RUN/kiosk-app.conf" <<EOF
idcard = $IDCARD
printer = $PRINTER
scanner = $SCANNER
state_dir = $OUT/$([ "$TOUR" = 1 ] && echo tour-state || echo state)
EOF
# the demo's maintenance PIN 2580, hashed as a hall would (there is no default PIN)
echo 2580 | "$APP" --hash-pin >>"$RUN/kiosk-app.conf"

if [ "$TOUR" = 1 ]; then
	echo "demo: no display — running the headless tour (SDL offscreen)"
	KIOSK_APP_TOUR_SCAN="$RUN/scan" "$APP" --config "$RUN/kiosk-app.conf" --tour --out "$OUT" "${EXTRA[@]}"
	echo "demo: screenshots:"
	ls -1 "$OUT"/screens/*.png
	echo "demo: receipts:"
	ls -1 "$OUT"/receipts/*.png 2>/dev/null || echo "  (none)"
else
	echo "demo: starting kiosk-app in a window. Long-press the top-left corner 3 s for"
	echo "      maintenance (PIN 2580). Type a case number here + Enter to 'scan' it;"
	echo "      type 'card' + Enter to place the synthetic ID card again (it is lifted"
	echo "      4 s after each read)."
	"$APP" --config "$RUN/kiosk-app.conf" --windowed --allow-close --out "$OUT" "${EXTRA[@]}" &
	APP_PID=$!
	PIDS+=($APP_PID)
	while kill -0 "$APP_PID" 2>/dev/null; do
		if read -r -t 1 line; then
			if [ "$line" = card ]; then
				kill -USR1 "$IDCARD_PID" # kiosk-sim idcard: place or lift the card
			else
				echo "$line" >&9
			fi
		fi
	done
fi
