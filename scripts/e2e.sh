#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds canary-app with the UI
# embedded, runs it under Xvfb behind tauri-driver (WebKitWebDriver) and drives
# it with the node:test suite in tests/e2e. Exits with the suite's status.
# Screenshots and logs land in target/e2e/. E2E_ONLY="07-long-lists.test.js ..."
# runs only the named files of tests/e2e.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf 'e2e: %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
# apt packages and the UI's npm dependencies: the same set-up as every other command.
bash "$root/scripts/setup.sh"
if ! command -v tauri-driver >/dev/null; then
  log "installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi

# --- build ---------------------------------------------------------------------
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="$root/target/e2e"
mkdir -p "$out/bin"
rm -f "$out"/*.png "$out/timing.json" "$out/attestation.pdf" "$out/tests.tap"

(cd tests/e2e && npm ci --no-audit --no-fund --silent)
if [[ -z "${CANARY_UI_BUILT:-}" ]]; then
  log "building the UI"
  npm --prefix ui run build --silent
fi
log "building canary-app with the UI embedded, and the canary CLI"
# The same command and features as scripts/test.sh's Rust tests, so after them
# this builds nothing: `cargo build` alone resolves features without the
# dev-dependencies and would compile most of the tree a second time.
cargo test --workspace --locked --no-run --features canary-app/custom-protocol
# Private links, so another build of canary-app (without the embedded UI)
# cannot swap the binary under the running tests: rustc writes a new file, the
# link keeps the one tested (a copy where links can't go; copies cost CI 180 MB).
# The CLI reads the workbook files back to check what the UI wrote.
for bin in canary-app canary; do
  ln -f "$target_dir/debug/$bin" "$out/bin/$bin" 2>/dev/null || cp "$target_dir/debug/$bin" "$out/bin/"
done

# --- run -------------------------------------------------------------------------
work=$(mktemp -d -t canary-e2e.XXXXXX)
xvfb_pid= driver_pid=
cleanup() {
  local status=$?
  if [[ -n "$driver_pid" ]]; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [[ -n "$xvfb_pid" ]]; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  # The last app window may still be flushing its caches into $work.
  for _ in 1 2 3 4 5; do rm -rf "$work" 2>/dev/null && break; sleep 1; done
  exit "$status"
}
trap cleanup EXIT INT TERM

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp 3>"$work/display" 2>"$out/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
[[ -s "$work/display" ]] || { log "Xvfb did not start"; cat "$out/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(cat "$work/display")"

# The app's settings, recent list and WebKit caches stay inside this run.
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
export TMPDIR="$work"
# The developer's own identity, key and workbook must not reach the app under test.
unset CANARY_HOME CANARY_AS CANARY_PASSPHRASE CANARY_WORKBOOK CANARY_CATALOGUE
# Before a profile is set the app records changes under the login name.
export USER="${USER:-canary-e2e}"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port)
native_port=$(free_port)
while [[ "$native_port" == "$port" ]]; do native_port=$(free_port); done
tauri-driver --port "$port" --native-port "$native_port" >"$out/tauri-driver.log" 2>&1 &
driver_pid=$!
log "Xvfb on $DISPLAY, tauri-driver on 127.0.0.1:$port"

set +e
(
  cd tests/e2e
  E2E_DRIVER_URL="http://127.0.0.1:$port" E2E_APP="$out/bin/canary-app" E2E_CLI="$out/bin/canary" E2E_SHOT_DIR="$out" \
    node --test --test-concurrency=1 ${E2E_ONLY:-}
) | tee "$out/tests.tap"
status=${PIPESTATUS[0]}
set -e
grep -h "dashboard interactive" "$out/tauri-driver.log" | sed 's/^/e2e: app says: /' >&2 || true
# The app's stderr lands in the driver's log: a panic there fails the run even
# if the screens looked right, and counts as one more failed test.
panics=0
if grep -q "panicked at" "$out/tauri-driver.log"; then
  panics=1
  log "the app panicked:"
  grep -A3 "panicked at" "$out/tauri-driver.log" >&2
  [[ "$status" -ne 0 ]] || status=1
fi
log "screenshots and logs in $out"
# The suite's totals again as the last line, so they close the output.
count() { awk -v k="$1" '$1 == "#" && $2 == k { n = $3 } END { print n + 0 }' "$out/tests.tap"; }
echo "e2e: $(count pass) passed, $(($(count fail) + panics)) failed, $(count skipped) skipped"
exit "$status"
