#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fleet scale benchmark (tests/bench/fleet_scale.py): N = 100, 1,000 and
# 5,000 simulated terminals against one loopback Mosquitto. Arguments go to
# the script, e.g. --kiosks 200,2000 --churn-ms 5000 --duration 60.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 tests/bench/fleet_scale.py "$@"
