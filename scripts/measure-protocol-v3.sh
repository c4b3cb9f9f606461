#!/usr/bin/env bash
# Protocol v3 against the build before it, side by side in one run, at default settings unless said:
#  1. bursts of first launches (no primary yet): N plain-example launches at once, how many exit non-zero;
#  2. CPU burnt by 99 launches waiting for a primary that won the claim but has not opened its channel (a held
#     claim, scripts/HoldClaim.java), per second, summed over the 99 JVMs (both builds get a 120 s forward timeout
#     here so that none gives up during the sample: this measures cost, not reliability);
#  3. the second launch of the plain example against a bare `java Hello`, interleaved rounds, medians.
# Usage: scripts/measure-protocol-v3.sh OLD_JAR NEW_JAR [rounds]   (JDKS="jdk1 jdk2" for step 3; default: PATH's java)
# The old jar: git worktree add /tmp/old 903ac4d && (cd /tmp/old && ./mvnw -q -pl examples/plain-java -am package
# -DskipTests); NEW_JAR: examples/plain-java/target/plain-java-example.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1
new=$2
rounds=${3:-15}
work=$(mktemp -d)
trap 'pkill -f "single-instance.id=measure-$$" 2>/dev/null || true; pkill -f "HoldClaim.java" 2>/dev/null || true; rm -rf "$work"' EXIT
java=${JAVA:-java}

burst() { # jar n id -> "failed/total seconds"
  local jar=$1 n=$2 id=$3 pids=() failed=0 start end
  start=$(date +%s%N)
  for i in $(seq 1 "$n"); do
    "$java" -Dsingle-instance.id="$id" -jar "$jar" "file-$i" >"$work/$id-$i.out" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    # a launch that became the primary never exits by itself: those still running after the others are primaries
    for _ in $(seq 1 1800); do
      kill -0 "${pids[$i]}" 2>/dev/null || break
      grep -q '^primary .* running as' "$work/$id-$((i + 1)).out" 2>/dev/null && break
      sleep 0.1
    done
  done
  end=$(date +%s%N)
  local primaries=0
  for i in "${!pids[@]}"; do
    if grep -q '^primary .* running as' "$work/$id-$((i + 1)).out"; then
      primaries=$((primaries + 1))
    elif ! wait "${pids[$i]}"; then
      failed=$((failed + 1))
    fi
  done
  "$java" -Dsingle-instance.id="$id" -jar "$jar" --stop >/dev/null 2>&1 || true
  echo "$failed $((n - primaries)) $primaries $(((end - start) / 1000000))"
}

echo "## Bursts of first launches (no primary yet), default settings"
echo
echo "| launches at once | build | second launches failed | primaries | seconds until all settled |"
echo "|---|---|---|---|---|"
for n in ${BURSTS-30 50 100}; do
  for build in old new; do
    jar=$old; [ $build = new ] && jar=$new
    read -r failed total primaries ms < <(burst "$jar" "$n" "measure-$$-burst-$build-$n")
    echo "| $n | $build | $failed of $total | $primaries | $((ms / 1000)).$(((ms % 1000) / 100)) |"
  done
done

cpu_ticks() { # sum of utime+stime (clock ticks) of the given pids, read in one pass
  local files=()
  for pid in "$@"; do files+=("/proc/$pid/stat"); done
  cat "${files[@]}" 2>/dev/null | awk '{sub(/^.*\) /, ""); split($0, f, " "); sum += f[12] + f[13]} END {print sum + 0}'
}

echo
echo "## CPU of 99 launches waiting for a starting primary (claim held, no channel yet)"
echo
echo "| build | CPU ms per second, all 99 waiting launches together | per launch |"
echo "|---|---|---|"
hz=$(getconf CLK_TCK)
for build in old new; do
  jar=$old; layout=v2; [ $build = new ] && jar=$new && layout=v3
  id="measure-$$-wait-$build"
  "$java" scripts/HoldClaim.java $layout "$id" >"$work/hold-$build.out" 2>&1 &
  holder=$!
  for _ in $(seq 1 100); do grep -q holding "$work/hold-$build.out" && break; sleep 0.1; done
  pids=()
  for i in $(seq 1 99); do
    "$java" -Dsingle-instance.id="$id" -Dsingle-instance.forward-timeout=120s -Dsingle-instance.total-timeout=120s \
      -jar "$jar" "waiting-$i" >/dev/null 2>&1 &
    pids+=($!)
  done
  sleep "${SETTLE_SECONDS:-40}" # every JVM started and is waiting
  s0=$(date +%s%N); t0=$(cpu_ticks "${pids[@]}")
  sleep 10
  t1=$(cpu_ticks "${pids[@]}"); s1=$(date +%s%N)
  alive=0; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  ms=$(( (t1 - t0) * 1000 / hz * 1000000000 / (s1 - s0) ))
  echo "| $build | $ms (over $(((s1 - s0) / 1000000)) ms; $alive of 99 still waiting) | $(awk "BEGIN {printf \"%.2f\", $ms / 99}") |"
  kill "${pids[@]}" 2>/dev/null || true
  kill $holder 2>/dev/null || true
  wait 2>/dev/null || true
done

echo
echo "## Second launch of the plain example, medians of $rounds interleaved rounds"
echo
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$work/Hello.java"
echo "| JDK | bare java Hello | before (old build) | after (this build) | after / before | after / Hello |"
echo "|---|---|---|---|---|---|"
default_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
for jdk in ${JDKS:-$default_jdk}; do
  j="$jdk/bin/java"
  "$jdk/bin/javac" -d "$work" "$work/Hello.java"
  for build in old new; do
    jar=$old; [ $build = new ] && jar=$new
    "$j" -Dsingle-instance.id="measure-$$-second-$build" -jar "$jar" >"$work/second-$build.out" 2>&1 &
    for _ in $(seq 1 300); do grep -q '^primary' "$work/second-$build.out" && break; sleep 0.05; done
  done
  : >"$work/hello.ms"; : >"$work/old.ms"; : >"$work/new.ms"
  for _ in $(seq 1 "$rounds"); do
    s=$(date +%s%N); "$j" -cp "$work" Hello >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000)) >>"$work/hello.ms"
    s=$(date +%s%N); "$j" -Dsingle-instance.id="measure-$$-second-old" -jar "$old" x >/dev/null; e=$(date +%s%N)
    echo $(((e - s) / 1000)) >>"$work/old.ms"
    s=$(date +%s%N); "$j" -Dsingle-instance.id="measure-$$-second-new" -jar "$new" x >/dev/null; e=$(date +%s%N)
    echo $(((e - s) / 1000)) >>"$work/new.ms"
  done
  median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2) / 1000}'; }
  h=$(median "$work/hello.ms"); o=$(median "$work/old.ms"); n=$(median "$work/new.ms")
  version=$("$j" -version 2>&1 | head -1 | cut -d'"' -f2)
  echo "| $version | $h ms | $o ms | $n ms | $(awk "BEGIN {printf \"%.2f\", $n / $o}") | $(awk "BEGIN {printf \"%.2f\", $n / $h}") |"
  for build in old new; do
    jar=$old; [ $build = new ] && jar=$new
    "$j" -Dsingle-instance.id="measure-$$-second-$build" -jar "$jar" --stop >/dev/null 2>&1 || true
  done
done
