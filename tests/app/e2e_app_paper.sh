#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end under Xvfb: a printer out of paper disables printing with
# the plain reason (纸张用尽，请联系工作人员) while guide lookup keeps working;
# no reader and no scanner configured is not fatal either.
# Usage: e2e_app_paper.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-paper.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
start_sim printer printer --tcp 0 --paper-out
cat >"$T/conf" <<EOC
printer = $(head -n1 "$T/printer.out")
data_dir = $DATA
state_dir = $T/state.d
tts = off
EOC
start_app
# the status poll reports the paper state within a few seconds
for _ in $(seq 150); do [ "$(st printer)" = "纸张用尽，请联系工作人员" ] && break; sleep 0.1; done
[ "$(st printer)" = "纸张用尽，请联系工作人员" ] || fail "printer state: '$(st printer)'"
click guides
click key-S; click key-B; click key-K
[ "$(st hits)" -ge 1 ] || fail "search found nothing"
click hit-0
[ "$(st screen)" = "guide" ] || fail "no guide page"
sleep 0.3
r=$(region print-checklist) || fail "no print button"
[ "${r##* }" = "no" ] || fail "printing is not disabled with the paper out"
click home
stop_app
echo "e2e paper-out: printing disabled with the reason, lookup works"
