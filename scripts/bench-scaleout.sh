#!/usr/bin/env bash
# Scale-out throughput: one trainer over 1, 2 and 3 env-server replicas (shards = replicas), the
# 1-replica run as the reference in the same run, and the single-process run (embedded server).
# Median env steps/s over interleaved repeats, as a markdown table (also in
# system-tests/target/bench-scaleout.md). See docs/scaleout-test.md.
#
#   scripts/bench-scaleout.sh                                   # 3 repeats, defaults
#   scripts/bench-scaleout.sh -Dscaleout.bench.repeats=5        # any -D of ScaleOutBenchmark
#   scripts/bench-scaleout.sh -Dscaleout.mode=loopback          # replicas on 127.0.0.11.. instead of netns
#
# Replicas run in network namespaces when run as root with iproute2, else on loopback addresses.
# On a machine with few cores the client and the replicas share them: the speed-up is bounded by the
# cores, which the table states.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "cores: $(nproc) (client and replicas share them)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p system-tests/target
# package builds env-server.jar and agent-client.jar; verify -pl system-tests -am runs only the benchmark
mvn -B -o -q verify -pl system-tests -am -Dtest=ScaleOutBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" \
    > system-tests/target/bench-scaleout.log 2>&1 || {
    echo "benchmark failed; log: system-tests/target/bench-scaleout.log" >&2
    tail -60 system-tests/target/bench-scaleout.log >&2
    exit 1
}
grep '^\[scaleout\]' system-tests/target/bench-scaleout.log | grep -v 'bin/java' || true
echo
cat system-tests/target/bench-scaleout.md
