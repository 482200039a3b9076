#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end: the app dies (kill -9) while a receipt is printing and
# the printer keeps what it already took; after the restart the next receipt
# must not be glued to that leftover. The emulator ignores DLE DC4 8 (as many
# clones do), runs out of paper part way into the first receipt (so the job is
# in flight, part of it held in the printer's buffer) and gets paper back 5 s
# later, when it prints the held tail. The emulator's pages (one per cut) are
# then checked: no page holds both the first receipt's tail and the second
# receipt.
# Usage: e2e_app_print_restart.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-restart.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
mkdir -p "$T/receipts"
# -v: the emulator logs the paper running out and the client hanging up
start_sim printer -v printer --tcp 0 --out "$T/receipts" --ignore-clear \
	--paper-out-after 500 --recover-after 5
cat >"$T/conf" <<EOC
printer = $(head -n1 "$T/printer.out")
data_dir = $DATA
state_dir = $T/state.d
idle_warn_s = 120
tts = off
EOC
MARKER=$T/state.d/print-in-flight
CODE1=113301000703203 # 不动产转移登记 (search BDC): the first receipt
start_app
wait_state printer 正常 10
click guides
click key-B; click key-D; click key-C
click hit-0
wait_state screen guide
click print-checklist

# the job is in flight: the paper ran out part way, nothing is cut yet
for _ in $(seq 100); do grep -q "paper out after" "$T/printer.err" && break; sleep 0.1; done
grep -q "paper out after" "$T/printer.err" || fail "the emulator's paper did not run out during the print"
[ -f "$MARKER" ] || fail "no $MARKER while a job is printing"
[ "$(stat -c %a "$MARKER")" = 600 ] || fail "$MARKER is not 0600"
grep -q "$CODE1" "$MARKER" && fail "the marker holds receipt content"
ls "$T"/receipts/*.png >/dev/null 2>&1 && fail "a page was cut before the app died"
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null
for _ in $(seq 50); do grep -q "client closed the connection" "$T/printer.err" && break; sleep 0.1; done

# restart: the paper comes back meanwhile and the held tail prints
start_app
grep -q "上次打印可能未完成" "$T/app.err" || fail "the interrupted print was not logged"
wait_state printer 正常 20
for _ in $(seq 100); do grep -q "printer: recovered" "$T/printer.err" && break; sleep 0.1; done
click guides
click key-S; click key-B; click key-K
click hit-0
wait_state screen guide
click print-checklist
wait_state prints_ok 1 30
stop_app

# the pages, in order; each cut ends one
/usr/bin/python3 - "$T/receipts" "$CODE1" <<'PY' || fail "pages: see above"
import glob, sys
pages = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1] + "/receipt-*.txt"))]
code1 = sys.argv[2]
head = "材料清单（一次性告知）"
foot = "自助服务终端"  # the last line of a checklist
for i, p in enumerate(pages, 1):
    print(f"--- page {i}\n{p.rstrip()}")
first = [i for i, p in enumerate(pages) if code1 in p]
if not first:
    sys.exit("the first receipt's start never printed: the test proves nothing")
for i in first:
    if pages[i].count(head) > 1:
        sys.exit(f"page {i + 1} holds the first receipt's tail glued to the next receipt")
    if foot in pages[i]:
        sys.exit("the first receipt printed in full: it was not cut off by the app's death")
if sum(p.count(head) for p in pages) != 2:
    sys.exit("expected the start of two receipts in the output")
last = pages[-1]
if head not in last or foot not in last or code1 in last:
    sys.exit("the second receipt is not whole on its own page")
print(f"{len(pages)} page(s); the cut-off receipt's tail is on a page of its own")
PY
for _ in $(seq 50); do [ -f "$MARKER" ] || break; sleep 0.1; done
[ -f "$MARKER" ] && fail "$MARKER left after the separated print completed"
echo "e2e print restart: the tail of the print cut off by kill -9 is separated from the next receipt"
