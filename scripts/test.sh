#!/usr/bin/env bash
# The README's test command: installs what the tests need when missing, then builds and runs
# every test (unit, gRPC, end-to-end with Prometheus, conformance and other-language agents).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
mvn -B verify
