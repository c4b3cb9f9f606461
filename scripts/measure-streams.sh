#!/usr/bin/env bash
# The remote command line's streams against a peer, side by side in one run, for each JDK:
#  - throughput of SIZE bytes (default 1 GiB) primary -> second launch (its stdout a pipe into cat > /dev/null) and
#    second launch -> primary (its stdin a pipe from head -c), for the library (benchmarks' StreamBenchApp), for the
#    same bytes between two JVMs through a bare Unix-domain socket (UnixSocketPeer), and for cat alone (the floor);
#    whole processes, JVM start included in both JVM rows;
#  - the latency of the first output chunk (a handler that writes one line) against the plain round trip (a handler
#    that only answers), whole second launches;
#  - the plain --exit 0 second launch of the plain example against the same launch of the build before streams
#    (OLD_JAR: its jar; skipped if unset);
#  - peak RSS (VmHWM): what a SIZE stream adds over a 1 MiB stream, the same number of launches each (MEMORY_ROUNDS,
#    default 3, each way), for the second launch, the primary, and the bare socket's client and server.
# Medians of ROUNDS rounds, every variant in the same loop. Markdown to stdout and benchmarks/target/streams.md.
#
# Usage: scripts/measure-streams.sh
#   ROUNDS=5       rounds (throughput) ; LATENCY_ROUNDS=20 rounds of the latency rows
#   SIZE=1073741824
#   JDKS="..."     JDK homes (default Java 17 and 25 below; a missing one is skipped)
#   OLD_JAR=path   plain example jar of the build to compare --exit 0 with
#   BUILD=0        use the jars already built
set -euo pipefail
cd "$(dirname "$0")/.."
jdk17=/usr/lib/jvm/java-17-openjdk-amd64
jdk25=/usr/lib/jvm/temurin-25-jdk-amd64
jdks=${JDKS:-"$jdk17 $jdk25"}
rounds=${ROUNDS:-5}
latency_rounds=${LATENCY_ROUNDS:-20}
size=${SIZE:-1073741824}
if [ "${BUILD:-1}" != 0 ]; then
  ./mvnw -q -B -pl benchmarks,examples/plain-java -am package -DskipTests
fi
bench=benchmarks/target/benchmarks.jar
plain=examples/plain-java/target/plain-java-example.jar
work=$(mktemp -d)
primaries=()
cleanup() {
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ms() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

out=benchmarks/target/streams.md
{
  echo "## Streams: the library against a bare Unix-domain socket between two JVMs, and cat"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(uname -sr), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); medians of $rounds rounds (latency: $latency_rounds), every row in the same loop; $((size / 1048576)) MiB per stream."
  echo
} | tee "$out"

for jdk in $jdks; do
  java=$jdk/bin/java
  if [ ! -x "$java" ]; then
    echo "skipped: no JDK at $jdk" | tee -a "$out"
    continue
  fi
  version=$("$java" -version 2>&1 | head -1)
  id=streams-bench-$$-$RANDOM
  "$java" -Dsingle-instance.id=$id -Dlogback.configurationFile=/dev/null -cp "$bench" \
    io.github.singleinstance.benchmarks.streams.StreamBenchApp > "$work/primary.log" 2>&1 &
  primary=$!
  primaries+=("$primary")
  socket=$work/peer.sock
  "$java" -cp "$bench" io.github.singleinstance.benchmarks.streams.UnixSocketPeer server "$socket" > "$work/peer.log" 2>&1 &
  primaries+=("$!")
  old_id=plain-old-$$-$RANDOM
  new_id=plain-new-$$-$RANDOM
  "$java" -Dsingle-instance.id=$new_id -jar "$plain" > /dev/null 2>&1 &
  primaries+=("$!")
  if [ -n "${OLD_JAR:-}" ]; then
    "$java" -Dsingle-instance.id=$old_id -jar "$OLD_JAR" > /dev/null 2>&1 &
    primaries+=("$!")
  fi
  sleep 3
  ours=("$java" -Dsingle-instance.id=$id -cp "$bench" io.github.singleinstance.benchmarks.streams.StreamBenchApp)
  peer=("$java" -cp "$bench" io.github.singleinstance.benchmarks.streams.UnixSocketPeer client "$socket")
  "${ours[@]}" --exit > /dev/null # warm the page cache
  : > "$work/t"
  for round in $(seq "$rounds"); do
    t0=$(ms); "${ours[@]}" --send "$size" | cat > /dev/null; t1=$(ms); echo "ours_send $(( (t1 - t0) / 1000000 ))" >> "$work/t"
    t0=$(ms); "${peer[@]}" send "$size" | cat > /dev/null; t1=$(ms); echo "peer_send $(( (t1 - t0) / 1000000 ))" >> "$work/t"
    t0=$(ms); head -c "$size" /dev/zero | cat > /dev/null; t1=$(ms); echo "cat $(( (t1 - t0) / 1000000 ))" >> "$work/t"
    t0=$(ms); head -c "$size" /dev/zero | "${ours[@]}" --count > "$work/count"; t1=$(ms); echo "ours_count $(( (t1 - t0) / 1000000 ))" >> "$work/t"
    [ "$(cat "$work/count")" = "$size" ] || { echo "ours --count answered $(cat "$work/count"), not $size" >&2; exit 1; }
    t0=$(ms); head -c "$size" /dev/zero | "${peer[@]}" count > "$work/count"; t1=$(ms); echo "peer_count $(( (t1 - t0) / 1000000 ))" >> "$work/t"
  done
  for round in $(seq "$latency_rounds"); do
    t0=$(ms); "${ours[@]}" --exit > /dev/null; t1=$(ms); echo "ours_exit $(( (t1 - t0) / 1000 ))" >> "$work/t"
    t0=$(ms); "${ours[@]}" --first-line > /dev/null; t1=$(ms); echo "ours_first $(( (t1 - t0) / 1000 ))" >> "$work/t"
    t0=$(ms); "$java" -Dsingle-instance.id=$new_id -jar "$plain" --exit 0 > /dev/null; t1=$(ms); echo "plain_new $(( (t1 - t0) / 1000 ))" >> "$work/t"
    if [ -n "${OLD_JAR:-}" ]; then
      t0=$(ms); "$java" -Dsingle-instance.id=$old_id -jar "$OLD_JAR" --exit 0 > /dev/null; t1=$(ms); echo "plain_old $(( (t1 - t0) / 1000 ))" >> "$work/t"
    fi
  done
  /usr/bin/time -f %M -o "$work/rss-exit" "${ours[@]}" --exit > /dev/null
  # memory: what a SIZE stream adds over a 1 MiB one, the same number of launches (MEMORY_ROUNDS each way) on each
  # side: fresh primaries and peer servers, one taking 1 MiB streams, the other SIZE streams; the second launches'
  # peaks are medians
  mem_rounds=${MEMORY_ROUNDS:-3}
  small_id=streams-mem-s-$$-$RANDOM
  large_id=streams-mem-l-$$-$RANDOM
  "$java" -Dsingle-instance.id=$small_id -Dlogback.configurationFile=/dev/null -cp "$bench" \
    io.github.singleinstance.benchmarks.streams.StreamBenchApp > /dev/null 2>&1 &
  small_primary=$!
  "$java" -Dsingle-instance.id=$large_id -Dlogback.configurationFile=/dev/null -cp "$bench" \
    io.github.singleinstance.benchmarks.streams.StreamBenchApp > /dev/null 2>&1 &
  large_primary=$!
  "$java" -cp "$bench" io.github.singleinstance.benchmarks.streams.UnixSocketPeer server "$work/small.sock" > /dev/null 2>&1 &
  small_server=$!
  "$java" -cp "$bench" io.github.singleinstance.benchmarks.streams.UnixSocketPeer server "$work/large.sock" > /dev/null 2>&1 &
  large_server=$!
  primaries+=("$small_primary" "$large_primary" "$small_server" "$large_server")
  sleep 3
  peer_client=("$java" -cp "$bench" io.github.singleinstance.benchmarks.streams.UnixSocketPeer client)
  peak() { { /usr/bin/time -f %M "$@" > /dev/null; } 2>&1 | tail -1; }
  peak_in() { local n=$1; shift; { head -c "$n" /dev/zero | /usr/bin/time -f %M "$@" > /dev/null; } 2>&1 | tail -1; }
  : > "$work/mem"
  for round in $(seq "$mem_rounds"); do
    for variant in "small 1048576 $small_id small.sock" "large $size $large_id large.sock"; do
      read -r name bytes app sock <<< "$variant"
      launch=("$java" -Dsingle-instance.id=$app -cp "$bench" io.github.singleinstance.benchmarks.streams.StreamBenchApp)
      echo "ours_recv_$name $(peak "${launch[@]}" --send "$bytes")" >> "$work/mem"
      echo "ours_send_$name $(peak_in "$bytes" "${launch[@]}" --count)" >> "$work/mem"
      echo "peer_recv_$name $(peak "${peer_client[@]}" "$work/$sock" send "$bytes")" >> "$work/mem"
      echo "peer_send_$name $(peak_in "$bytes" "${peer_client[@]}" "$work/$sock" count)" >> "$work/mem"
    done
  done
  for side in small_primary large_primary small_server large_server; do
    echo "${side} $(hwm "${!side}")" >> "$work/mem"
  done
  m() { awk -v k="$1" '$1 == k {print $2}' "$work/t" | median; }
  in_ms() { awk -v v="$(m "$1")" 'BEGIN {printf "%d", v / 1000}'; } # a median of an even count may end in .5
  mbps() { awk -v s="$size" -v t="$1" 'BEGIN {printf "%.0f", s / 1048576 / (t / 1000)}'; }
  {
    echo "### $version"
    echo
    echo "| stream of $((size / 1048576)) MiB | ours | bare Unix socket, JVM to JVM | cat (floor) | ours / socket |"
    echo "|---|---|---|---|---|"
    echo "| primary -> second launch (its stdout a pipe) | $(m ours_send) ms, $(mbps "$(m ours_send)") MiB/s | $(m peer_send) ms, $(mbps "$(m peer_send)") MiB/s | $(m cat) ms, $(mbps "$(m cat)") MiB/s | $(awk -v a="$(m peer_send)" -v b="$(m ours_send)" 'BEGIN {printf "%.2f", a / b}') of its throughput |"
    echo "| second launch -> primary (its stdin a pipe) | $(m ours_count) ms, $(mbps "$(m ours_count)") MiB/s | $(m peer_count) ms, $(mbps "$(m peer_count)") MiB/s | (same) | $(awk -v a="$(m peer_count)" -v b="$(m ours_count)" 'BEGIN {printf "%.2f", a / b}') of its throughput |"
    echo
    echo "| second launch, whole process | median | ratio |"
    echo "|---|---|---|"
    echo "| handler answers only (\`--exit\`) | $(in_ms ours_exit) ms | 1 |"
    echo "| handler writes one line, then answers (\`--first-line\`: opens the stream connection) | $(in_ms ours_first) ms | $(awk -v a="$(m ours_first)" -v b="$(m ours_exit)" 'BEGIN {printf "%.2f", a / b}')x |"
    echo "| plain example \`--exit 0\`, this build | $(in_ms plain_new) ms | 1 |"
    if [ -n "${OLD_JAR:-}" ]; then
      echo "| plain example \`--exit 0\`, build before streams ($(basename "$OLD_JAR")) | $(in_ms plain_old) ms | this build is $(awk -v a="$(m plain_new)" -v b="$(m plain_old)" 'BEGIN {printf "%.2f", a / b}')x it |"
    fi
    echo
    mm() { awk -v k="$1" '$1 == k {print $2}' "$work/mem" | median; }
    rise() { awk -v a="$(mm "$1")" -v b="$(mm "$2")" 'BEGIN {printf "%+d", b - a}'; }
    big=$((size / 1048576))
    echo "| peak RSS (VmHWM), KiB; the same launches ($mem_rounds each way) with 1 MiB and with $big MiB streams | ours, 1 MiB | ours, $big MiB | ours: what $big MiB adds | bare socket, 1 MiB | bare socket, $big MiB | bare socket: what $big MiB adds |"
    echo "|---|---|---|---|---|---|---|"
    echo "| second launch receiving (median) | $(mm ours_recv_small) | $(mm ours_recv_large) | $(rise ours_recv_small ours_recv_large) | $(mm peer_recv_small) | $(mm peer_recv_large) | $(rise peer_recv_small peer_recv_large) |"
    echo "| second launch sending (median) | $(mm ours_send_small) | $(mm ours_send_large) | $(rise ours_send_small ours_send_large) | $(mm peer_send_small) | $(mm peer_send_large) | $(rise peer_send_small peer_send_large) |"
    echo "| primary / socket server, after all its streams | $(mm small_primary) | $(mm large_primary) | $(rise small_primary large_primary) | $(mm small_server) | $(mm large_server) | $(rise small_server large_server) |"
    echo
    echo "A second launch that opens no stream (\`--exit\`) peaks at $(cat "$work/rss-exit") KiB."
    echo
  } | tee -a "$out"
  "${ours[@]}" --stop > /dev/null || true
  for pid in "${primaries[@]}"; do kill "$pid" 2>/dev/null || true; done
  primaries=()
  sleep 1
done
