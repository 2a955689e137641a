#!/usr/bin/env bash
# Server benchmark: the Java env server against the Python numpy reference server
# (bench/python-peer/numpy_env_server.py) on DistributedOptimization-v1, unary Step and the Interact
# stream at 64 and 1024 copies, interleaved repeats, median env steps/s and the Java/Python ratio.
# The run first checks both servers answer the same Reset and Steps for the same seed. See the
# Performance section of docs/server.md.
#
#   scripts/bench-server.sh                          # in-JVM Java server, 5 repeats
#   scripts/bench-server.sh --repeats 9 --with-messages
#   scripts/bench-server.sh --java-target main=127.0.0.1:50061 --java-target branch=127.0.0.1:50062
#
# Any option of `env-server bench-peer` passes through. Installs nothing: it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null || missing+=("java (a JDK 17: apt-get install openjdk-17-jdk-headless)")
command -v mvn >/dev/null || missing+=("mvn (apt-get install maven)")
if [[ -x /usr/bin/python3 ]]; then
    /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=("numpy for /usr/bin/python3 (apt-get install python3-numpy)")
    /usr/bin/python3 -c 'import grpc' 2>/dev/null || missing+=("grpcio for /usr/bin/python3 (apt-get install python3-grpcio)")
    /usr/bin/python3 -c 'import grpc_tools' 2>/dev/null \
        || missing+=("grpc_tools for /usr/bin/python3 (apt-get install python3-grpc-tools)")
else
    missing+=("/usr/bin/python3 (apt-get install python3)")
fi
if (( ${#missing[@]} )); then
    printf 'missing: %s\n' "${missing[@]}" >&2
    echo "bash scripts/install-test-deps.sh installs the Python packages" >&2
    exit 2
fi

echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
jar=env-server/target/env-server.jar
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    echo "building $jar (SKIP_BUILD=1 uses the one there)"
    mvn -B -o -q package -pl env-server -am -DskipTests
fi
java -jar "$jar" bench-peer "$@" 2> >(grep -v ' INFO ' >&2)
