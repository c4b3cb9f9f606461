#!/usr/bin/env bash
# The second launch of two builds of the plain example, side by side in one interleaved loop (the order alternates
# each round; one warm-up round is not counted), into a running primary of the same build, per JDK and backend: by
# default the whole-process wall time of `java -jar <jar> <arg>`; with STEP=pre-claim, issue 26's pre-claim step (the
# settings read, the backend chosen, the claim named) from a log of the launch's class loads (-Xlog:class+load, uptime
# in ns): the time from the library's first class (io.github.singleinstance.SingleInstance) to the first class the
# claim loads (io.github.singleinstance.internal.os.ClaimFiles), and the classes loaded in between (the first counted,
# the last not): the library's own and the JDK's, the JDK's split into those from the CDS archive and the others (the
# runtime image, generated). Prints a Markdown table of medians and the new/old ratio, plus the median of the
# per-round ratios (the machine is shared and noisy: read the ratios).
# Usage: scripts/compare-second-launch.sh OLD_JAR NEW_JAR
#   ROUNDS=21                 timed rounds
#   JDKS="jdk1 jdk2"          the JDK homes (default: Java 17 and Java 25 below; a missing one is skipped)
#   BACKENDS="auto portable"  the backends (single-instance.backend)
#   STEP=pre-claim            the pre-claim step instead of the whole launch
#   KEEP=DIR                  with STEP=pre-claim: keep every launch's class-load log in DIR
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
step=${STEP:-launch}
case $step in launch | pre-claim) ;; *) echo "STEP: '$step' is neither launch nor pre-claim" >&2; exit 64 ;; esac
work=$(mktemp -d)
logs=${KEEP:-$work}
mkdir -p "$logs"
primaries=()
cleanup() {
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) exit; m=(NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); print m}'; }

# java jar id backend log -> one line for one second launch (fails the script if it does not exit 0): its wall time in
# microseconds; with STEP=pre-claim "step_us own_classes jdk_cds_classes jdk_other_classes" from its class-load log
second() {
  local java=$1 jar=$2 id=$3 backend=$4 log=$5 start end
  local xlog=()
  [ "$step" = pre-claim ] && xlog=(-Xlog:class+load=info:file="$log":uptimenanos)
  start=$(now)
  if ! "$java" "${xlog[@]}" -Dsingle-instance.id="$id" -Dsingle-instance.backend="$backend" -jar "$jar" measured \
    >/dev/null 2>"$work/err"; then
    cat "$work/err" >&2
    exit 1
  fi
  end=$(now)
  if [ "$step" = launch ]; then echo $(((end - start) / 1000)); else pre_claim "$log"; fi
}

# log -> "step_us own_classes jdk_cds_classes jdk_other_classes" of the pre-claim step
pre_claim() {
  awk '
    / io\.github\.singleinstance\.SingleInstance source: / && !start { start = $1; counting = 1 }
    / io\.github\.singleinstance\.internal\.os\.ClaimFiles source: / && counting { end = $1; counting = 0 }
    counting {
      if ($2 ~ /^io\.github\.singleinstance\./) own++
      else if ($0 ~ /source: shared objects file/) cds++
      else other++
    }
    END {
      if (!end) { print "no ClaimFiles in the log" > "/dev/stderr"; exit 1 }
      gsub(/[^0-9]/, "", start); gsub(/[^0-9]/, "", end)
      printf "%d %d %d %d\n", (end - start) / 1000, own, cds, other
    }' "$1"
}

# file of second's lines -> "own + jdk (cds / other)", medians
classes() {
  local f=$1
  printf '%s + %s (%s / %s)' "$(cut -d' ' -f2 "$f" | median)" \
    "$(awk '{print $3 + $4}' "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)"
}

if [ "$step" = launch ]; then
  echo "| JDK | backend | old median ms | new median ms | new / old | median of per-round ratios |"
  echo "|---|---|--:|--:|--:|--:|"
else
  echo "| JDK | backend | old median ms | new median ms | new / old | median of per-round ratios \
| old classes: own + JDK (CDS / other) | new classes: own + JDK (CDS / other) |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|"
fi
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
      second "$java" "$jar" "$id" "$backend" "$work/warm.log" >/dev/null # the primary's channel is open once answered
    done
    : >"$work/old.t"; : >"$work/new.t"; : >"$work/ratio.t"
    for round in $(seq 0 "$rounds"); do
      order="old new"; [ $((round % 2)) = 1 ] && order="new old"
      for build in $order; do
        jar=$old; [ $build = new ] && jar=$new
        line=$(second "$java" "$jar" "compare-$$-$build-$backend-${version%%.*}" "$backend" \
          "$logs/${version%%.*}-$backend-$build-$round.log")
        [ "$round" = 0 ] || echo "$line" >>"$work/$build.t"
        eval "last_$build=${line%% *}"
      done
      [ "$round" = 0 ] || awk -v o="$last_old" -v n="$last_new" 'BEGIN {printf "%.4f\n", n / o}' >>"$work/ratio.t"
    done
    o=$(cut -d' ' -f1 "$work/old.t" | median); n=$(cut -d' ' -f1 "$work/new.t" | median); r=$(median <"$work/ratio.t")
    row=$(awk -v j="$version" -v b="$backend" -v o="$o" -v n="$n" -v r="$r" \
      'BEGIN {printf "| %s | %s | %.1f | %.1f | %.3f | %.3f |", j, b, o / 1000, n / 1000, n / o, r}')
    [ "$step" = launch ] || row="$row $(classes "$work/old.t") | $(classes "$work/new.t") |"
    echo "$row"
  done
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  primaries=()
done
