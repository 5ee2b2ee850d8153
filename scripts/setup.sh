#!/usr/bin/env bash
# Installs what building and testing Canary needs on a fresh Debian/Ubuntu machine.
# Idempotent: installs only what is missing. Used by scripts/run.sh and scripts/test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf 'setup: %s\n' "$*" >&2; }

sudo_() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Tauri (WebKitGTK), the real-window tests, the PDF checks, the fonts reports use
# (Noto for every script, Symbola for monochrome emoji), and the stock minisign tool
# that proves anyone can verify a signed report without Canary.
packages=(pkg-config build-essential file libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
  libayatana-appindicator3-dev libssl-dev libxdo-dev
  xvfb xauth webkit2gtk-driver poppler-utils qpdf fonts-noto-core fonts-noto-cjk fonts-symbola
  minisign)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  sudo_ apt-get -o DPkg::Lock::Timeout=600 update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { log "Rust is needed: install it with rustup (https://rustup.rs)"; exit 1; }
command -v npm >/dev/null || { log "Node.js 20+ and npm are needed"; exit 1; }

if [[ ! -d ui/node_modules || ui/package-lock.json -nt ui/node_modules/.package-lock.json ]]; then
  log "installing the UI's npm dependencies"
  npm --prefix ui ci --no-audit --no-fund --silent
fi
