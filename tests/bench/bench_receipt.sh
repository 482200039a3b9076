#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Side-by-side receipt benchmark: libkiosk (bench_receipt, C) against the npm
# encoder @point-of-sale/receipt-printer-encoder (receipt_encoder.mjs) building
# the same typical receipt, with native and with raster QR. Run by run.sh, or:
#   KIOSK_BUILD_DIR=build-bench bash tests/bench/bench_receipt.sh
# npm unreachable or node missing → says so and still prints libkiosk's figures (exit 0).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${KIOSK_BUILD_DIR:-$here/../../build-bench}
bin=$build/tests/bench/bench_receipt
if [ ! -x "$bin" ]; then
	echo "bench_receipt.sh: $bin not built (run tests/bench/run.sh)" >&2
	exit 1
fi
ours=$("$bin" --machine) || { echo "bench_receipt failed" >&2; exit 1; }

peer=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "peer: node/npm not installed: the npm encoder could not be run"
elif ! (cd "$here" && { [ -d node_modules/@point-of-sale/receipt-printer-encoder ] && [ -d node_modules/iconv-lite ] && [ -d node_modules/qrcode ] ||
	timeout 180 npm install --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=30000 >/dev/null 2>&1; }); then
	echo "peer: npm install failed (registry unreachable?): the npm encoder could not be run"
else
	peer=$(cd "$here" && node receipt_encoder.mjs) || { echo "peer: receipt_encoder.mjs failed: the npm encoder could not be run"; peer=""; }
fi

printf '\nTypical receipt: header, 20 item lines, Chinese paragraph, QR (module 6, M), partial cut; 80 mm\n'
printf '%-10s | %14s %10s | %14s %10s | %9s %11s\n' variant "libkiosk us" bytes "npm-enc us" bytes speedup "bytes ratio"
printf -- '-----------+---------------------------+---------------------------+----------------------\n'
while read -r name us bytes; do
	pl=$(printf '%s\n' "$peer" | awk -v n="$name" '$1 == n {print $2, $3}')
	if [ -n "$pl" ]; then
		read -r pus pbytes <<<"$pl"
		awk -v n="$name" -v us="$us" -v b="$bytes" -v pus="$pus" -v pb="$pbytes" 'BEGIN {
			printf "%-10s | %14.2f %10d | %14.2f %10d | %8.1fx %11.3f\n", n, us, b, pus, pb, pus / us, b / pb }'
	else
		printf '%-10s | %14.2f %10d | %14s %10s | %9s %11s\n' "$name" "$us" "$bytes" "-" "-" "-" "-"
	fi
done <<<"$ours"
printf '(us = microseconds per receipt to build and encode, mean over ~1 s; goal: speedup >= 10x, bytes ratio <= 1)\n'
exit 0
