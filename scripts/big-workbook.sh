#!/usr/bin/env bash
# A workbook whose product answers one CoP guideline with N link evidence items (default
# 10,000): the fixture of issue 9's report target (≤ 2 s, ≤ 300 MB with the release CLI).
#
#   scripts/big-workbook.sh DIR [N] [CANARY]
#
# writes DIR/product.yaml, imports it into DIR/big.canary with the `canary` binary CANARY
# (default target/release/canary) and prints the command that renders its attestation.
# The same items as the in-process bench `attestation_one_set_10000_evidence`.
set -euo pipefail

dir=${1:?usage: scripts/big-workbook.sh DIR [N] [CANARY]}
n=${2:-10000}
canary=${3:-target/release/canary}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
canary=$(cd "$(dirname "$canary")" && pwd)/$(basename "$canary")

{
  cat <<'EOF'
canary: 1
product:
  name: Bench Camera
  model: BC-1
  type: camera
  batch: '2026'
  support_period_end: 2030-12-31
  manufacturer: {name: Bench Ltd, address: 1 Road}
  roles: [DM]
  markets: [UK]
assessment: Release 1
frameworks: [uk-cop-2018]
responses:
  - requirement: uk-cop-2018:1
    status: met
    statement: Unique passwords per device, set at manufacture.
    evidence:
EOF
  for ((k = 0; k < n; k++)); do
    echo "      - {title: Evidence item $k, url: 'https://example.com/evidence/$k', date: 2025-12-01}"
  done
} >"$dir/product.yaml"

rm -f "$dir/big.canary"
export CANARY_HOME="$dir/home" CANARY_AS="Bench Runner"
unset CANARY_CATALOGUE CANARY_PASSPHRASE
"$canary" --workbook "$dir/big.canary" init >/dev/null
"$canary" --workbook "$dir/big.canary" import "$dir/product.yaml" >/dev/null
echo "CANARY_HOME=$dir/home SOURCE_DATE_EPOCH=1767225600 $canary --workbook $dir/big.canary" \
  "report attestation --product BC-1 --no-sign --out $dir/big.pdf"
