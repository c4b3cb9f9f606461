#!/usr/bin/env bash
# The second launch's steps before its claim file opens (settings read, backend chosen, claim named: issue 26's
# "pre-claim" step), for two builds of the plain example side by side in one interleaved loop (the order alternates
# each round; one warm-up round is not counted). Each launch runs with -Xlog:class+load and uptime in nanoseconds; the
# step is the time from the library's first class (io.github.singleinstance.SingleInstance) to the first class the
# claim loads (io.github.singleinstance.internal.os.ClaimFiles), and its classes are those loaded in between (the first
# counted, the last not): the library's own and the JDK's, the JDK's split into those from the CDS archive and the
# others (the runtime image, generated). Prints a Markdown table of medians and the new/old ratio, plus the median of
# the per-round ratios (the machine is shared and noisy: read the ratios).
# Usage: scripts/measure-pre-claim.sh OLD_JAR NEW_JAR
#   ROUNDS=15                 timed rounds
#   JDKS="jdk1 jdk2"          the JDK homes (default: Java 17 and Java 25 below; a missing one is skipped)
#   BACKENDS="auto portable"  the backends (single-instance.backend)
#   KEEP=DIR                  keep every launch's class-load log in DIR (else they go with the temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1
new=$2
rounds=${ROUNDS:-15}
jdks=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
backends=${BACKENDS:-"auto portable"}
work=$(mktemp -d)
logs=${KEEP:-$work}
mkdir -p "$logs"
primaries=()
cleanup() {
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) exit; m=(NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); print m}'; }

# java jar id backend log -> one second launch with its class loads logged to log (fails the script if it does not
# exit 0)
second() {
  local java=$1 jar=$2 id=$3 backend=$4 log=$5
  if ! "$java" -Xlog:class+load=info:file="$log":uptimenanos -Dsingle-instance.id="$id" \
    -Dsingle-instance.backend="$backend" -jar "$jar" measured >/dev/null 2>"$work/err"; then
    cat "$work/err" >&2
    exit 1
  fi
}

# log -> "step_us own_classes jdk_cds_classes jdk_other_classes" of the pre-claim step
step() {
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

echo "| JDK | backend | old median ms | new median ms | new / old | median of per-round ratios \
| old classes: own + JDK (CDS / other) | new classes: own + JDK (CDS / other) |"
echo "|---|---|--:|--:|--:|--:|--:|--:|"
for jdk in $jdks; do
  java=$jdk/bin/java
  [ -x "$java" ] || continue
  version=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  for backend in $backends; do
    for build in old new; do
      jar=$old; [ $build = new ] && jar=$new
      id="pre-claim-$$-$build-$backend-${version%%.*}"
      "$java" -Dsingle-instance.id="$id" -Dsingle-instance.backend="$backend" -jar "$jar" >"$work/$id.out" 2>&1 &
      primaries+=($!)
      for _ in $(seq 1 300); do grep -q '^primary' "$work/$id.out" && break; sleep 0.1; done
      second "$java" "$jar" "$id" "$backend" "$work/warm.log" # the primary's channel is open once this is answered
    done
    : >"$work/old.t"; : >"$work/new.t"; : >"$work/ratio.t"
    for round in $(seq 0 "$rounds"); do
      order="old new"; [ $((round % 2)) = 1 ] && order="new old"
      for build in $order; do
        jar=$old; [ $build = new ] && jar=$new
        log="$logs/${version%%.*}-$backend-$build-$round.log"
        second "$java" "$jar" "pre-claim-$$-$build-$backend-${version%%.*}" "$backend" "$log"
        read -r us own cds other < <(step "$log")
        [ "$round" = 0 ] || echo "$us $own $cds $other" >>"$work/$build.t"
        eval "last_$build=$us"
      done
      [ "$round" = 0 ] || awk -v o="$last_old" -v n="$last_new" 'BEGIN {printf "%.4f\n", n / o}' >>"$work/ratio.t"
    done
    o=$(cut -d' ' -f1 "$work/old.t" | median); n=$(cut -d' ' -f1 "$work/new.t" | median); r=$(median <"$work/ratio.t")
    classes() { # file -> "own + jdk (cds / other)", medians
      local f=$1
      printf '%s + %s (%s / %s)' "$(cut -d' ' -f2 "$f" | median)" \
        "$(awk '{print $3 + $4}' "$f" | median)" "$(cut -d' ' -f3 "$f" | median)" "$(cut -d' ' -f4 "$f" | median)"
    }
    awk -v j="$version" -v b="$backend" -v o="$o" -v n="$n" -v r="$r" -v co="$(classes "$work/old.t")" \
      -v cn="$(classes "$work/new.t")" \
      'BEGIN {printf "| %s | %s | %.1f | %.1f | %.3f | %.3f | %s | %s |\n", j, b, o / 1000, n / 1000, n / o, r, co, cn}'
  done
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  primaries=()
done
