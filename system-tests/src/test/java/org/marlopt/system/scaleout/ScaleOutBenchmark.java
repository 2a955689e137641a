package org.marlopt.system.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.system.support.ProjectFiles;

/**
 * Throughput of one trainer over 1, 2 and 3 env-server replicas (shards = replicas), against the
 * single-replica run as the reference, and of the single-process run (the server inside the client's
 * JVM) for comparison; prints a markdown table and writes it to
 * {@code system-tests/target/bench-scaleout.md}. Not a test (no *Test name): run it with
 * {@code scripts/bench-scaleout.sh}, which runs
 * {@code mvn -B -o -q verify -pl system-tests -am -Dtest=ScaleOutBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The configuration makes the server side matter: reward-gradient on DistributedLeastSquares-v1 with
 * 1024 rows per agent (the step's own gradients cost O(agents x rows x dim) per copy on the server; the
 * client's networks see only 2 x dim + inbox values per agent), dim 16, 48 copies, whole 200-step
 * episodes. A warm-up run over every replica comes first and is not counted. Every configuration then
 * runs once per repeat, in the same order, so load from elsewhere falls on all of them alike
 * (interleaved); the figure is the median over repeats of the env steps per second of
 * training (summary.json: env_steps / training_seconds, JVM start and session set-up excluded), the
 * ratios are median / the 1-replica median, and "paired" is the median over repeats of the ratio to the
 * same repeat's 1-replica run.
 *
 * <p>System properties: {@code scaleout.bench.repeats} (3), {@code scaleout.bench.episodes} (1),
 * {@code scaleout.bench.numEnvs} (48), {@code scaleout.bench.rows} (1024), {@code scaleout.bench.replicas}
 * (3), {@code scaleout.bench.shards} (true; false drops --shards and sends every run to the first replica
 * alone: only to check the harness before the client knows --shards), {@code scaleout.mode} (see
 * {@link ReplicaHosts}).
 */
class ScaleOutBenchmark {

    @TempDir
    Path runs;

    @Test
    void throughputOverReplicas() throws Exception {
        int repeats = Integer.getInteger("scaleout.bench.repeats", 3);
        int episodes = Integer.getInteger("scaleout.bench.episodes", 1);
        int numEnvs = Integer.getInteger("scaleout.bench.numEnvs", 48);
        int rows = Integer.getInteger("scaleout.bench.rows", 1024);
        int maxReplicas = Integer.getInteger("scaleout.bench.replicas", 3);
        boolean shards = Boolean.parseBoolean(System.getProperty("scaleout.bench.shards", "true"));
        List<String> training = List.of("--env", "DistributedLeastSquares-v1", "--param", "rows=" + rows,
                "--param", "dim=16", "--param", "message_size=32", "--num-envs", Integer.toString(numEnvs),
                "--episodes", Integer.toString(episodes), "--seed", "11", "--no-eval", "--checkpoint-every", "0");

        try (ReplicaHosts hosts = ReplicaHosts.start(maxReplicas)) {
            Map<String, List<Double>> stepsPerSecond = new LinkedHashMap<>();
            for (int replicas = 1; replicas <= maxReplicas; replicas++) {
                stepsPerSecond.put(label(replicas), new ArrayList<>());
            }
            stepsPerSecond.put("embedded", new ArrayList<>());
            Map<String, List<Double>> serverShare = new LinkedHashMap<>();
            // warm-up, not counted: every replica's JIT compiles the step before any configuration is timed
            List<String> warmUp = new ArrayList<>(training);
            warmUp.addAll(shards
                    ? List.of("--server", hosts.staticTargets(), "--shards", Integer.toString(maxReplicas))
                    : List.of("--server", hosts.target(hosts.replica(0))));
            try (TrainRun run = TrainRun.start("warm-up", runs.resolve("warm-up"), List.of(), warmUp)) {
                assertEquals(0, run.awaitExit(java.time.Duration.ofMinutes(10)), SeedTraining.explain(run));
            }
            long expectedSteps = -1;
            for (int repeat = 0; repeat < repeats; repeat++) {
                for (String config : stepsPerSecond.keySet()) {
                    List<String> args = new ArrayList<>(training);
                    if (!config.equals("embedded")) {
                        int replicas = Integer.parseInt(config.substring(0, config.indexOf(' ')));
                        if (shards) {
                            args.addAll(List.of("--server", String.join(",",
                                    hosts.replicas().subList(0, replicas).stream().map(hosts::target).toList()),
                                    "--shards", Integer.toString(replicas)));
                        } else {
                            args.addAll(List.of("--server", hosts.target(hosts.replica(0))));
                        }
                    }
                    Path out = runs.resolve(config.replace(' ', '-') + "-" + repeat);
                    double serverSecondsBefore = serverSeconds(hosts);
                    try (TrainRun run = TrainRun.start(config + " #" + repeat, out, List.of(), args)) {
                        assertEquals(0, run.awaitExit(java.time.Duration.ofMinutes(10)), SeedTraining.explain(run));
                        double rate = run.envStepsPerSecond();
                        stepsPerSecond.get(config).add(rate);
                        if (!config.equals("embedded")) {
                            double share = (serverSeconds(hosts) - serverSecondsBefore) / run.trainingSeconds();
                            serverShare.computeIfAbsent(config, key -> new ArrayList<>()).add(share);
                        }
                        if (expectedSteps < 0) {
                            expectedSteps = run.envSteps();
                        }
                        assertEquals(expectedSteps, run.envSteps(), "every configuration trains the same steps");
                        System.out.printf(Locale.ROOT, "[scaleout] %s #%d: %.0f env steps/s%n", config, repeat, rate);
                    }
                }
            }
            String table = table(hosts, stepsPerSecond, serverShare, training, repeats, expectedSteps, shards);
            System.out.println(table);
            Path file = ProjectFiles.root().resolve("system-tests/target/bench-scaleout.md");
            Files.createDirectories(file.getParent());
            Files.writeString(file, table);
        }
    }

    private static String label(int replicas) {
        return replicas + (replicas == 1 ? " replica" : " replicas");
    }

    /** Step-handling seconds of every replica together. */
    private static double serverSeconds(ReplicaHosts hosts) throws IOException {
        double total = 0;
        for (ReplicaHosts.Replica replica : hosts.replicas()) {
            total += hosts.stepSeconds(replica.index());
        }
        return total;
    }

    private static String table(ReplicaHosts hosts, Map<String, List<Double>> rates,
            Map<String, List<Double>> serverShare, List<String> training, int repeats, long steps, boolean shards)
            throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "## Scale-out throughput%n%n"));
        text.append(String.format(Locale.ROOT, "- cores: %d (client and every replica share them: the speed-up is "
                + "bounded by the cores, not by the replicas)%n", Runtime.getRuntime().availableProcessors()));
        text.append(String.format(Locale.ROOT, "- load average at the end: %s%n",
                Files.readString(Path.of("/proc/loadavg")).trim()));
        text.append(String.format(Locale.ROOT, "- replicas: %s%n", hosts.describe()));
        text.append(String.format(Locale.ROOT, "- training: reward-gradient, `train %s` (%d env steps per run)%n",
                String.join(" ", training), steps));
        text.append(String.format(Locale.ROOT, "- %d repeats after one uncounted warm-up run over every "
                + "replica, interleaved (each repeat runs every configuration in table order); env steps/s of training from summary.json; JVM: %s%n", repeats,
                ManagementFactory.getRuntimeMXBean().getVmVersion()));
        if (!shards) {
            text.append(String.format(Locale.ROOT, "- **harness check only** (`-Dscaleout.bench.shards=false`): "
                    + "no --shards, every run used replica 0 alone%n"));
        }
        text.append(String.format(Locale.ROOT, "%n| configuration | env steps/s (median) | min | max | "
                + "vs 1 replica | paired | server Step time / training time |%n"
                + "|---|---:|---:|---:|---:|---:|---:|%n"));
        double reference = median(rates.get(label(1)));
        for (Map.Entry<String, List<Double>> entry : rates.entrySet()) {
            List<Double> values = entry.getValue();
            List<Double> paired = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                paired.add(values.get(i) / rates.get(label(1)).get(i));
            }
            String name = entry.getKey().equals("embedded") ? "single process (embedded server)"
                    : entry.getKey() + (shards ? ", --shards " + entry.getKey().charAt(0) : "");
            List<Double> shares = serverShare.get(entry.getKey());
            text.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %s |%n", name,
                    median(values), values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    median(values) / reference, median(paired),
                    shares == null ? "n/a" : String.format(Locale.ROOT, "%.2f", median(shares))));
        }
        text.append(String.format(Locale.ROOT, "%nThe last column: seconds all replicas together spent "
                + "handling Step calls (marl_env_step_latency_seconds_sum) over the run's training seconds, "
                + "median over repeats; above 1 the replicas worked in parallel. The embedded server exports no "
                + "metrics here.%n"));
        return text.toString();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
