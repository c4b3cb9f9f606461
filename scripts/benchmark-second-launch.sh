#!/usr/bin/env bash
# Second launch of the plain example against a bare "java Hello", every variant measured in the same interleaved
# loop (the machine is shared and noisy: read the ratios). Writes CSV rows: jdk,variant,median_ms,p90_ms,ratio.
# Usage: scripts/benchmark-second-launch.sh [rounds] [out.csv]
#   JDKS="path/to/jdk1 path/to/jdk2" chooses the JDKs (default: the java on PATH).
# Variants: hello (bare JVM, the floor), posix (default backend, JNA), portable (pure JDK), and both with AppCDS:
# a dynamic archive written by one training launch (-XX:ArchiveClassesAtExit) and used with -XX:SharedArchiveFile,
# exactly what the README tells users to do; on Java 25+ also with the AOT cache (-XX:AOTCacheOutput once,
# then -XX:AOTCache).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
out=${2:-/dev/stdout}
jar=examples/plain-java/target/plain-java-example.jar
[ -f "$jar" ] || ./mvnw -q -B -pl examples/plain-java -am package -DskipTests
default_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
jdks=${JDKS:-$default_jdk}
work=$(mktemp -d)
id="bench-$$"
trap 'pkill -f "single-instance.id=$id" 2>/dev/null || true; rm -rf "$work"' EXIT
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  >"$work/Hello.java"

now() { date +%s%N; }
stats() { sort -n | awk '{v[NR]=$1} END {m=(NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2); p=v[int(NR*0.9+0.5)]; printf "%.1f %.1f\n", m/1000, p/1000}'; }
await_primary() {
  for _ in $(seq 1 2000); do grep -q '^primary' "$1" 2>/dev/null && return 0; sleep 0.01; done
  echo "no primary; its output:" >&2; cat "$1" >&2; return 1
}

echo "jdk,variant,median_ms,p90_ms,ratio" >"$out"
for jdk in $jdks; do
  java="$jdk/bin/java"
  version=$("$java" -version 2>&1 | head -1 | cut -d'"' -f2)
  mkdir -p "$work/$version"
  "$jdk/bin/javac" -d "$work/$version" "$work/Hello.java"
  declare -A options=(
    [posix]="-Dsingle-instance.id=$id-posix"
    [portable]="-Dsingle-instance.id=$id-portable -Dsingle-instance.backend=portable"
  )
  major=${version%%.*}
  for backend in posix portable; do
    # shellcheck disable=SC2086
    "$java" ${options[$backend]} -jar "$jar" >"$work/$version-$backend.out" 2>&1 &
    await_primary "$work/$version-$backend.out"
    # shellcheck disable=SC2086
    "$java" -XX:ArchiveClassesAtExit="$work/$version-$backend.jsa" ${options[$backend]} -jar "$jar" training \
      >/dev/null 2>&1
    if [ "$major" -ge 25 ]; then
      # shellcheck disable=SC2086
      "$java" -XX:AOTCacheOutput="$work/$version-$backend.aot" ${options[$backend]} -jar "$jar" training \
        >/dev/null 2>&1
    fi
  done
  variants="hello posix portable posix+appcds portable+appcds"
  [ "$major" -ge 25 ] && variants="$variants posix+aot portable+aot"
  for v in $variants; do : >"$work/$version-$v.us"; done
  for _ in $(seq 1 "$rounds"); do
    for v in $variants; do
      case $v in
        hello) command=("$java" -cp "$work/$version" Hello) ;;
        posix | portable) read -ra command <<<"$java ${options[$v]} -jar $jar file.txt" ;;
        *+appcds) b=${v%+appcds}
          read -ra command <<<"$java -XX:SharedArchiveFile=$work/$version-$b.jsa ${options[$b]} -jar $jar file.txt" ;;
        *+aot) b=${v%+aot}
          read -ra command <<<"$java -XX:AOTCache=$work/$version-$b.aot ${options[$b]} -jar $jar file.txt" ;;
      esac
      t=$(now); "${command[@]}" >/dev/null 2>&1; echo $(( ($(now) - t) / 1000 )) >>"$work/$version-$v.us"
    done
  done
  for backend in posix portable; do
    # shellcheck disable=SC2086
    "$java" ${options[$backend]} -jar "$jar" --stop >/dev/null 2>&1 || true
  done
  wait
  read -r hello _ < <(stats <"$work/$version-hello.us")
  for v in $variants; do
    read -r median p90 < <(stats <"$work/$version-$v.us")
    echo "$version,$v,$median,$p90,$(awk "BEGIN {printf \"%.2f\", $median / $hello}")" >>"$out"
  done
done
