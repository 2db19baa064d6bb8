#!/bin/bash
# Runs the whole ostree4j test suite: unit tests and integration tests against the real peers.
#
# Usage: scripts/test.sh [extra maven arguments]
#
# As root, installs what is missing first (JDK and Maven, then the peers: ostree, skopeo, ...).
# With CI=true a missing peer fails the run instead of skipping its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-build-tools.sh
scripts/install-peers.sh
export LC_ALL=C.UTF-8
exec mvn -B -ntp verify "$@"
