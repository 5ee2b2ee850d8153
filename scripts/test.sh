#!/usr/bin/env bash
# Runs every test: formatting, lints, Rust unit/integration tests (real SQLite files,
# real PDFs read back with poppler and qpdf), stale TypeScript bindings, UI unit tests,
# benchmarks compiled, and the end-to-end suite in the real app window under Xvfb.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
# Incremental caches only pay off across edits; on a fresh CI machine they cost
# gigabytes of disk, which has run out there before.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Each step prints the seconds since the start, so a CI log shows where the time went.
step() { printf '\n== %s (at %ss)\n' "$*" "$SECONDS"; }
# Free space, printed at the start and at the end whatever happens: CI has run out before.
disk() {
  df -Pk "${CARGO_TARGET_DIR:-$root/target}" 2>/dev/null |
    awk 'NR == 2 { printf "disk: %.1f GiB free\n", $4 / 1048576 }' || true
}
mkdir -p "${CARGO_TARGET_DIR:-$root/target}"
disk
trap 'disk; printf "total: %ss\\n" "$SECONDS"' EXIT

step "rustfmt"
cargo fmt --all -- --check

# One feature set for every cargo step, the end-to-end build included (the app
# with its UI embedded): a second set would compile most dependencies twice,
# which once cost CI two and a half minutes and a gigabyte of target/.
features=(--features canary-app/custom-protocol)
step "UI bundle (embedded in the app by the builds below)"
npm --prefix ui run build --silent
export CANARY_UI_BUILT=1

step "clippy"
cargo clippy --workspace --all-targets --locked "${features[@]}" -- -D warnings

step "Rust tests"
cargo test --workspace --locked "${features[@]}"

step "TypeScript bindings are up to date"
git diff --exit-code -- ui/src/lib/bindings || {
  echo "ui/src/lib/bindings is stale: run 'cargo test --workspace' and commit the result" >&2
  exit 1
}
untracked=$(git ls-files --others --exclude-standard -- ui/src/lib/bindings)
[[ -z "$untracked" ]] || { echo "new bindings not committed: $untracked" >&2; exit 1; }

step "UI checks and unit tests"
npm --prefix ui run check --silent
npm --prefix ui test --silent

step "end-to-end (real app, tauri-driver, Xvfb)"
disk
bash scripts/e2e.sh
