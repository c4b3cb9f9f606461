#!/usr/bin/env bash
# Whole-process timings of the Spring Boot web example, side by side in one run (the machine is shared and noisy:
# read the ratio). Usage: scripts/measure-spring-launch.sh [rounds]   (builds the example first if needed)
# Each round: a first launch, timed from its start until it logs "Started WebToolApplication" (ready); then a second
# launch, timed from its start until it exits (forwarded, printed the primary's reply); then the primary is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
jar=examples/spring-boot-web/target/spring-boot-web.jar
[ -f "$jar" ] || ./mvnw -q -B -pl examples/spring-boot-web -am package -DskipTests
work=$(mktemp -d)
id="measure-spring-$$"
trap 'pkill -f "single-instance.id=$id" 2>/dev/null || true; rm -rf "$work"' EXIT

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {printf "%d\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
await_ready() {
  for _ in $(seq 1 6000); do grep -q 'Started WebToolApplication' "$1" 2>/dev/null && return 0; sleep 0.005; done
  echo "the primary did not become ready; its output:" >&2; cat "$1" >&2; return 1
}

: >"$work/ready.ms"; : >"$work/second.ms"
for i in $(seq 1 "$rounds"); do
  t=$(now)
  java -Dsingle-instance.id="$id" -jar "$jar" --server.port=0 >"$work/primary-$i.out" 2>&1 & primary=$!
  await_ready "$work/primary-$i.out"; echo $(( ($(now) - t) / 1000 )) >>"$work/ready.ms"
  t=$(now)
  java -Dsingle-instance.id="$id" -jar "$jar" "report-$i.txt" >"$work/second-$i.out" 2>&1 \
    || { echo "second launch failed:" >&2; cat "$work/second-$i.out" >&2; exit 1; }
  echo $(( ($(now) - t) / 1000 )) >>"$work/second.ms"
  grep -q "^opened report-$i.txt in the running instance, pid $primary" "$work/second-$i.out" \
    || { echo "unexpected reply:" >&2; cat "$work/second-$i.out" >&2; exit 1; }
  kill -TERM "$primary"; wait "$primary" 2>/dev/null || true
done
ready=$(median <"$work/ready.ms"); second=$(median <"$work/second.ms")
echo "java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(nproc) cores, $rounds rounds, medians:"
echo "  first launch of the Spring web example, start to ready:  $((ready / 1000)) ms"
echo "  second launch (forward, print reply, exit):              $((second / 1000)) ms   ratio $(awk "BEGIN {printf \"%.2f\", $second / $ready}")x"
