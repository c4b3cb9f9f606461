#!/usr/bin/env bash
# Idle cost of a primary: CPU time used over SECONDS and resident memory, for the plain example's primary on each
# backend and for a bare JVM that only sleeps (same java, same flags), all running side by side.
# Writes CSV rows: process,cpu_ms,rss_kb.   Usage: scripts/measure-idle.sh [seconds] [out.csv]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=${2:-/dev/stdout}
jar=examples/plain-java/target/plain-java-example.jar
[ -f "$jar" ] || ./mvnw -q -B -pl examples/plain-java -am package -DskipTests
work=$(mktemp -d)
id="idle-$$"
trap 'pkill -f "single-instance.id=$id" 2>/dev/null || true; kill "${sleeper:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cat >"$work/Sleeper.java" <<'JAVA'
public class Sleeper { public static void main(String[] a) throws Exception { System.out.println("primary"); Thread.sleep(Long.MAX_VALUE); } }
JAVA
javac -d "$work" "$work/Sleeper.java"
await_primary() {
  for _ in $(seq 1 2000); do grep -q '^primary' "$1" 2>/dev/null && return 0; sleep 0.01; done; return 1
}
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d\n", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

java -cp "$work" Sleeper >"$work/sleeper.out" 2>&1 & sleeper=$!
java -Dsingle-instance.id="$id-posix" -jar "$jar" >"$work/posix.out" 2>&1 & posix=$!
java -Dsingle-instance.id="$id-portable" -Dsingle-instance.backend=portable -jar "$jar" >"$work/portable.out" 2>&1 &
portable=$!
for f in sleeper posix portable; do await_primary "$work/$f.out"; done
sleep 5 # past start-up: JIT and GC threads settle
declare -A before
for p in sleeper posix portable; do before[$p]=$(cpu_ms "${!p}"); done
sleep "$seconds"
echo "process,cpu_ms,rss_kb" >"$out"
echo "bare JVM sleeping,$(( $(cpu_ms "$sleeper") - before[sleeper] )),$(rss_kb "$sleeper")" >>"$out"
echo "primary (posix),$(( $(cpu_ms "$posix") - before[posix] )),$(rss_kb "$posix")" >>"$out"
echo "primary (portable),$(( $(cpu_ms "$portable") - before[portable] )),$(rss_kb "$portable")" >>"$out"
