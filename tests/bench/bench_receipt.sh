#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Side-by-side receipt benchmark: libkiosk's public API (bench_receipt, C) against three npm
# encoders (receipt_encoder.mjs: @point-of-sale/receipt-printer-encoder, escpos-buffer,
# @node-escpos/core, pinned in package-lock.json) building the same typical receipt, with
# native QR (GS ( k; node-escpos: its ESC Z) and with a GS v 0 raster QR.
# Before timing, every side's bytes are printed by kiosk-sim printer and compared with
# libkiosk's (receipt_same.py: text, codes read back by zbar, every dot above the QR): a peer
# that does not print the same is shown but left out of the ratios.
# Run by run.sh, or: KIOSK_BUILD_DIR=build-bench bash tests/bench/bench_receipt.sh
# npm unreachable or node missing → says so and still prints libkiosk's figures (exit 0).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${KIOSK_BUILD_DIR:-$here/../../build-bench}
bin=$build/tests/bench/bench_receipt
sim=$build/hw/sim/kiosk-sim
if [ ! -x "$bin" ] || [ ! -x "$sim" ]; then
	echo "bench_receipt.sh: $bin or $sim not built (run tests/bench/run.sh)" >&2
	exit 1
fi
peers="receipt-printer-encoder escpos-buffer node-escpos"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" --dump "$work" || { echo "bench_receipt --dump failed" >&2; exit 1; }
peer=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "peers: node/npm not installed: the npm encoders could not be run"
elif ! (cd "$here" && { cmp -s package-lock.json node_modules/.kiosk-lock 2>/dev/null ||
	{ timeout 300 npm ci --no-audit --no-fund --loglevel=error --fetch-retries=1 --fetch-timeout=30000 >/dev/null 2>&1 &&
	  cp package-lock.json node_modules/.kiosk-lock; }; }); then
	echo "peers: npm ci failed (registry unreachable?): the npm encoders could not be run"
elif ! (cd "$here" && node receipt_encoder.mjs --dump "$work"); then
	echo "peers: receipt_encoder.mjs failed: the npm encoders could not be run"
else
	same=$(python3 "$here/receipt_same.py" "$sim" "$work" $peers) || same=""
	peer=$(cd "$here" && node receipt_encoder.mjs) || { echo "peers: receipt_encoder.mjs failed"; peer=""; }
fi
ours=$("$bin" --machine) || { echo "bench_receipt failed" >&2; exit 1; }

printf '\nTypical receipt: header, 20 item lines, Chinese paragraph, QR (module 6, M), partial cut; 80 mm\n'
printf 'Every side printed by kiosk-sim printer first: "same" = same text, codes and dots as libkiosk.\n\n'
printf '%-10s %-24s %12s %8s %9s %11s  %s\n' variant side "us/receipt" bytes "libkiosk" "bytes ratio" "prints"
printf -- '---------- ------------------------ ------------ -------- --------- -----------  ------\n'
while read -r variant us bytes; do
	printf '%-10s %-24s %12.2f %8d %9s %11s  %s\n' "$variant" "libkiosk (public API)" "$us" "$bytes" "1.0x" "1.000" "-"
	best=""
	for p in $peers; do
		pl=$(printf '%s\n' "$peer" | awk -v n="$p" -v v="$variant" '$1 == n && $2 == v {print $3, $4}')
		[ -n "$pl" ] || continue
		read -r pus pbytes <<<"$pl"
		ok=$(printf '%s\n' "$same" | awk -v n="$p" -v v="$variant" '$1 == n && $2 == v {$1 = ""; $2 = ""; sub(/^ +/, ""); print}')
		awk -v n="$p" -v v="$variant" -v us="$us" -v b="$bytes" -v pus="$pus" -v pb="$pbytes" -v ok="${ok:-unchecked}" 'BEGIN {
			printf "%-10s %-24s %12.2f %8d %8.1fx %11.3f  %s\n", v, n, pus, pb, pus / us, b / pb, ok }'
		if [ "$ok" = same ]; then
			best=$(printf '%s\n%s %s %s\n' "$best" "$pus" "$pbytes" "$p" | sort -n | sed '/^$/d' | head -1)
		fi
	done
	if [ -n "$best" ]; then
		read -r bus bbytes bname <<<"$best"
		awk -v v="$variant" -v us="$us" -v b="$bytes" -v bus="$bus" -v bb="$bbytes" -v bn="$bname" 'BEGIN {
			printf "%-10s => libkiosk is %.1fx faster than the fastest peer that prints the same (%s), bytes ratio %.3f\n\n", v, bus / us, bn, b / bb }'
	fi
done <<<"$ours"
printf '(us = microseconds per receipt to build and encode, mean over ~1 s; goal on native_qr: >= 10x the fastest same-printing peer, bytes ratio <= 1)\n'
exit 0
