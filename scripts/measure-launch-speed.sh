#!/usr/bin/env bash
# Launch speed against a peer, side by side in one run: for each JDK, a timing harness (benchmarks' LaunchSpeed, itself
# on Java 17) interleaves round by round a bare "java Hello" (the floor), the floor of a second launch that maps its
# channel (MappingFloor in benchmarks-floor.jar, with the core jar: a JVM opens a channel-sized file in /dev/shm and
# reads a byte, by a positional read or through the library's mapping), the second launch of a lock file + loopback
# TCP peer (benchmarks-peer.jar), of the published peer unique4j (benchmarks-unique4j.jar: io.github.furrrlo:unique4j
# with a small app like ours, its defaults: a lock folder, loopback TCP from port 3000), of the plain example (posix,
# the default, and portable), and the first launch until its ready line of the peer, the library alone (benchmarks-alone.jar: core + JNA + SLF4J API, posix and portable) and
# the plain example. Medians and ratios as Markdown to stdout and benchmarks/target/launch-speed.md; then one launch
# of each with -Xlog:class+load and -Xlog:startuptime, summarised (which classes ours loads that the peer does not),
# and a timeline of our and the peer's second and first launches (when the class that begins each step first loads,
# median of 5 logged launches each). CLASS_LOADS=0 leaves both out.
#
# Usage: scripts/measure-launch-speed.sh
#   ROUNDS=15      timed rounds per JDK (one more warm-up round is not counted)
#   CDS=1          also every app with its own dynamic AppCDS archive (-XX:ArchiveClassesAtExit once per JDK, then
#                  -XX:SharedArchiveFile), in the same loop
#   JDKS="..."     the JDK homes to measure (default: Java 17 and Java 25 below; a missing one is skipped)
#   HARNESS_JDK=.. the JDK the harness runs on (default Java 17)
#   BUILD_JDK=..   the JDK that builds the jars (default Java 25 where installed, else the harness's): a build on Java
#                  22+ makes the core jar multi-release with its FFM mapping for Java 22+, as a release is built
#   BUILD=0        use the jars already built
#   BEFORE=DIR     also the plain example's and the library-alone jar of an earlier build (DIR/plain-java-example.jar,
#                  DIR/benchmarks-alone.jar) in the same loop, with ours / before per round
#   JUNIQUE_SRC=DIR  also JUnique, in the same loop, with ours / JUnique per round: JUnique is not on Maven Central,
#                  so its source is compiled from the checkout named (e.g. a clone of
#                  https://github.com/poolborges/it.sauronsoftware.junique; none of it is copied into this project)
#                  with benchmarks/src/junique/java/JUniquePeerApp.java, an app of the same shape as the others
# The machine is shared and noisy: read the ratios, which come from the same loop.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk17=/usr/lib/jvm/java-17-openjdk-amd64
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
jdks=${JDKS:-"$jdk17 $jdk25"}
harness_jdk=${HARNESS_JDK:-$jdk17}
rounds=${ROUNDS:-15}
cds=${CDS:-0}
build_jdk=${BUILD_JDK:-$jdk25}
[ -x "$build_jdk/bin/java" ] || build_jdk=$harness_jdk

if [ "${BUILD:-1}" != 0 ]; then
  JAVA_HOME=$build_jdk ./mvnw -q -B -pl benchmarks,examples/plain-java -am package -DskipTests
fi
peer_jar=benchmarks/target/benchmarks-peer.jar
unique4j_jar=benchmarks/target/benchmarks-unique4j.jar
alone_jar=benchmarks/target/benchmarks-alone.jar
plain_jar=examples/plain-java/target/plain-java-example.jar
core_jar=$(ls launcher-core/target/single-instance-core-*.jar 2>/dev/null \
  | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -1)
for jar in "$peer_jar" "$unique4j_jar" "$alone_jar" "$plain_jar" "$core_jar" benchmarks/target/benchmarks.jar \
  benchmarks/target/benchmarks-hello.jar benchmarks/target/benchmarks-floor.jar; do
  [ -f "$jar" ] || { echo "missing $jar: build with ./mvnw -pl benchmarks,examples/plain-java -am package" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
junique_jar=
if [ -n "${JUNIQUE_SRC:-}" ]; then
  [ -d "$JUNIQUE_SRC/src/main/java/it/sauronsoftware/junique" ] \
    || { echo "JUNIQUE_SRC is not a JUnique checkout: $JUNIQUE_SRC" >&2; exit 64; }
  mkdir -p "$work/junique-classes"
  "$build_jdk/bin/javac" --release 17 -nowarn -d "$work/junique-classes" \
    $(find "$JUNIQUE_SRC/src/main/java" -name '*.java') benchmarks/src/junique/java/JUniquePeerApp.java
  printf 'Main-Class: JUniquePeerApp\n' > "$work/junique-manifest"
  junique_jar=$work/junique-peer.jar
  "$build_jdk/bin/jar" cfm "$junique_jar" "$work/junique-manifest" -C "$work/junique-classes" .
fi
out=benchmarks/target/launch-speed.md
{
  echo "## Launch speed: single-instance against a lock file + loopback TCP peer"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(uname -sr), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), jars built by $("$build_jdk/bin/java" -version 2>&1 | head -1)."
  echo "Whole process in wall-clock ms, taken by a harness on $("$harness_jdk/bin/java" -version 2>&1 | head -1) with"
  echo "System.nanoTime around ProcessBuilder.start and the exit (second launches, Hello) or the ready line (first"
  echo "launches; then SIGTERM and wait for the exit before the next launch). Every variant in the same interleaved"
  echo "loop, order rotated each round. *× peer* = ours / peer's median; *× unique4j* = the median over the rounds of"
  echo "ours / unique4j's in the same round; *÷ peer's (minus Hello)* = (ours − Hello) / (peer − Hello), the launch's own"
  echo "cost over the bare JVM's against the peer's."
  echo
} | tee "$out"

for jdk in $jdks; do
  if [ ! -x "$jdk/bin/java" ]; then
    echo "skipped: no JDK at $jdk" | tee -a "$out"
    echo | tee -a "$out"
    continue
  fi
  "$harness_jdk/bin/java" -cp benchmarks/target/benchmarks.jar io.github.singleinstance.benchmarks.launch.LaunchSpeed \
    java="$jdk/bin/java" rounds="$rounds" cds="$cds" classLoads="${CLASS_LOADS:-1}" \
    helloClasspath=benchmarks/target/classes helloJar=benchmarks/target/benchmarks-hello.jar peerJar="$peer_jar" unique4jJar="$unique4j_jar" aloneJar="$alone_jar" plainJar="$plain_jar" \
    floorJar=benchmarks/target/benchmarks-floor.jar coreJar="$core_jar" \
    ${BEFORE:+beforePlainJar="$BEFORE/plain-java-example.jar" beforeAloneJar="$BEFORE/benchmarks-alone.jar"} \
    ${junique_jar:+juniqueJar="$junique_jar"} \
    work="$work/$(basename "$jdk")" out="$out" load="$(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "written to $out" >&2
