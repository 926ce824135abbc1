#!/usr/bin/env bash
# Prepares everything the test suite needs on a fresh machine, then runs it.
# Installs missing system packages with apt-get when running as root (otherwise says what to
# install), starts the services that are down, and runs the Maven build with all tests.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib/prepare.sh"

prepare_java
prepare_test_dependencies

echo "== running the test suite (JAVA_HOME=$JAVA_HOME)"
./mvnw -B -ntp verify "$@"
