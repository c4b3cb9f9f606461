#!/usr/bin/env bash
# Whole-process timings of the Spring Boot web example and of a larger, petclinic-like application, side by side in
# one run (the machine is shared and noisy: read the ratios).
# Usage: [JAVAS="<jdk home> <jdk home>"] [LARGE=0] scripts/measure-spring-launch.sh [rounds]
# (JAVAS defaults to the java on PATH; builds the web and plain examples and the large app first if needed, without
# installing: the large app, benchmarks/spring-large-app, through the root POM's profile spring-large-app, its first
# build online to resolve JPA, H2, Thymeleaf, validation and actuator. LARGE=0 leaves the large app out.)
# For each JDK, each round: a first launch of the web example, timed from its start until it logs "Started
# WebToolApplication" (ready); then its second launches, each timed from start to exit (forwarded, reply printed):
#   fast path  java -jar spring-boot-web.jar ...   (Main-Class: the single-instance fast launcher; no Spring loads)
#   run listener  java -cp spring-boot-web.jar org.springframework.boot.loader.launch.JarLauncher ...   (what the jar's
#              Main-Class was before the fast path: Spring Boot's launcher, forwarding from the run listener)
#   plain      a second launch of examples/plain-java, whose primary runs all along (started once per JDK)
# then the web primary is stopped (SIGTERM). Then the same for the large app (benchmarks/spring-large-app: JPA on H2,
# Thymeleaf, validation, actuator), ready when it logs "Clinic ready" (ApplicationReadyEvent: its sample data is
# stored after "Started ClinicApplication", and launches are answered from then on). Its reply counts owners in the
# database: the first launch forwarded to a new primary runs that handler cold (Hibernate's first queries, no JIT), so
# the large app's fast path is timed twice, first (cold handler) and again (warm, as for the run listener after it); the
# fast path's ratios are the warm one's. The primary logs how long its handler took for each (printed as well). Another
# second launch of the plain example is timed next to the large app's.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
web=examples/spring-boot-web/target/spring-boot-web.jar
plain=examples/plain-java/target/plain-java-example.jar
[ -f "$web" ] || ./mvnw -q -B -o -pl examples/spring-boot-web -am package -DskipTests
[ -f "$plain" ] || ./mvnw -q -B -o -pl examples/plain-java -am package -DskipTests
large=benchmarks/spring-large-app/target/spring-large-app.jar
measure_large=${LARGE:-1}
if [ "$measure_large" != 0 ] && [ ! -f "$large" ]; then
  ./mvnw -q -B -P spring-large-app -pl benchmarks/spring-large-app -am package -DskipTests
fi
javas=${JAVAS:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
work=$(mktemp -d)
id="measure-spring-$$"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {printf "%d\n", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
await_line() { # file, pattern (waits up to about two minutes: the large app starts in 30 s on a loaded machine)
  for _ in $(seq 1 24000); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.005; done
  echo "no '$2' in time; output:" >&2; cat "$1" >&2; return 1
}
timed() { # file of times, expected reply prefix, command...
  local out=$1 expect=$2; shift 2
  local t; t=$(now)
  "$@" >"$work/last.out" 2>&1 || { echo "launch failed: $*" >&2; cat "$work/last.out" >&2; exit 1; }
  echo $(( ($(now) - t) / 1000 )) >>"$out"
  grep -q "^$expect" "$work/last.out" || { echo "unexpected reply to $*:" >&2; cat "$work/last.out" >&2; exit 1; }
}
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
ms() { awk "BEGIN {printf \"%.0f\", $1 / 1000}"; }

for home in $javas; do
  java="$home/bin/java"
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  tag=$(basename "$home")
  : >"$work/$tag.ready"; : >"$work/$tag.fast"; : >"$work/$tag.slow"; : >"$work/$tag.plain"
  : >"$work/$tag.large-ready"; : >"$work/$tag.large-fast"; : >"$work/$tag.large-slow"; : >"$work/$tag.large-plain"
  : >"$work/$tag.large-cold"; : >"$work/$tag.large-hcold"; : >"$work/$tag.large-hwarm"
  "$java" -Dsingle-instance.id="$id-plain" -jar "$plain" >"$work/$tag.plain-primary.out" 2>&1 & plainpid=$!
  pids+=("$plainpid")
  await_line "$work/$tag.plain-primary.out" '^primary'
  for i in $(seq 1 "$rounds"); do
    t=$(now)
    "$java" -Dsingle-instance.id="$id" -jar "$web" --server.port=0 >"$work/primary-$i.out" 2>&1 & primary=$!
    pids+=("$primary")
    await_line "$work/primary-$i.out" 'Started WebToolApplication'
    echo $(( ($(now) - t) / 1000 )) >>"$work/$tag.ready"
    expect="opened report-$i.txt in the running instance, pid $primary"
    timed "$work/$tag.fast" "$expect" "$java" -Dsingle-instance.id="$id" -jar "$web" "report-$i.txt"
    timed "$work/$tag.slow" "opened slow-$i.txt in the running instance, pid $primary" \
      "$java" -Dsingle-instance.id="$id" -cp "$web" org.springframework.boot.loader.launch.JarLauncher "slow-$i.txt"
    timed "$work/$tag.plain" "" "$java" -Dsingle-instance.id="$id-plain" -jar "$plain" "file-$i.txt"
    kill -TERM "$primary"; wait "$primary" 2>/dev/null || true
    [ "$measure_large" != 0 ] || continue
    t=$(now)
    "$java" -Dsingle-instance.id="$id-large" -jar "$large" --server.port=0 >"$work/large-$i.out" 2>&1 & primary=$!
    pids+=("$primary")
    await_line "$work/large-$i.out" 'Clinic ready'
    echo $(( ($(now) - t) / 1000 )) >>"$work/$tag.large-ready"
    timed "$work/$tag.large-cold" "owners: 6, 1 named De\\* in the running instance, pid $primary" \
      "$java" -Dsingle-instance.id="$id-large" -jar "$large" De
    timed "$work/$tag.large-fast" "owners: 6, 2 named Ko\\* in the running instance, pid $primary" \
      "$java" -Dsingle-instance.id="$id-large" -jar "$large" Ko
    timed "$work/$tag.large-slow" "owners: 6, 1 named Fi\\* in the running instance, pid $primary" \
      "$java" -Dsingle-instance.id="$id-large" -cp "$large" org.springframework.boot.loader.launch.JarLauncher Fi
    timed "$work/$tag.large-plain" "" "$java" -Dsingle-instance.id="$id-plain" -jar "$plain" "large-$i.txt"
    kill -TERM "$primary"; wait "$primary" 2>/dev/null || true
    grep -o 'Answered the launch from pid [0-9]* in [0-9]* us' "$work/large-$i.out" | awk '{print $(NF-1)}' >"$work/handler"
    sed -n 1p "$work/handler" >>"$work/$tag.large-hcold"; sed -n 2p "$work/handler" >>"$work/$tag.large-hwarm"
  done
  "$java" -Dsingle-instance.id="$id-plain" -jar "$plain" --stop >/dev/null 2>&1 || true
  wait "$plainpid" 2>/dev/null || true
  ready=$(median <"$work/$tag.ready"); fast=$(median <"$work/$tag.fast")
  slow=$(median <"$work/$tag.slow"); plainms=$(median <"$work/$tag.plain")
  echo "java $version ($home), $(nproc) cores, $rounds rounds, medians:"
  echo "  web example, first launch until ready:             $(ms "$ready") ms"
  echo "  web example, second launch, fast path:             $(ms "$fast") ms   $(ratio "$fast" "$plainms")x the plain example's (target <= 1.5x), $(ratio "$fast" "$ready")x its first launch (target <= 0.05x)"
  echo "  web example, second launch, run listener (no fast path): $(ms "$slow") ms   $(ratio "$slow" "$plainms")x the plain example's, $(ratio "$slow" "$ready")x its first launch"
  echo "  plain example, second launch:                      $(ms "$plainms") ms"
  [ "$measure_large" != 0 ] || continue
  lready=$(median <"$work/$tag.large-ready"); lfast=$(median <"$work/$tag.large-fast")
  lslow=$(median <"$work/$tag.large-slow"); lplain=$(median <"$work/$tag.large-plain")
  lcold=$(median <"$work/$tag.large-cold")
  hcold=$(median <"$work/$tag.large-hcold"); hwarm=$(median <"$work/$tag.large-hwarm")
  echo "  large app (petclinic-like: JPA/H2, Thymeleaf, validation, actuator), first launch until ready: $(ms "$lready") ms"
  echo "  large app, second launch, fast path, first into the new primary (handler cold): $(ms "$lcold") ms   $(ratio "$lcold" "$lplain")x the plain example's, $(ratio "$lcold" "$lready")x its first launch"
  echo "  large app, second launch, fast path (handler warm): $(ms "$lfast") ms   $(ratio "$lfast" "$lplain")x the plain example's (target <= 1.5x), $(ratio "$lfast" "$lready")x its first launch (target <= 0.05x), $(ratio "$lfast" "$fast")x the web example's"
  echo "  large app, second launch, run listener (no fast path): $(ms "$lslow") ms   $(ratio "$lslow" "$lplain")x the plain example's, $(ratio "$lslow" "$lready")x its first launch"
  echo "  plain example, second launch (next to the large app's): $(ms "$lplain") ms"
  echo "  large app's handler, in the primary (owner counts from the database): $(ms "$hcold") ms cold, $(ms "$hwarm") ms warm"
done
