#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The benchmark command (README): builds an optimised tree and runs every
# benchmark, printing its figures. Benchmarks are never part of the tests.
# Usage: bash tests/bench/run.sh [NAME-FILTER]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
filter=${1:-}
export KIOSK_BUILD_DIR=$PWD/build-bench KIOSK_SOURCE_DIR=$PWD
for b in build-bench/tests/bench/bench_*; do
	[ -x "$b" ] || continue
	case "$b" in *"$filter"*) ;; *) continue ;; esac
	printf '\n### %s\n' "$(basename "$b")"
	"$b"
done
for s in tests/bench/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	case "$s" in *"$filter"*) ;; *) continue ;; esac
	printf '\n### %s\n' "$(basename "$s")"
	bash "$s"
done
