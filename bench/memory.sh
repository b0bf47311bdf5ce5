#!/usr/bin/env bash
# Memory of `iamguard check` over an export in which every record routes to a
# rule (so every record is decoded and waits for the time-ordered evaluation):
# issue 12 asks that a 600 MB export stay under 512 MiB.
# Usage: bash bench/memory.sh [RECORDS] [FILES]   (defaults 700000 and 20: about 600 MB of JSON)
# BIN=path compares another build of iamguard (e.g. the one before a change).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-700000}
files=${2:-20}
out=bench/out/routed-$records-$files
if [ ! -d "$out" ]; then
  echo "generating $records routed records in $files gzip files under $out"
  go run ./bench/gen -mix routed -out "$out" -files "$files" -records "$records"
fi
bin=${BIN:-bin/iamguard}
if [ -z "${BIN:-}" ]; then
  go build -trimpath -o bin/iamguard ./cmd/iamguard
fi
mapfile -t logs < <(find "$out" -name '*.json.gz' | sort)
gz=$(du -cb "${logs[@]}" | tail -1 | cut -f1)
raw=$(zcat "${logs[@]}" | wc -c)
echo "export: ${#logs[@]} files, $records records, $((gz/1024/1024)) MiB gzip, $((raw/1024/1024)) MiB JSON; $(nproc) cores"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/time -v "$bin" check --format json "$out" >"$tmp/out" 2>"$tmp/err" || true
rss=$(grep 'Maximum resident set size' "$tmp/err" | awk '{print $NF}')
wall=$(grep 'Elapsed (wall clock)' "$tmp/err" | awk '{print $NF}')
cpu_user=$(grep 'User time' "$tmp/err" | awk '{print $NF}')
cpu_sys=$(grep 'System time' "$tmp/err" | awk '{print $NF}')
grep '^iamguard:' "$tmp/err" | tail -1
echo "findings: $(wc -l <"$tmp/out"); wall $wall; CPU ${cpu_user}s user + ${cpu_sys}s system; max RSS $((rss/1024)) MiB"
