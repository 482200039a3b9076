#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end: the printer's connection drops (the emulator is killed)
# and comes back (restarted on the same port). Printing is disabled with the
# plain reason while it is gone and re-enabled within 5 s of its return, with
# no restart of the app; the next checklist prints.
# Usage: e2e_app_printer_return.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-prn.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
PORT=$(free_port)
mkdir -p "$T/receipts"
start_sim printer printer --tcp "$PORT" --out "$T/receipts"
cat >"$T/conf" <<EOC
printer = $(head -n1 "$T/printer.out")
data_dir = $DATA
state_dir = $T/state.d
idle_warn_s = 120
tts = off
EOC
start_app
wait_state printer 正常 10
click guides
click key-B; click key-D; click key-C
click hit-0
wait_state screen guide
enabled print-checklist || fail "printing disabled with the printer ready"

# the printer goes away
kill "$SIM_PID_printer"; wait "$SIM_PID_printer" 2>/dev/null
for _ in $(seq 150); do enabled print-checklist || break; sleep 0.1; done
enabled print-checklist && fail "printing still enabled 15 s after the printer went away"
case "$(st printer)" in 打印机*) ;; *) fail "no plain reason shown: '$(st printer)'" ;; esac

# … and comes back on the same address
start_sim printer printer --tcp "$PORT" --out "$T/receipts"
t0=$(date +%s%N)
for _ in $(seq 100); do enabled print-checklist && break; sleep 0.1; done
enabled print-checklist || fail "printing not re-enabled 10 s after the printer came back ($(st printer))"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "printing re-enabled $ms ms after the printer came back"
[ "$ms" -le 5000 ] || fail "printing re-enabled after $ms ms (> 5 s)"
click print-checklist
for _ in $(seq 150); do ls "$T"/receipts/*.png >/dev/null 2>&1 && break; sleep 0.1; done
ls "$T"/receipts/*.png >/dev/null 2>&1 || fail "nothing printed after the printer came back"
wait_state prints_ok 1 15
stop_app
echo "e2e printer return: disabled while gone, re-enabled in $ms ms, printed"
