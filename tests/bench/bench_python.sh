#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Python binding figures (tests/python/bench_python.py): ctypes call overhead,
# event throughput, card decoding, receipt preview, emulator round trips.
# Run by run.sh, or: KIOSK_BUILD_DIR=build-bench bash tests/bench/bench_python.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${KIOSK_BUILD_DIR:-$root/build-bench}
export LIBKIOSK_LIBRARY=$build/libkiosk/libkiosk.so.0 KIOSK_SIM=$build/hw/sim/kiosk-sim
export PYTHONDONTWRITEBYTECODE=1
for f in "$LIBKIOSK_LIBRARY" "$KIOSK_SIM"; do
	[ -e "$f" ] || { echo "bench_python.sh: $f not built (run tests/bench/run.sh)" >&2; exit 1; }
done
exec /usr/bin/python3 "$root/tests/python/bench_python.py"
