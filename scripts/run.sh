#!/usr/bin/env bash
# Builds Canary with its UI embedded and launches it on the default workbook
# (the platform data directory; pass --workbook FILE or set CANARY_WORKBOOK for another).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
npm --prefix ui run build --silent
cargo build --release -p canary-app --features custom-protocol
exec "${CARGO_TARGET_DIR:-$root/target}/release/canary-app" "$@"
