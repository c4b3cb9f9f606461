#!/usr/bin/env bash
# Whole-process launch timings of the plain example, side by side in one run (the machine is shared and noisy: read
# the ratios). Usage: scripts/measure-launch-times.sh [rounds]   (builds the example first if needed)
#  1. second launch (forward + reply + exit) vs a bare "java Hello" on the same JVM, interleaved;
#  2. kill -9 of the primary -> next launch prints "primary", vs a first launch with nothing stale, interleaved.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
jar=examples/plain-java/target/plain-java-example.jar
[ -f "$jar" ] || ./mvnw -q -B -pl examples/plain-java -am package -DskipTests
work=$(mktemp -d)
trap 'pkill -f "single-instance.id=$id" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$work" "$work/Hello.java"

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {printf "%d\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
id="measure-$$"
launch() { java -Dsingle-instance.id="$id" -jar "$jar" "$@"; }
await_primary() { for _ in $(seq 1 400); do grep -q '^primary' "$1" 2>/dev/null && return 0; sleep 0.005; done; return 1; }

# background launches run java directly (not through the function) so that $! is java's own pid
java -Dsingle-instance.id="$id" -jar "$jar" >"$work/primary.out" 2>&1 &
await_primary "$work/primary.out"
: >"$work/hello.ms"; : >"$work/second.ms"
for _ in $(seq 1 "$rounds"); do
  t=$(now); java -cp "$work" Hello >/dev/null; echo $(( ($(now) - t) / 1000 )) >>"$work/hello.ms"
  t=$(now); launch "file-$RANDOM.txt" >/dev/null; echo $(( ($(now) - t) / 1000 )) >>"$work/second.ms"
done
launch --stop >/dev/null; wait
hello=$(median <"$work/hello.ms"); second=$(median <"$work/second.ms")
echo "java $(java -version 2>&1 | head -1 | cut -d'"' -f2), $(nproc) cores, $rounds rounds, medians:"
echo "  bare java Hello:                 $((hello / 1000)) ms"
echo "  second launch of plain example:  $((second / 1000)) ms   ratio $(awk "BEGIN {printf \"%.2f\", $second / $hello}")x"

: >"$work/fresh.ms"; : >"$work/stale.ms"
for i in $(seq 1 "$rounds"); do
  t=$(now); java -Dsingle-instance.id="$id" -jar "$jar" >"$work/fresh-$i.out" 2>&1 & pid=$!
  await_primary "$work/fresh-$i.out"; echo $(( ($(now) - t) / 1000 )) >>"$work/fresh.ms"
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  t=$(now); java -Dsingle-instance.id="$id" -jar "$jar" >"$work/stale-$i.out" 2>&1 & pid=$!  # meets the dead one's objects
  await_primary "$work/stale-$i.out"; echo $(( ($(now) - t) / 1000 )) >>"$work/stale.ms"
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true            # clean exit: nothing stale for the next fresh one
done
fresh=$(median <"$work/fresh.ms"); stale=$(median <"$work/stale.ms")
echo "  first launch to 'primary', nothing stale:       $((fresh / 1000)) ms"
echo "  kill -9 of the primary to next 'primary':       $((stale / 1000)) ms (max $(( $(sort -n "$work/stale.ms" | tail -1) / 1000 )) ms)   ratio $(awk "BEGIN {printf \"%.2f\", $stale / $fresh}")x"
