#!/usr/bin/env bash
# The app at scale: launches a built canary-app under its own Xvfb on workbooks
# of 1 and 1,000 products, waits for its "dashboard interactive" line, then reads
# the memory of the app and of its WebKit web and network processes: RSS, and
# PSS from /proc/PID/smaps_rollup (shared pages split among the processes that
# map them). Prints the median of RUNS launches per product count as one table.
# Builds nothing; for the figures that matter, give it the release app:
#
#   npm --prefix ui run build --silent
#   CANARY_UI_BUILT=1 cargo build --release --workspace --locked --features canary-app/custom-protocol
#   scripts/measure-scale.sh target/release/canary-app [COUNT...]     (default counts: 1 1000)
#
# CANARY_CLI (default: `canary` next to the app) makes the workbooks, once per
# count, cached in SCALE_CACHE (default: `scale/` next to the app; delete a file
# to make it again). RUNS (default 3) launches per count; SETTLE (default 5)
# seconds between "dashboard interactive" and reading the memory. Anything else
# in the environment reaches the app (WEBKIT_DISABLE_COMPOSITING_MODE=0 turns
# WebKit's GPU compositing back on).
set -euo pipefail

log() { printf 'measure-scale: %s\n' "$*" >&2; }
[[ $# -ge 1 ]] || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
app=$(realpath "$1")
shift
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(1 1000)
cli="${CANARY_CLI:-$(dirname "$app")/canary}"
cache="${SCALE_CACHE:-$(dirname "$app")/scale}"
runs="${RUNS:-3}"
settle="${SETTLE:-5}"
[[ -x "$app" ]] || { log "no app at $app"; exit 1; }
[[ -x "$cli" ]] || { log "no CLI at $cli (set CANARY_CLI)"; exit 1; }
command -v Xvfb >/dev/null || { log "Xvfb is not installed"; exit 1; }

# --- clean-up: every process this script starts leads its own process group ---
work=$(mktemp -d -t canary-scale.XXXXXX)
groups=()
stop_groups() {
  local g
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for _ in $(seq 30); do
    local alive=0
    for g in "${groups[@]}"; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    nap 0.1
  done
  for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  groups=()
}
nap_pid=
cleanup() {
  [[ -z "$nap_pid" ]] || kill "$nap_pid" 2>/dev/null || true
  stop_groups
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Sleeps in the background: bash runs a trap only once its foreground child ends.
nap() {
  sleep "$1" &
  nap_pid=$!
  wait "$nap_pid"
}

# Starts "$@" in the background as the leader of a new process group (setsid
# does not fork here: a background job of a script is never a group leader).
started=
start_group() {
  setsid "$@" &
  started=$!
  groups+=("$started")
}

# --- the workbooks -------------------------------------------------------------
# As e2e test 07 makes them: the first product also assessed against EN 303 645.
# Sets $wb to the workbook of $1 products, made with the CLI unless cached.
wb=
workbook_of() {
  local n=$1
  wb="$cache/products-$1.canary"
  if [[ ! -s "$wb" ]]; then
    log "making $wb with $cli ($n products; about 0.2 s each)"
    mkdir -p "$cache"
    rm -f "$wb.tmp"
    local mk=("$cli" --workbook "$wb.tmp")
    "${mk[@]}" init >/dev/null
    "${mk[@]}" product add --name "Scale Plug 0001" --model SC-0001 --manufacturer "Scale Ltd" \
      --framework uk-cop-2018 --framework etsi-en-303-645-v2.1.1 >/dev/null
    local i id
    for ((i = 2; i <= n; i++)); do
      id=$(printf '%04d' "$i")
      "${mk[@]}" product add --name "Scale Plug $id" --model "SC-$id" --manufacturer "Scale Ltd" >/dev/null
    done
    mv "$wb.tmp" "$wb"
  fi
}

# --- one launch ----------------------------------------------------------------
kib() { awk -v k="$2:" '$1 == k { print $2; exit }' "$1" 2>/dev/null || true; }
# Every descendant of $1 (WebKit's processes are children of the app).
descendants() {
  local k
  for k in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$k"
    descendants "$k"
  done
}

# Appends to file $3 a line: dashboard_ms webview_ms web_rss web_pss web_peak
# net_rss net_pss app_rss app_pss (KiB). Runs in this shell, not in $(...), so
# the trap knows every process group it starts.
launch_once() {
  local wb=$1 dir=$2 out=$3
  mkdir -p "$dir/config" "$dir/data" "$dir/cache"
  cp "$wb" "$dir/scale.canary"
  start_group Xvfb -displayfd 3 -screen 0 1400x1000x24 -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log"
  for _ in $(seq 100); do [[ -s "$dir/display" ]] && break; nap 0.1; done
  [[ -s "$dir/display" ]] || { log "Xvfb did not start:"; cat "$dir/xvfb.log" >&2; return 1; }
  DISPLAY=":$(cat "$dir/display")" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" \
    XDG_CACHE_HOME="$dir/cache" TMPDIR="$dir" USER="${USER:-canary-scale}" \
    start_group "$app" --workbook "$dir/scale.canary" >/dev/null 2>"$dir/app.log"
  local pid=$started line=
  for _ in $(seq 600); do
    line=$(grep -m1 "dashboard interactive after" "$dir/app.log" || true)
    [[ -n "$line" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    nap 0.1
  done
  [[ -n "$line" ]] || { log "no dashboard (the app ended, or 60 s passed); the app said:"; cat "$dir/app.log" >&2; return 1; }
  nap "$settle"
  local web_rss=0 web_pss=0 web_peak=0 net_rss=0 net_pss=0 p
  for p in $(descendants "$pid"); do
    case "$(readlink "/proc/$p/exe" 2>/dev/null || true)" in
      */WebKitWebProcess)
        web_rss=$((web_rss + $(kib "/proc/$p/status" VmRSS)))
        web_peak=$((web_peak + $(kib "/proc/$p/status" VmHWM)))
        web_pss=$((web_pss + $(kib "/proc/$p/smaps_rollup" Pss)))
        ;;
      */WebKitNetworkProcess)
        net_rss=$((net_rss + $(kib "/proc/$p/status" VmRSS)))
        net_pss=$((net_pss + $(kib "/proc/$p/smaps_rollup" Pss)))
        ;;
    esac
  done
  [[ $web_rss -gt 0 ]] || { log "no WebKitWebProcess under the app (pid $pid)"; return 1; }
  local app_rss app_pss ms ui
  app_rss=$(kib "/proc/$pid/status" VmRSS)
  app_pss=$(kib "/proc/$pid/smaps_rollup" Pss)
  ms=$(sed -E 's/.*after ([0-9]+) ms from process start.*/\1/' <<<"$line")
  ui=$(sed -E 's/.*\(([0-9]+) ms in the webview\).*/\1/' <<<"$line")
  stop_groups
  echo "$ms $ui $web_rss $web_pss $web_peak $net_rss $net_pss $app_rss $app_pss" >>"$out"
}

# --- the table -----------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

load() { uptime | sed 's/.*load average: *//'; }
load_before=$(load)
log "app $app; $runs launches per count; load $load_before"
table=()
for n in "${counts[@]}"; do
  workbook_of "$n"
  : >"$work/rows-$n"
  for ((r = 1; r <= runs; r++)); do
    launch_once "$wb" "$work/run-$n-$r" "$work/rows-$n"
    read -r -a v < <(tail -n1 "$work/rows-$n")
    log "$n products, launch $r: dashboard ${v[0]} ms (${v[1]} in the webview), web process RSS $(mib "${v[2]}") PSS $(mib "${v[3]}") MiB"
  done
  meds=()
  for col in 1 2 3 4 5 6 7 8 9; do meds+=("$(awk -v c=$col '{ print $c }' "$work/rows-$n" | median)"); done
  line=$(printf '%8s %12s %10s' "$n" "${meds[0]}" "${meds[1]}")
  for k in 2 3 4 5 6 7 8; do line+=$(printf ' %8s' "$(mib "${meds[$k]}")"); done
  table+=("$line")
done

printf '\n%s\nmedians of %s launches; memory in MiB, %s s after the dashboard was interactive; load %s before, %s after\n' \
  "$app" "$runs" "$settle" "$load_before" "$(load)"
printf '%8s %12s %10s %8s %8s %8s %8s %8s %8s %8s\n' products dashboard_ms webview_ms \
  web_rss web_pss web_peak net_rss net_pss app_rss app_pss
printf '%s\n' "${table[@]}"
