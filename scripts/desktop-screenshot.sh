#!/usr/bin/env bash
# Regenerates docs/desktop.png: runs the Swing example's desktop test (DesktopExampleIT, on Xvfb with openbox), which
# photographs the example's window with two files open (the first launch's and a later launch's) and its frame.
# Needs the X tools of .ci/install-test-tools.   Usage: scripts/desktop-screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# strict: without the X tools the test fails instead of skipping, so no stale picture is kept quietly
SINGLE_INSTANCE_TEST_STRICT=true ./mvnw -q -B -ntp -pl examples/desktop-swing -am verify -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='DesktopExampleIT#laterLaunches*' -Ddesktop.screenshot="$PWD/docs/desktop.png"
echo "wrote docs/desktop.png"
