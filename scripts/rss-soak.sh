#!/usr/bin/env bash
# The memory soak of docs/agent-client.md: runs the default `train` for ROUNDS rounds (default
# 10,000) into a new directory and prints the client's VmRSS (and its anonymous and file-backed
# parts) from /proc/PID/status every 1,000 rounds, with the Java heap's committed size (jstat),
# then the growth of VmRSS from round 1,000 to the last.
# A round counts once its row is in episodes.csv, which is flushed at every checkpoint (every 250
# rounds), so the samples land on multiples of 250 rounds. Extra arguments go to `train`; the
# environment (e.g. MALLOC_ARENA_MAX) and JAVA_OPTIONS reach the JVM.
#   usage: scripts/rss-soak.sh OUT_DIR [ROUNDS] [train options...]
set -euo pipefail
out=${1:?usage: scripts/rss-soak.sh OUT_DIR [ROUNDS] [train options...]}
rounds=${2:-10000}
shift $(( $# >= 2 ? 2 : 1 ))
jar="$(dirname "$0")/../agent-client/target/agent-client.jar"
if [ -e "$out" ]; then
    echo "error: $out exists; give a new directory" >&2
    exit 2
fi
mkdir -p "$out"
# shellcheck disable=SC2086
java ${JAVA_OPTIONS:-} -jar "$jar" train --episodes "$rounds" --out "$out" --metrics-port 0 "$@" \
    > "$out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' INT TERM

field() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status" 2>/dev/null; }

next=1000
first=0
last=0
while kill -0 "$pid" 2>/dev/null && [ "$next" -le "$rounds" ]; do
    done_rounds=$(( $( (wc -l < "$out/episodes.csv") 2>/dev/null || echo 1) - 1 ))
    if [ "$done_rounds" -ge "$next" ]; then
        rss=$(field VmRSS)
        [ -n "$rss" ] || break
        anon=$(field RssAnon)
        file=$(field RssFile)
        heap=$(jstat -gc "$pid" 2>/dev/null | awk 'NR == 2 { printf "%d", $1 + $2 + $5 + $7 }')
        printf 'round %6d  VmRSS %7d KiB  RssAnon %7d KiB  RssFile %7d KiB  heap committed %7s KiB\n' \
            "$done_rounds" "$rss" "$anon" "$file" "${heap:-?}"
        [ "$first" -gt 0 ] || first=$rss
        last=$rss
        next=$(( next + 1000 ))
    fi
    sleep 0.05
done
wait "$pid" || { echo "error: train failed, see $out.log" >&2; exit 1; }
awk -v a="$first" -v b="$last" 'BEGIN { printf "RSS growth round 1,000 -> last: %+.2f %%\n", 100 * (b - a) / a }'
