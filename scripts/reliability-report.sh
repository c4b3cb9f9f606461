#!/usr/bin/env bash
# The on-demand reliability run (issue sizes: storms of 200 launches x 20 rounds, 100 kills, a 10,000-launch soak),
# then docs/reliability.md regenerated from its reports. Takes about an hour on 2 cores and needs ~10 GB of memory
# for 200 JVMs at once. Smaller: scripts/reliability-report.sh -Dstorm.launches=50 -Dstorm.rounds=5 ...
set -euo pipefail
cd "$(dirname "$0")/.."
# Every launch runs at default settings (forward timeout 5 s, total timeout 60 s); the report lists, per test, what
# a test changed (SETTINGS lines). The test and fork time limits of the CI build are lifted for these sizes.
sizes=(-Dstorm.launches=200 -Dstorm.rounds=20 -Dstorm.other-rounds=5 -Dcrash.rounds=100 -Dcrash.random-rounds=100
       -Dsoak.launches=10000 -Dsoak.idle-seconds=10 -Djunit.jupiter.execution.timeout.default=120m
       -Dsurefire.timeout=0 "$@")
command="./mvnw -B -ntp -pl launcher-core -am test -Dsurefire.failIfNoSpecifiedTests=false ${sizes[*]}"
$command || echo "some tests failed: the report shows which"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- launcher-core || echo ' with local changes')"
java scripts/ReliabilityReport.java launcher-core/target/surefire-reports docs/reliability.md "$command" "$commit"
