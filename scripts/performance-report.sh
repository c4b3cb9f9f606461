#!/usr/bin/env bash
# Runs every performance benchmark side by side on this machine and regenerates docs/performance.md and
# docs/performance.png from their output (about 15 minutes on 2 cores). Usage: scripts/performance-report.sh [rounds]
#   JDKS="jdk1 jdk2" chooses the JDKs of the second-launch table (default: Java 17 and 25 where installed).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
# built on Java 25 where installed, as a release is: the core jar then carries its Java 22+ mapping (multi-release)
build_jdk=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$build_jdk/bin/java" ] || build_jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JAVA_HOME=$build_jdk ./mvnw -q -B -pl examples/plain-java,examples/spring-boot-web,benchmarks -am package -DskipTests
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
if [ -z "${JDKS:-}" ]; then
  JDKS=""
  for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64; do
    [ -x "$jdk/bin/java" ] && JDKS="$JDKS $jdk"
  done
  [ -n "$JDKS" ] || JDKS=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
{
  echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(uname -sr)"
  for jdk in $JDKS; do "$jdk/bin/java" -version 2>&1 | head -2 | tail -1; done
  echo "measured at commit $(git rev-parse --short HEAD) on $(date -u +%Y-%m-%d)"
} >"$results/machine.txt"
echo "$rounds" >"$results/rounds.txt"
echo "== second launch ($rounds rounds)"; JDKS="$JDKS" scripts/benchmark-second-launch.sh "$rounds" "$results/launch.csv"
echo "== launch speed against the TCP peer (${LAUNCH_ROUNDS:-15} rounds)"
ROUNDS=${LAUNCH_ROUNDS:-15} BUILD=0 JDKS="$JDKS" scripts/measure-launch-speed.sh >/dev/null
cp benchmarks/target/launch-speed.md "$results/launch-speed.md"
echo "== streams against a bare Unix-domain socket (${STREAM_ROUNDS:-3} rounds)"
ROUNDS=${STREAM_ROUNDS:-3} BUILD=0 JDKS="$JDKS" scripts/measure-streams.sh >/dev/null
cp benchmarks/target/streams.md "$results/streams.md"
echo "== idle (60 s)"; scripts/measure-idle.sh 60 "$results/idle.csv"
# the web example only: the petclinic-like app (benchmarks/spring-large-app) adds some 40 s a round; measure it with
# scripts/measure-spring-launch.sh itself
echo "== Spring web"; LARGE=0 scripts/measure-spring-launch.sh 10 >"$results/spring.txt"
echo "== round trips"; java -jar benchmarks/target/benchmarks.jar >"$results/roundtrip.txt"
echo "== scale"; java -cp benchmarks/target/benchmarks.jar io.github.singleinstance.benchmarks.ScaleBenchmark \
  >"$results/scale.txt"
java scripts/PerformanceReport.java "$results" docs
echo "wrote docs/performance.md and docs/performance.png"
