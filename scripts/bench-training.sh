#!/usr/bin/env bash
# Benchmarks the default `train` (README's command: bin/agent-client train) against the seed's
# method written as batched PyTorch in one process (bench/reference/seed_reward_gradient.py),
# interleaved: train, train probed, reference, train, ... so all see the same machine load. Prints
# every run, then medians and ratios (ours / reference): of the medians, and paired (the median of
# each repeat's own ratio, steadier when the machine's speed drifts between repeats).
#
#   scripts/bench-training.sh [REPEATS] [JAR]      defaults: 3, agent-client/target/agent-client.jar
#
# Each repeat runs ours twice. The default run gives throughput, CPU, memory and the time outside
# training. The probed run evaluates as the reference does to find its time to 99% one-step
# success: on 1,000 fresh resets every 10 rounds (--set evalEverySteps=9600, evalEveryEpisodes=1000).
#
# Needs /usr/bin/time, and Debian's PyTorch for /usr/bin/python3 (apt-get install -y python3-torch);
# with libopenblas0-pthread installed the reference runs on OpenBLAS (scripts/lib/pytorch-reference.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

repeats=${1:-3}
jar=${2:-agent-client/target/agent-client.jar}
[[ -f $jar ]] || { echo "no $jar: build it with mvn -B -q package -DskipTests" >&2; exit 2; }
source scripts/lib/pytorch-reference.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
timed() { # FILE COMMAND...: wall seconds, CPU seconds (user + sys) and peak RSS (KiB) into FILE
    local file=$1
    shift
    /usr/bin/time -o "$file" -f '%e %U %S %M' "$@"
}


# Runs the probed training and prints the seconds from process start to the first evaluations.csv
# row at >= 99% one-step success ("nan" if none): the run's time outside training and evaluation
# (start-up, and exit: counted against us) plus the training wall time at that row. Our probes run
# whole evaluation episodes (up to 50 steps each) and save checkpoint-best, far more than the
# reference's one-step probes, so their time is left out; the reference's is in its figure.
time_to_99() { # OUT_DIR LOG
    /usr/bin/python3 - "$@" <<'PY'
import csv, json, subprocess, sys, time
out, log = sys.argv[1], sys.argv[2]
command = ["bin/agent-client", "train", "--metrics-port", "0", "--no-eval", "--out", out,
           "--set", "evalEverySteps=9600", "--set", "evalEveryEpisodes=1000"]
start = time.time()
if subprocess.call(command, stdout=open(log, "w"), stderr=subprocess.STDOUT) != 0:
    sys.exit(open(log).read())
wall = time.time() - start
summary = json.load(open(f"{out}/summary.json"))
outside = wall - summary["training_seconds"] - summary["periodic_evaluation_seconds"]
reached = [float(row["wall_seconds"]) for row in csv.DictReader(open(f"{out}/evaluations.csv"))
           if float(row["one_step_success"]) >= 0.99]
print(outside + reached[0] if reached else float("nan"))
PY
}

for ((i = 1; i <= repeats; i++)); do
    timed "$work/ours-$i.time" env AGENT_CLIENT_JAR="$jar" bin/agent-client train --metrics-port 0 --out "$work/ours-$i" \
        >"$work/ours-$i.log" 2>&1 || { cat "$work/ours-$i.log" >&2; exit 1; }
    AGENT_CLIENT_JAR=$jar time_to_99 "$work/probed-$i" "$work/probed-$i.log" >"$work/probed-$i.seconds"
    timed "$work/ref-$i.time" env "${reference_env[@]}" /usr/bin/python3 bench/reference/seed_reward_gradient.py \
        >"$work/ref-$i.json"
    echo "repeat $i of $repeats done" >&2
done

/usr/bin/python3 - "$work" "$repeats" "$blas" <<'EOF'
import json, statistics, sys

work, repeats, blas = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def timing(path):
    wall, user, system, rss_kib = open(path).read().split()[-4:]
    return float(wall), float(user) + float(system), float(rss_kib) / 1024


rows = {"ours": [], "reference": []}
for i in range(1, repeats + 1):
    summary = json.load(open(f"{work}/ours-{i}/summary.json"))
    copies = json.load(open(f"{work}/ours-{i}/config.json"))["config"]["numEnvs"]
    wall, cpu, rss = timing(f"{work}/ours-{i}.time")
    evaluation = summary["evaluation"]
    steps = summary["env_steps"]
    rows["ours"].append({
        "env_steps_per_s": steps / summary["training_seconds"],
        "cpu_us_per_env_step": 1e6 * cpu / steps,
        "peak_rss_mib": rss,
        "wall_s_to_99pct": float(open(f"{work}/probed-{i}.seconds").read()),
        "startup_eval_exit_s": wall - summary["training_seconds"],
        "adam_updates_per_s": steps / copies / summary["training_seconds"],
        "one_step_success": evaluation["one_step_success"],
        "mean_steps_to_solve": evaluation["mean_steps_to_solve"],
    })
    ref = json.loads(open(f"{work}/ref-{i}.json").read())
    wall, cpu, rss = timing(f"{work}/ref-{i}.time")
    reached = ref["reached_99_one_step_success"]
    rows["reference"].append({
        "env_steps_per_s": ref["env_steps_per_second"],
        "cpu_us_per_env_step": 1e6 * cpu / ref["env_steps"],
        "peak_rss_mib": rss,
        "wall_s_to_99pct": reached["wall_seconds_from_process_start"] if reached else float("nan"),
        "startup_eval_exit_s": wall - ref["train_seconds"],
        "adam_updates_per_s": ref["adam_updates_per_second"],
        "one_step_success": ref["evaluation"]["one_step_success"],
        "mean_steps_to_solve": ref["evaluation"]["mean_steps_to_solve"],
    })

keys = list(rows["ours"][0])
print(f"reference: torch {ref['torch']}, {ref['threads']} thread(s), {blas} BLAS; {repeats} interleaved repeats")
for who, runs in rows.items():
    for i, run in enumerate(runs, 1):
        print(f"{who:>9} #{i}: " + ", ".join(f"{k} {v:,.4g}" for k, v in run.items()))
# paired: the median of each repeat's own ratio, whose two runs ran minutes apart, steadier than
# the ratio of the medians when the machine's speed drifts between repeats
print(f"{'median':<22}{'ours':>14}{'reference':>14}{'ours/ref':>10}{'paired':>10}")
for key in keys:
    ours = statistics.median(r[key] for r in rows["ours"])
    ref = statistics.median(r[key] for r in rows["reference"])
    paired = statistics.median(o[key] / r[key] for o, r in zip(rows["ours"], rows["reference"]))
    print(f"{key:<22}{ours:>14,.4g}{ref:>14,.4g}{ours / ref:>10.3f}{paired:>10.3f}")
EOF
