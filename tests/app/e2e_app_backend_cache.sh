#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# kiosk-app end to end with the http backend: the guide catalog is cached on
# disk (0600 in a 0700 folder); a backend that is dead at start-up shows the
# cached catalog at once (with the quiet "数据更新于 …" note) and is retried in
# the background until it answers; a backend that never answers holds no
# frame; plain http:// to a non-loopback host is refused.
# Usage: e2e_app_backend_cache.sh KIOSK_APP KIOSK_SIM DATA_DIR      (exit 77 = skipped)
set -uo pipefail
APP=$1 SIM=$2 DATA=$3
T=$(mktemp -d /tmp/kapp-e2e-cache.XXXXXX)
. "$(dirname "$0")/e2e_lib.sh"
need Xvfb xdotool /usr/bin/python3
start_x
HERE=$(dirname "$0")
PORT=$(free_port)
start_backend() { # [--mute]
	/usr/bin/python3 "$HERE/fake_backend.py" --data "$DATA" --port "$PORT" --token t0k "$@" >"$T/backend.out" 2>&1 &
	BACKEND_PID=$!
	PIDS+=($BACKEND_PID)
	for _ in $(seq 100); do grep -q ready "$T/backend.out" && return 0; sleep 0.1; done
	fail "the fake backend did not start"
}
stop_backend() { kill "$BACKEND_PID"; wait "$BACKEND_PID" 2>/dev/null; }
cat >"$T/conf" <<EOC
backend = http
http_url = http://127.0.0.1:$PORT/api
http_token = t0k
http_timeout_ms = 8000
catalog_refresh_s = 6
data_dir = $DATA
state_dir = $T/state.d
tts = off
EOC

# plain http to a host that is not loopback: refused with a clear error
sed "s|^http_url = .*|http_url = http://192.0.2.10/api|" "$T/conf" >"$T/conf.remote"
"$APP" --config "$T/conf.remote" >/dev/null 2>"$T/remote.err" && fail "http:// to a remote host was accepted"
grep -q "https://" "$T/remote.err" || fail "no clear error for http:// to a remote host: $(cat "$T/remote.err")"

# 1. a live backend: the catalog is fetched in the background and cached
start_backend
start_app
wait_state catalog live 15
[ "$(st guides)" = 67 ] || fail "expected 67 guides, got $(st guides)"
[ -s "$T/state.d/catalog-cache.json" ] || fail "no catalog cache written"
[ "$(stat -c %a "$T/state.d/catalog-cache.json")" = 600 ] || fail "the cache is not 0600"
[ "$(stat -c %a "$T/state.d")" = 700 ] || fail "state_dir is not 0700"
stop_app
stop_backend

# 2. the backend is dead at start: the cached catalog at once, search works
t0=$(date +%s%N)
start_app
ms=$((($(date +%s%N) - t0) / 1000000))
echo "first frame with a dead backend: $ms ms"
[ "$(st catalog)" = cache ] || fail "the cached catalog is not shown (catalog=$(st catalog))"
[ "$(st guides)" = 67 ] || fail "the cache holds $(st guides) guides"
click guides
click key-B; click key-D; click key-C
[ "$(st hits)" -ge 5 ] || fail "search on the cached catalog found $(st hits)"
# … and it comes back: the background retry picks it up (back-off ≤ 6 s here)
sleep 3
start_backend
wait_state catalog live 20
[ "$(st screen)" = guides ] || fail "the refresh moved the visitor away (screen $(st screen))"
[ "$(st hits)" -ge 5 ] || fail "the search was lost with the refresh"
stop_app
stop_backend

# 3. a backend that never answers: the first frame does not wait for it
start_backend --mute
t0=$(date +%s%N)
start_app
ms=$((($(date +%s%N) - t0) / 1000000))
echo "first frame with a backend that never answers: $ms ms"
[ "$ms" -lt 4000 ] || fail "the first frame waited $ms ms for the backend"
[ "$(st catalog)" = cache ] || fail "the cached catalog is not shown"
click progress
wait_state screen progress
stop_app # within its 8 s request: SIGTERM is not held by the hung backend either
stop_backend
echo "e2e backend cache: cached catalog at once, background refresh, nothing waits"
