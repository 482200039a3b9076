#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The test command (README): installs what is missing, then builds and runs
#   1. libFuzzer targets (clang, ASan+UBSan), each for a bounded time;
#   2. every C test under AddressSanitizer + UBSan;
#   3. the library's C tests under ThreadSanitizer (must report nothing; the
#      app, e2e and Python tests are left out: the same code runs in 2.);
#   4. the normal build: C tests, the ABI check against libkiosk/abi/, the
#      install-tree test, app end-to-end tests and the Python tests — its CTest summary is the last thing printed.
# Usage: bash tests/run.sh            (from the repository root)
# Env:   KIOSK_FUZZ_SECONDS (default 15), JOBS (default: nproc)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh

jobs=${JOBS:-$(nproc)}
fuzz_seconds=${KIOSK_FUZZ_SECONDS:-15}
log() { printf '\n=== %s ===\n' "$*"; }
# CTest re-runs a failed test once (timing-based emulator tests on a loaded
# machine), but a sanitizer report is never excused by a passing retry: the
# stage fails if its log holds one from any try.
no_sanitizer_report() {
	if grep -E -q 'ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|runtime error:' "$1"; then
		echo "tests/run.sh: a sanitizer reported an error (see above; a passing retry does not count)"
		return 1
	fi
}

log "fuzz build (clang, libFuzzer, ${fuzz_seconds}s per target)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DKIOSK_FUZZ=ON \
	-DKIOSK_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_all   # the app's parsers too (fuzz_app_*)
ctest --test-dir build-fuzz -L fuzz -j"$jobs" --output-on-failure

log "sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DKIOSK_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build-asan -j"$jobs" --output-on-failure --repeat until-pass:2 -LE 'fuzz|e2e' \
	2>&1 | tee build-asan/ctest.log
no_sanitizer_report build-asan/ctest.log

log "thread sanitizer build (TSan)"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_SANITIZE_THREAD=ON \
	-DKIOSK_BUILD_APP=OFF >/dev/null
cmake --build build-tsan -j"$jobs"
# Suppressions cover only uninstrumented third-party libraries (tests/tsan.supp).
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
	ctest --test-dir build-tsan -j"$jobs" --output-on-failure --repeat until-pass:2 -LE 'fuzz|e2e|python|package' \
	2>&1 | tee build-tsan/ctest.log
no_sanitizer_report build-tsan/ctest.log

log "normal build: all tests (the ABI check included)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build -j"$jobs" --output-on-failure --repeat until-pass:2 -LE fuzz
