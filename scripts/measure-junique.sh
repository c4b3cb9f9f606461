#!/usr/bin/env bash
# The second launch against JUnique, by hand (issue 26): JUnique is not on Maven Central, so this builds it from a
# checkout you name (its source is never copied into this project) with a 20-line app of the same shape as unique4j's
# (acquire the lock and serve, or send the arguments and print the reply). Per JDK, one interleaved loop (order
# rotated each round, one warm-up round not counted) of second launches into running primaries: JUnique, unique4j
# (benchmarks-unique4j.jar) and the plain example (posix, the default, and portable). Whole process, wall clock; prints
# medians and the medians of per-round ratios (the machine is shared and noisy: read the ratios).
# Usage: JUNIQUE_SRC=DIR scripts/measure-junique.sh
#   JUNIQUE_SRC   a checkout of JUnique (e.g. git clone https://github.com/poolborges/it.sauronsoftware.junique)
#   ROUNDS=15     timed rounds per JDK
#   JDKS="..."    the JDK homes (default: Java 17 and Java 25 below; a missing one is skipped)
#   BUILD=0       use the jars already built (benchmarks-unique4j.jar, plain-java-example.jar)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${JUNIQUE_SRC:?"name a JUnique checkout: JUNIQUE_SRC=DIR"}
[ -d "$src/src/main/java/it/sauronsoftware/junique" ] || { echo "not a JUnique checkout: $src" >&2; exit 64; }
rounds=${ROUNDS:-15}
jdks=${JDKS:-"/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"}
if [ "${BUILD:-1}" != 0 ]; then
  ./mvnw -q -B -pl benchmarks,examples/plain-java -am package -DskipTests
fi
unique4j_jar=$PWD/benchmarks/target/benchmarks-unique4j.jar
plain_jar=$PWD/examples/plain-java/target/plain-java-example.jar
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$work/app" "$work/classes"
cat > "$work/app/JUniqueApp.java" <<'JAVA'
import it.sauronsoftware.junique.AlreadyLockedException;
import it.sauronsoftware.junique.JUnique;

public final class JUniqueApp {
    public static void main(String[] args) throws Exception {
        String id = System.getProperty("app.id", "junique-peer");
        try {
            JUnique.acquireLock(id, message -> "handled " + message);
            System.out.println("READY");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        } catch (AlreadyLockedException e) {
            System.out.println(JUnique.sendMessage(id, String.join(" ", args)));
        }
    }
}
JAVA
first_jdk=${jdks%% *}
"$first_jdk/bin/javac" --release 17 -nowarn -d "$work/classes" \
  $(find "$src/src/main/java" -name '*.java') "$work/app/JUniqueApp.java"
printf 'Main-Class: JUniqueApp\n' > "$work/manifest"
"$first_jdk/bin/jar" cfm "$work/junique-app.jar" "$work/manifest" -C "$work/classes" .

for jdk in $jdks; do
  [ -x "$jdk/bin/java" ] || { echo "skipped (not installed): $jdk"; continue; }
  java=$jdk/bin/java
  run=$$-$RANDOM
  declare -A cmd=(
    [junique]="$java -Dapp.id=jq-$run -jar $work/junique-app.jar"
    [unique4j]="$java -Dpeer.dir=$work -Dpeer.id=u4-$run -jar $unique4j_jar"
    [ours-posix]="$java -Dsingle-instance.id=px-$run -jar $plain_jar"
    [ours-portable]="$java -Dsingle-instance.id=pt-$run -Dsingle-instance.backend=portable -jar $plain_jar"
  )
  names=(junique unique4j ours-posix ours-portable)
  for n in "${names[@]}"; do # the primaries, running for the whole loop
    ${cmd[$n]} > "$work/$n.primary" 2>&1 &
    for _ in $(seq 1 300); do grep -qE '^(READY|primary )' "$work/$n.primary" && break; sleep 0.1; done
    grep -qE '^(READY|primary )' "$work/$n.primary" || { echo "$n: no primary" >&2; cat "$work/$n.primary" >&2; exit 70; }
  done
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  : > "$work/times"
  for r in $(seq 0 "$rounds"); do
    for k in 0 1 2 3; do
      n=${names[$(( (k + r) % 4 ))]}
      t0=$(date +%s%N)
      ${cmd[$n]} file.txt > "$work/second.out" 2>&1 || { echo "$n's second launch failed:" >&2; cat "$work/second.out" >&2; exit 70; }
      t1=$(date +%s%N)
      [ "$r" -gt 0 ] && echo "$r $n $(( (t1 - t0) / 1000 ))" >> "$work/times"
    done
  done
  kill $(jobs -p) 2>/dev/null || true
  echo "### $("$java" -version 2>&1 | head -1): $rounds rounds, load average before $load"
  python3 - "$work/times" <<'PY'
import statistics, sys
by = {}
for line in open(sys.argv[1]):
    r, name, micros = line.split()
    by.setdefault(name, {})[int(r)] = int(micros) / 1000
for name, times in by.items():
    print(f"| {name} | {statistics.median(times.values()):.1f} ms |")
def ratio(a, b):
    return statistics.median(by[a][r] / by[b][r] for r in by[a] if r in by[b])
for a, b in [("ours-posix", "junique"), ("ours-portable", "junique"), ("ours-posix", "unique4j"),
             ("ours-portable", "unique4j"), ("junique", "unique4j")]:
    print(f"{a} / {b}: {ratio(a, b):.2f}x")
PY
  unset cmd
done
