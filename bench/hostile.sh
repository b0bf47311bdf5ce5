#!/usr/bin/env bash
# `iamguard check` over generated gzip bombs (issue 12): each is SIZE bytes of
# hostile JSON text, produced by a pipe and compressed on the fly (only the
# compressed bomb, about a thousandth of SIZE, is written, to a temporary
# folder), then checked. Reports wall time, CPU time, max RSS (/usr/bin/time -v)
# and the size of standard error. The issue's bar: under 30 s and under 1 MiB of
# standard error for 2 GB of quotes and of `[` lines.
# Usage: bash bench/hostile.sh [SIZE]   (default 2G; anything head -c takes)
# BIN=path checks another build of iamguard (e.g. the one before a change);
# TIMEOUT (default 600 s) stops a run that takes too long.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-2G}
bin=${BIN:-bin/iamguard}
if [ -z "${BIN:-}" ]; then
  go build -trimpath -o bin/iamguard ./cmd/iamguard
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# bombs: name and the command whose output is repeated up to SIZE bytes.
declare -A bombs=(
  [quotes]="yes '\"' | tr -d '\n'"
  [quote-lines]="yes '\"'"
  [bracket-lines]="yes '['"
  [brackets]="yes '[' | tr -d '\n'"
  [records-lines]="yes '{\"Records\":['"
  [zeros]="cat /dev/zero"
  [log-strings]="printf '{\"Records\":['; yes '\"\",' | tr -d '\n'"
  [array-numbers]="printf '['; yes '1,' | tr -d '\n'"
)
printf '%-14s %10s %9s %9s %9s %10s %8s %s\n' bomb "gzip" wall cpu "max RSS" stderr exit "last line of stderr"
for name in quotes quote-lines bracket-lines brackets records-lines zeros log-strings array-numbers; do
  bash -c "${bombs[$name]}" 2>/dev/null | head -c "$size" | gzip -1 >"$tmp/$name.json.gz" || true
  set +e
  /usr/bin/time -v -o "$tmp/time" timeout "${TIMEOUT:-600}" "$bin" check "$tmp/$name.json.gz" >/dev/null 2>"$tmp/err"
  code=$?
  set -e
  wall=$(grep 'Elapsed (wall clock)' "$tmp/time" | awk '{print $NF}')
  cpu=$(grep -E 'User time|System time' "$tmp/time" | awk '{s+=$NF} END {printf "%.2f", s}')
  rss=$(grep 'Maximum resident set size' "$tmp/time" | awk '{printf "%d MiB", $NF/1024}')
  errb=$(wc -c <"$tmp/err")
  last=$(tail -1 "$tmp/err" | cut -c1-100)
  printf '%-14s %10s %9s %9s %9s %10s %8s %s\n' "$name" "$(du -h "$tmp/$name.json.gz" | cut -f1)" "$wall" "$cpu" "$rss" "$errb" "$code" "$last"
done
