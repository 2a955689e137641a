#!/usr/bin/env bash
# Where the default `train`'s trainer thread spends its time, by library: it is the thread that
# acts, steps the in-JVM env server (the in-process channel runs the service on the caller's
# thread), backpropagates and updates, so its split bounds what any change on one side can buy.
# perf samples that thread for SECONDS in mid-run; the JIT's symbol map (jcmd Compiler.perfmap)
# names compiled Java methods. Prints the share of each library, the top symbols, and the ceiling
# the native share sets: the speed-up if every Java instruction of the thread took no time.
#
#   scripts/profile-training.sh [SECONDS] [JAR]     defaults: 4, agent-client/target/agent-client.jar
#
# Needs perf (Debian: apt-get install -y linux-perf) and jcmd (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-4}
jar=${2:-agent-client/target/agent-client.jar}
[[ -f $jar ]] || { echo "no $jar: build it with mvn -B -q package -DskipTests" >&2; exit 2; }
command -v perf >/dev/null || { echo "no perf: apt-get install -y linux-perf" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
AGENT_CLIENT_JAR=$jar bin/agent-client train --out "$work/run" >"$work/train.log" 2>&1 &
pid=$!
# training has started once the first round is in episodes.csv; then let the JIT settle a little
for _ in $(seq 200); do
    [[ -s $work/run/episodes.csv ]] && break
    sleep 0.1
done
sleep 2
java_pid=$(pgrep -P "$pid" java || echo "$pid") # bin/agent-client execs java, so usually $pid itself
busiest=$(for task in /proc/"$java_pid"/task/*; do
    echo "$(awk '{print $14 + $15}' "$task/stat") ${task##*/}"
done | sort -n -r | head -1 | cut -d' ' -f2)
perf record -q -F 4000 -t "$busiest" -o "$work/perf.data" -- sleep "$seconds" 2>/dev/null
jcmd "$java_pid" Compiler.perfmap >/dev/null
wait "$pid" || { cat "$work/train.log" >&2; exit 1; }
tail -1 "$work/train.log"

perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null >"$work/dso.txt"
perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null >"$work/sym.txt"
/usr/bin/python3 - "$work/dso.txt" "$work/sym.txt" <<'EOF'
import re, sys

def rows(path):
    for line in open(path):
        match = re.match(r"\s*([\d.]+)%\s+(.*\S)", line)
        if match and not line.lstrip().startswith("#"):
            yield float(match.group(1)), match.group(2)

java = sum(share for share, dso in rows(sys.argv[1]) if dso.startswith("[JIT]") or dso == "libjvm.so")
print("trainer thread, share of samples by library:")
for share, dso in list(rows(sys.argv[1]))[:10]:
    print(f"  {share:6.2f}%  {dso}")
print("top symbols:")
for share, symbol in list(rows(sys.argv[2]))[:15]:
    print(f"  {share:6.2f}%  {symbol[:150]}")
native = 100 - java
print(f"Java (compiled, interpreted, the JVM itself): {java:.1f}%; native and kernel: {native:.1f}%")
print(f"ceiling if the thread's Java took no time: {100 / native:.2f}x its current speed")
EOF
