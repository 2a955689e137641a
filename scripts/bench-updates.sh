#!/usr/bin/env bash
# Benchmarks the model-free trainers' updates (mappo, matd3, coma on DistributedOptimization-v1 with
# bench/model-free.yaml's settings) against the same updates written plainly in PyTorch
# (bench/reference/model_free_updates.py), interleaved: ours, reference, ours, ... so both see the
# same machine load. Both run PyTorch on one intra-op thread. Prints every run, then per algorithm
# the medians of updates per second (wall), per CPU second of the process and in the fastest 1 s
# window (the last two steadier when other jobs share the machine) and their ratios (ours /
# reference; issue 14 asks for at least 1/1.5).
#
#   scripts/bench-updates.sh [REPEATS] [JAR]      defaults: 3, agent-client/target/agent-client.jar
#
# SECONDS_TIMED and WARMUP_SECONDS (defaults 10 and 3) set each algorithm's timed and untimed part.
# Needs Debian's PyTorch for /usr/bin/python3 (apt-get install -y python3-torch); with
# libopenblas0-pthread installed the reference runs on OpenBLAS, one thread
# (scripts/lib/pytorch-reference.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=${1:-3}
jar=${2:-agent-client/target/agent-client.jar}
seconds=${SECONDS_TIMED:-10}
warmup=${WARMUP_SECONDS:-3}
[[ -f $jar ]] || { echo "no $jar: build it with mvn -B -q package -DskipTests" >&2; exit 2; }
source scripts/lib/pytorch-reference.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for ((i = 1; i <= repeats; i++)); do
    java -jar "$jar" bench-updates --settings bench/model-free.yaml --warmup-seconds "$warmup" \
        --seconds "$seconds" --json "$work/ours-$i.json" >"$work/ours-$i.log" 2>&1 \
        || { cat "$work/ours-$i.log" >&2; exit 1; }
    env OPENBLAS_NUM_THREADS=1 "${reference_env[@]}" /usr/bin/python3 bench/reference/model_free_updates.py \
        --warmup-seconds "$warmup" --seconds "$seconds" >"$work/ref-$i.json"
    echo "repeat $i of $repeats done" >&2
done

/usr/bin/python3 - "$work" "$repeats" "$blas" <<'EOF'
import json, statistics, sys

work, repeats, blas = sys.argv[1], int(sys.argv[2]), sys.argv[3]
algorithms = ["mappo", "matd3", "coma"]
ours = [json.load(open(f"{work}/ours-{i}.json")) for i in range(1, repeats + 1)]
refs = [json.loads(open(f"{work}/ref-{i}.json").read()) for i in range(1, repeats + 1)]
print(f"reference: torch {refs[0]['torch']}, {refs[0]['threads']} thread(s), {blas} BLAS; "
      f"{repeats} interleaved repeats")
for unit, key in (("updates/s", "updates_per_second"), ("updates per CPU second", "updates_per_cpu_second"),
                  ("updates/s in the fastest 1 s window", "best_window_updates_per_second")):
    print(f"\n{unit}")
    for i, (our, ref) in enumerate(zip(ours, refs), 1):
        print(f"  #{i}: " + ", ".join(f"{a} {our[a][key]:,.1f} vs {ref[a][key]:,.1f}" for a in algorithms))
    print(f"  {'median':<8}{'ours':>10}{'reference':>12}{'ours/ref':>10}")
    for a in algorithms:
        our = statistics.median(run[a][key] for run in ours)
        ref = statistics.median(run[a][key] for run in refs)
        print(f"  {a:<8}{our:>10,.1f}{ref:>12,.1f}{our / ref:>10.3f}")
EOF
