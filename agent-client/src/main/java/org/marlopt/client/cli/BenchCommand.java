package org.marlopt.client.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: the benchmark. Part 1 runs the default train + evaluate and reports
 * training env steps/s, the evaluation figures and the wall time from JVM start to the end of the
 * evaluation. Part 2 trains {@code --memory-episodes} more episodes without evaluation and
 * compares the process RSS after 1,000 episodes with the RSS at the end.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks the default run: throughput, quality, wall time, memory flatness.")
public final class BenchCommand implements Callable<Integer> {

    private static final int RSS_BASELINE_EPISODE = 1000;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench",
            description = "Where both benchmark runs write their outputs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--memory-episodes", paramLabel = "N", defaultValue = "10000",
            description = "Episodes of the memory run, more than 1,000; RSS is compared after 1,000 and after N; "
                    + "0 skips it (default: ${DEFAULT-VALUE}).")
    int memoryEpisodes;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        if (memoryEpisodes != 0 && memoryEpisodes <= RSS_BASELINE_EPISODE) {
            // RSS is read after episode 1,000 and after the last one: they must differ
            throw new IllegalArgumentException("--memory-episodes must be 0 (no memory run) or more than "
                    + RSS_BASELINE_EPISODE + ", the episode the RSS baseline is taken at; got " + memoryEpisodes);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        connection.validatePorts();
        String runId = connection.runId != null ? connection.runId : "bench";
        try (MetricsServer metricsServer = connection.startMetrics(runId, TrainConfig.DEFAULT_ENV);
             EnvEndpoint endpoint = connection.endpoint();
             EnvClient client = connection.client(endpoint, metricsServer)) {
            figures.put("server", endpoint.embedded() ? "in-JVM on " + endpoint.target() : endpoint.target());
            // the default run is the one metered; the memory run only measures RSS
            TrainJob.Outcome outcome = new TrainJob(client, metricsServer.registry(), System.out, false)
                    .train(TrainConfig.defaults(), out.resolve("default"), "bench-default");
            double wall = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
            EvaluationResult evaluation = outcome.evaluation();
            figures.put("train_env_steps", outcome.envStepsThisRun());
            figures.put("train_seconds", outcome.trainingSeconds());
            figures.put("train_env_steps_per_second", outcome.envStepsPerSecond());
            figures.put("wall_seconds_jvm_start_to_evaluated", wall);
            figures.put("evaluation", evaluation);
            if (memoryEpisodes > 0) {
                long[] rss = new long[2];
                TrainConfig config = TrainConfig.defaults().with(Map.of("episodes", memoryEpisodes, "evaluate", false,
                        "checkpointEvery", 0));
                new TrainJob(client, null, System.out, false).withListener(record -> {
                    if (record.episode() + 1 == RSS_BASELINE_EPISODE) {
                        rss[0] = residentSetBytes();
                    } else if (record.episode() + 1 == memoryEpisodes) {
                        rss[1] = residentSetBytes();
                    }
                }).train(config, out.resolve("memory"), "bench-memory");
                figures.put("rss_mib_after_1000_episodes", rss[0] / 1048576.0);
                figures.put("rss_mib_after_" + memoryEpisodes + "_episodes", rss[1] / 1048576.0);
                figures.put("rss_growth_percent", 100.0 * (rss[1] - rss[0]) / rss[0]);
            }
        }
        print(figures);
        if (json != null) {
            Map<String, Object> written = new LinkedHashMap<>(figures);
            written.put("evaluation", ((EvaluationResult) figures.get("evaluation")).toJson());
            Json.write(json, written);
        }
        return 0;
    }

    private static void print(Map<String, Object> figures) {
        System.out.println("benchmark figures");
        figures.forEach((key, value) -> {
            if (value instanceof EvaluationResult e) {
                e.figures().forEach((figure, number) ->
                        System.out.printf(Locale.ROOT, "  %-38s %.4f%n", figure, number));
            } else if (value instanceof Double d) {
                System.out.printf(Locale.ROOT, "  %-38s %,.2f%n", key, d);
            } else {
                System.out.printf(Locale.ROOT, "  %-38s %s%n", key, value);
            }
        });
    }

    /** VmRSS of this process from /proc (Linux). */
    static long residentSetBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status (RSS is measured on Linux only)", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
