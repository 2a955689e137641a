package org.marlopt.client.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.algo.Coma;
import org.marlopt.client.algo.Mappo;
import org.marlopt.client.algo.Matd3;
import org.marlopt.client.algo.UpdateBenchmark;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.Sessions;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.TrainConfig;
import org.marlopt.security.ClientSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench-updates}: the model-free trainers' updates per second, each trainer's own learning
 * code on buffers one real round filled (see {@link UpdateBenchmark}), for a comparison with the
 * same updates in PyTorch (scripts/bench-updates.sh).
 */
@Command(name = "bench-updates", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Times the model-free trainers' updates (mappo, matd3, coma) on the seed environment as "
                + "train runs them, without acting: each trainer trains one round to fill its buffer, then "
                + "its learning code runs for --warmup-seconds, then for --seconds timed. See docs/benchmarks.md.",
            "Settings: train's defaults for the environment < --settings section ALGO < section ALGO@ENV "
                    + "(compare's file). The env server is one started in this JVM ($ENV_SERVER_TARGET's when set, "
                    + "plaintext)."})
public final class BenchUpdatesCommand implements Callable<Integer> {

    @Option(names = "--algos", split = ",", paramLabel = "NAME", defaultValue = "mappo,matd3,coma",
            description = "Trainers to time (default: ${DEFAULT-VALUE}).")
    List<String> algorithms;

    @Option(names = "--env", paramLabel = "ID", defaultValue = TrainConfig.DEFAULT_ENV,
            description = "Environment whose sizes the updates have (default: ${DEFAULT-VALUE}).")
    String envId;

    @Option(names = "--settings", paramLabel = "FILE",
            description = "compare's settings file (YAML or JSON, sections ALGO or ALGO@ENV), e.g. "
                    + "bench/model-free.yaml.")
    Path settingsFile;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
            description = "Untimed updates first, per trainer (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
            description = "Timed updates, per trainer (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write per trainer updates per second, per CPU second and in the fastest second "
                    + "as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (!(warmupSeconds >= 0) || !(seconds > 0)) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0 and --seconds > 0, got "
                    + warmupSeconds + " and " + seconds);
        }
        Map<String, Map<String, Object>> sections = settingsFile == null ? Map.of()
                : CompareSettings.read(settingsFile);
        List<TrainConfig> configs = new ArrayList<>();
        for (String algorithm : algorithms) {
            if (!List.of(Mappo.NAME, Matd3.NAME, Coma.NAME).contains(algorithm)) {
                throw new IllegalArgumentException("bench-updates times " + Mappo.NAME + ", " + Matd3.NAME + " and "
                        + Coma.NAME + ", not '" + algorithm + "'");
            }
            configs.add(TrainConfig.resolve(sections.getOrDefault(algorithm, Map.of()),
                    sections.getOrDefault(algorithm + "@" + envId, Map.of()),
                    Map.of("envId", envId, "algorithm", algorithm)));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        try (EnvEndpoint endpoint = EnvEndpoint.resolve(null, 0);
             EnvClient client = endpoint.connect(Duration.ofSeconds(60), List.of(), ClientSecurity.PLAINTEXT)) {
            for (TrainConfig config : configs) {
                UpdateBenchmark.Result result;
                try (EnvSession env = Sessions.training(client, config)) {
                    result = UpdateBenchmark.run(config, env, warmupSeconds, seconds);
                }
                System.out.printf(Locale.ROOT, "%-6s %,8.1f updates/s, %,8.1f per CPU second, %,8.1f/s in the "
                        + "fastest %.0f s (%d updates in %.2f s, %.2f CPU s)%n", result.algorithm(),
                        result.updatesPerSecond(), result.updatesPerCpuSecond(), result.bestWindowUpdatesPerSecond(),
                        UpdateBenchmark.WINDOW_SECONDS, result.updates(), result.seconds(), result.cpuSeconds());
                figures.put(result.algorithm(), Map.of("updates_per_second", result.updatesPerSecond(),
                        "updates_per_cpu_second", result.updatesPerCpuSecond(),
                        "best_window_updates_per_second", result.bestWindowUpdatesPerSecond()));
            }
        }
        if (json != null) {
            Json.write(json, figures);
        }
        return 0;
    }
}
