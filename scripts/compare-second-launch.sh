#!/usr/bin/env bash
# The second launch of two builds of the plain example, side by side in one interleaved loop (the order alternates
# each round; one warm-up round is not counted): whole-process wall time of `java -jar <jar> <arg>` into a running
# primary of the same build, per JDK and backend. Prints a Markdown table of medians and the new/old ratio, plus the
# median of the per-round ratios (the machine is shared and noisy: read the ratios).
# Usage: scripts/compare-second-launch.sh OLD_JAR NEW_JAR
#   ROUNDS=21                 timed rounds
#   JDKS="jdk1 jdk2"          the JDK homes (default: Java 17 and Java 25 below; a missing one is skipped)
#   BACKENDS="auto portable"  the backends (single-instance.backend)
# The old jar, e.g.: git worktree add /tmp/old <commit> && (cd /tmp/old && JAVA_HOME=<jdk 22+> ./mvnw -q -B -pl
# examples/plain-java -am package -DskipTests); NEW_JAR: examples/plain-java/target/plain-java-example.jar built the
# same way (on Java 22+, as a release is built).
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1
new=$2
rounds=${ROUNDS:-21}
jdks=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
backends=${BACKENDS:-"auto portable"}
work=$(mktemp -d)
primaries=()
cleanup() {
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) exit; m=(NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); print m}'; }

# java jar id backend -> wall time of one second launch in microseconds (fails the script if it does not exit 0)
second() {
  local java=$1 jar=$2 id=$3 backend=$4 start end
  start=$(now)
  "$java" -Dsingle-instance.id="$id" -Dsingle-instance.backend="$backend" -jar "$jar" measured >/dev/null 2>"$work/err"
  end=$(now)
  echo $(((end - start) / 1000))
}

echo "| JDK | backend | old median ms | new median ms | new / old | median of per-round ratios |"
echo "|---|---|---|---|---|---|"
for jdk in $jdks; do
  java=$jdk/bin/java
  [ -x "$java" ] || continue
  version=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  for backend in $backends; do
    for build in old new; do
      jar=$old; [ $build = new ] && jar=$new
      id="compare-$$-$build-$backend-${version%%.*}"
      "$java" -Dsingle-instance.id="$id" -Dsingle-instance.backend="$backend" -jar "$jar" >"$work/$id.out" 2>&1 &
      primaries+=($!)
      for _ in $(seq 1 300); do grep -q '^primary' "$work/$id.out" && break; sleep 0.1; done
      second "$java" "$jar" "$id" "$backend" >/dev/null # the primary's channel is open once this is answered
    done
    : >"$work/old.t"; : >"$work/new.t"; : >"$work/ratio.t"
    for round in $(seq 0 "$rounds"); do
      order="old new"; [ $((round % 2)) = 1 ] && order="new old"
      for build in $order; do
        jar=$old; [ $build = new ] && jar=$new
        t=$(second "$java" "$jar" "compare-$$-$build-$backend-${version%%.*}" "$backend")
        [ "$round" = 0 ] || echo "$t" >>"$work/$build.t"
        eval "last_$build=$t"
      done
      [ "$round" = 0 ] || awk -v o="$last_old" -v n="$last_new" 'BEGIN {printf "%.4f\n", n / o}' >>"$work/ratio.t"
    done
    o=$(median <"$work/old.t"); n=$(median <"$work/new.t"); r=$(median <"$work/ratio.t")
    awk -v j="$version" -v b="$backend" -v o="$o" -v n="$n" -v r="$r" \
      'BEGIN {printf "| %s | %s | %.1f | %.1f | %.3f | %.3f |\n", j, b, o / 1000, n / 1000, n / o, r}'
  done
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  primaries=()
done
