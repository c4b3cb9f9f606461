#!/usr/bin/env bash
# The on-demand reliability run (issue sizes: storms of 200 launches x 20 rounds, 100 kills, a 10,000-launch soak),
# then docs/reliability.md regenerated from its reports. Takes about an hour on 2 cores and needs ~10 GB of memory
# for 200 JVMs at once. Smaller: scripts/reliability-report.sh -Dstorm.launches=50 -Dstorm.rounds=5 ...
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=(-Dstorm.launches=200 -Dstorm.rounds=20 -Dstorm.other-rounds=5 -Dcrash.rounds=100 -Dcrash.random-rounds=100
       -Dsoak.launches=10000 -Dsoak.idle-seconds=10 "$@")
command="./mvnw -B -ntp -pl launcher-core -am test -Dsurefire.failIfNoSpecifiedTests=false ${sizes[*]}"
$command || echo "some tests failed: the report shows which"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- launcher-core || echo ' with local changes')"
java scripts/ReliabilityReport.java launcher-core/target/surefire-reports docs/reliability.md "$command" "$commit"
