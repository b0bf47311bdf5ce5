#!/usr/bin/env bash
# Times `iamguard check` over a generated CloudTrail export against zcat alone
# and a jq selection of the same events, in one run on this machine.
# Usage: bash bench/check-vs-zcat.sh [RECORDS] [FILES]   (defaults 200000 and 100)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-200000}
files=${2:-100}
out=bench/out/export-$records-$files
runs=${RUNS:-5}

if [ ! -d "$out" ]; then
  echo "generating $records records in $files gzip files under $out"
  go run ./bench/gen -out "$out" -files "$files" -records "$records"
fi
go build -trimpath -o bin/iamguard ./cmd/iamguard
mapfile -t logs < <(find "$out" -name '*.json.gz' | sort)
bytes=$(du -cb "${logs[@]}" | tail -1 | cut -f1)
raw=$(zcat "${logs[@]}" | wc -c)
echo "export: ${#logs[@]} files, $records records, $((bytes/1024/1024)) MiB gzip, $((raw/1024/1024)) MiB JSON; $(nproc) cores; best of $runs"

# best prints the fastest wall time of $runs runs of a command, in seconds.
best() {
  local b=""
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N)
    bash -c "$1" >/dev/null 2>&1
    e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

files_arg=$(printf '%q ' "${logs[@]}")
jq_filter='.Records[] | select((.errorCode == null) and ((.userIdentity.type == "Root") or (.eventSource == "iam.amazonaws.com" and (.eventName | IN("CreateAccessKey","AttachUserPolicy","AttachRolePolicy","AttachGroupPolicy","PutUserPolicy","PutRolePolicy","PutGroupPolicy","CreatePolicy","CreatePolicyVersion","SetDefaultPolicyVersion")))))'
t_zcat=$(best "zcat $files_arg")
t_check=$(best "./bin/iamguard check --format json $out")
t_check1=$(best "./bin/iamguard check --format json --workers 1 $out")
t_jq=$(best "zcat $files_arg | jq -c '$jq_filter'")
findings=$(./bin/iamguard check --format json "$out" 2>/dev/null | wc -l)
selected=$(zcat "${logs[@]}" | jq -c "$jq_filter" | wc -l)

printf '%-44s %8s %8s\n' "command" "seconds" "x zcat"
for row in "zcat (decompress only):$t_zcat" "iamguard check (2 workers):$t_check" "iamguard check --workers 1:$t_check1" "zcat | jq selection:$t_jq"; do
  name=${row%%:*}; t=${row##*:}
  printf '%-44s %8.3f %8.2f\n' "$name" "$t" "$(echo "$t / $t_zcat" | bc -l)"
done
echo "iamguard findings: $findings; jq selected records: $selected"
