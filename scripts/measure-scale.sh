#!/usr/bin/env bash
# The release app at scale: launches canary-app on a workbook of PRODUCTS
# products (made once with the CLI) under Xvfb, RUNS times, and prints for each
# run the time to an interactive dashboard (the app logs it) and the memory of
# the app and of its WebKit processes (RSS, and PSS from smaps_rollup, which
# shares each shared page out among the processes mapping it), then the medians.
#
#   npm --prefix ui run build
#   cargo build --release -p canary-app -p canary --features canary-app/custom-protocol
#   scripts/measure-scale.sh [PRODUCTS] [RUNS]        (default 1000 3)
#
# SETTLE (seconds, default 5) is how long after "dashboard interactive" the
# memory is read. Extra environment for the app can be given as usual
# (e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1 scripts/measure-scale.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target_dir="${CARGO_TARGET_DIR:-$root/target}"
app="${CANARY_APP:-$target_dir/release/canary-app}"
cli="${CANARY_CLI:-$target_dir/release/canary}"
products="${1:-1000}"
runs="${2:-3}"
settle="${SETTLE:-5}"

log() { printf 'measure: %s\n' "$*" >&2; }
[[ -x "$app" ]] || { log "no app at $app (build it, see the header)"; exit 1; }
[[ -x "$cli" ]] || { log "no CLI at $cli"; exit 1; }

# --- the workbook, made once per product count (delete it to make it again) ---
cache="$target_dir/scale"
workbook="$cache/products-$products.canary"
mkdir -p "$cache"
if [[ ! -s "$workbook" ]]; then
  log "making $workbook ($products products)"
  rm -f "$workbook" "$workbook.tmp"
  mk() { "$cli" --workbook "$workbook.tmp" "$@" >/dev/null; }
  mk init
  mk profile set --name "Sam Scale" --organisation "Scale Ltd" --role Tester
  # The first product is also assessed against ETSI EN 303 645, as in e2e test 07.
  mk product add --name "Scale Plug 0001" --model SC-0001 --manufacturer "Scale Ltd" \
    --framework uk-cop-2018 --framework etsi-en-303-645-v2.1.1
  for ((i = 2; i <= products; i++)); do
    n=$(printf '%04d' "$i")
    mk product add --name "Scale Plug $n" --model "SC-$n" --manufacturer "Scale Ltd"
  done
  mv "$workbook.tmp" "$workbook"
fi

# --- one run ----------------------------------------------------------------------
work=$(mktemp -d -t canary-scale.XXXXXX)
xvfb_pid= app_pid=
stop() {
  [[ -n "$app_pid" ]] && { kill -TERM "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; }
  [[ -n "$xvfb_pid" ]] && { kill -TERM "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
  app_pid= xvfb_pid=
}
cleanup() { stop; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# Every descendant of $1 (the WebKit processes are the app's children).
descendants() {
  local kids
  kids=$(ps -o pid= --ppid "$1" 2>/dev/null || true)
  for k in $kids; do echo "$k"; descendants "$k"; done
}
kib() { awk -v k="$2" '$1 == k":" { print $2; exit }' "$1" 2>/dev/null || true; }
mib() { awk -v k="${1:-0}" 'BEGIN { printf "%.0f", k / 1024 }'; }

# Prints: interactive_ms webview_ms web_rss web_pss app_rss app_pss other_rss (MiB)
run_once() {
  local n=$1 dir="$work/run$1"
  mkdir -p "$dir/config" "$dir/data" "$dir/cache"
  cp "$workbook" "$dir/scale.canary"
  : >"$dir/app.log"
  Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp 3>"$dir/display" >/dev/null 2>"$dir/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 100); do [[ -s "$dir/display" ]] && break; sleep 0.1; done
  [[ -s "$dir/display" ]] || { log "Xvfb did not start"; cat "$dir/xvfb.log" >&2; stop; exit 1; }
  DISPLAY=":$(cat "$dir/display")" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" \
    XDG_CACHE_HOME="$dir/cache" TMPDIR="$dir" USER="${USER:-canary-scale}" \
    "$app" --workbook "$dir/scale.canary" 2>"$dir/app.log" >/dev/null &
  app_pid=$!
  local line=
  for _ in $(seq 600); do
    line=$(grep -m1 "dashboard interactive.*in the webview)" "$dir/app.log" || true)
    [[ -n "$line" ]] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$line" ]] || { log "run $n: no dashboard within 60 s"; cat "$dir/app.log" >&2; stop; exit 1; }
  sleep "$settle"
  local web_rss=0 web_pss=0 other_rss=0 p exe
  for p in $(descendants "$app_pid"); do
    exe=$(readlink "/proc/$p/exe" 2>/dev/null || true)
    case "$exe" in
      */WebKitWebProcess)
        web_rss=$((web_rss + $(kib "/proc/$p/status" VmRSS)))
        web_pss=$((web_pss + $(kib "/proc/$p/smaps_rollup" Pss)))
        ;;
      *) other_rss=$((other_rss + $(kib "/proc/$p/status" VmRSS))) ;;
    esac
    [[ -n "${VERBOSE:-}" ]] && log "run $n: $p $exe RSS $(kib "/proc/$p/status" VmRSS) kB"
  done
  local app_rss app_pss
  app_rss=$(kib "/proc/$app_pid/status" VmRSS)
  app_pss=$(kib "/proc/$app_pid/smaps_rollup" Pss)
  local ms ui
  ms=$(sed -E 's/.*after ([0-9]+) ms from process start.*/\1/' <<<"$line")
  ui=$(sed -E 's/.*\(([0-9]+) ms in the webview\).*/\1/' <<<"$line")
  stop
  echo "$ms $ui $(mib "$web_rss") $(mib "$web_pss") $(mib "$app_rss") $(mib "$app_pss") $(mib "$other_rss")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results="$work/results"
printf '%-4s %14s %10s %12s %12s %9s %9s %11s\n' run interactive_ms webview_ms web_rss_MiB web_pss_MiB app_rss app_pss other_rss
for ((r = 1; r <= runs; r++)); do
  row=$(run_once "$r") || exit 1
  echo "$row" >>"$results"
  # shellcheck disable=SC2086
  printf '%-4s %14s %10s %12s %12s %9s %9s %11s\n' "$r" $row
done
meds=()
for col in 1 2 3 4 5 6 7; do meds+=("$(awk -v c=$col '{ print $c }' "$results" | median)"); done
printf '%-4s %14s %10s %12s %12s %9s %9s %11s\n' median "${meds[@]}"
