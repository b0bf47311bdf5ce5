#!/usr/bin/env bash
# The Lambda functions' size and speed, in one run on this machine:
#   1. each bootstrap built as `make build` builds it for provided.al2023 on arm64
#      (GOOS=linux GOARCH=arm64 CGO_ENABLED=0, -tags lambda.norpc -trimpath -ldflags="-s -w"),
#      with its size against the 10 MB target;
#   2. the functions benchmarks (functions/bench_test.go): each host-built bootstrap under the
#      AWS Lambda Runtime Interface Emulator against the in-process fake IAM and SNS, next to a
#      hello-world aws-lambda-go function (bench/hello);
#   3. a table of both.
# Usage: bash bench/functions.sh   (INIT_RUNS: cold starts, default 20; INVOKE_TIME: default 3s;
#        SIZE_STRICT=1: exit 1 when a bootstrap is over the size target)
set -euo pipefail
cd "$(dirname "$0")/.."
init_runs=${INIT_RUNS:-20}
invoke_time=${INVOKE_TIME:-3s}
functions=(root-activity access-keys policy-guard audit-guard identity-guard)
limit=$((10 * 1000 * 1000))

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

declare -A size
for fn in "${functions[@]}" slack-notify hello; do
  pkg=./functions/$fn
  [ "$fn" = hello ] && pkg=./bench/hello
  GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath -ldflags="-s -w" \
    -o "$out/$fn/bootstrap" "$pkg"
  size[$fn]=$(stat -c %s "$out/$fn/bootstrap")
done

echo "== bootstrap sizes (linux/arm64, production flags; target <= 10 MB)"
status=0
for fn in "${functions[@]}" slack-notify hello; do
  verdict=ok
  if [ "${size[$fn]}" -gt "$limit" ] && [ "$fn" != hello ]; then
    verdict="OVER TARGET"
    [ "${SIZE_STRICT:-0}" = 1 ] && status=1
  fi
  printf '%-14s %10d bytes  %6.2f MB  %s\n' "$fn" "${size[$fn]}" "$(echo "${size[$fn]} / 1000000" | bc -l)" "$verdict"
done

echo
echo "== benchmarks ($(go env GOOS)/$(go env GOARCH) bootstraps under the emulator; $(nproc) cores; $init_runs cold starts, $invoke_time of warm invocations)"
# The host's AWS_* settings never reach the functions (the tests build their
# environment from scratch); unsetting AWS_CA_BUNDLE keeps the test process
# itself clean as well.
env -u AWS_CA_BUNDLE go test -run '^$' -bench '^BenchmarkInit$' -benchtime "${init_runs}x" -count 1 ./functions/ | tee "$out/init.txt"
env -u AWS_CA_BUNDLE go test -run '^$' -bench '^BenchmarkInvoke$' -benchtime "$invoke_time" -count 1 ./functions/ | tee "$out/invoke.txt"

# metric FILE BENCH UNIT prints the value reported with UNIT on BENCH's line.
metric() {
  awk -v b="$2" -v u="$3" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 3; i < NF; i++) if ($(i+1) == u) { print $i; exit } }' "$1"
}

echo
echo "== summary"
printf '%-14s %9s | %9s %9s %11s | %9s %9s %9s\n' "function" "arm64 MB" "init ms" "1st inv" "cold wall" "warm ms" "p50 ms" "p99 ms"
for fn in hello "${functions[@]}"; do
  init=$(metric "$out/init.txt" "BenchmarkInit/$fn" init-ms)
  first=$(metric "$out/init.txt" "BenchmarkInit/$fn" first-invoke-ms)
  cold=$(metric "$out/init.txt" "BenchmarkInit/$fn" ns/op)
  warm=$(metric "$out/invoke.txt" "BenchmarkInvoke/$fn" ns/op)
  p50=$(metric "$out/invoke.txt" "BenchmarkInvoke/$fn" p50-ms)
  p99=$(metric "$out/invoke.txt" "BenchmarkInvoke/$fn" p99-ms)
  printf '%-14s %9.2f | %9.2f %9.2f %11.2f | %9.3f %9.3f %9.3f\n' "$fn" "$(echo "${size[$fn]} / 1000000" | bc -l)" \
    "$init" "$first" "$(echo "$cold / 1000000" | bc -l)" "$(echo "$warm / 1000000" | bc -l)" "$p50" "$p99"
done
echo "init ms: INIT phase as the emulator reports it (Lambda's Init Duration); 1st inv: the emulator's Duration of the first"
echo "invocation (whole job, cold SDK client); cold wall: emulator start to first answer; warm: mean round trip per invocation."
exit $status
