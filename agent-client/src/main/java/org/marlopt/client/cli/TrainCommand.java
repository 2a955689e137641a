package org.marlopt.client.cli;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.marlopt.client.grpc.EnvClient;
import org.marlopt.client.grpc.EnvEndpoint;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.metrics.ClientMetrics;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains the agents, checkpoints them, then evaluates them. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Trains the agents with reward-gradient against the env server, writes the per-episode CSV, "
                    + "checkpoints, figures and resolved config under --out, then evaluates them.",
            "Settings: defaults < --config file < --set < the flags below."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/default",
            description = "Output directory of the run (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (.properties or .json; a run's config.json works too).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue from this checkpoint directory (or a run directory holding one) exactly "
                    + "where it stopped, writing into that run directory unless --out is given; its settings "
                    + "apply, except --episodes and --no-eval.")
    Path resume;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting by name, e.g. --set beta2=0.99.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--episodes", description = "Training episodes: rounds of stepsPerEpisode (5) batched steps over --num-envs copies (1000).")
    Integer episodes;

    @Option(names = "--num-envs", description = "Environment copies stepped together (192).")
    Integer numEnvs;

    @Option(names = "--max-steps", description = "Step limit of evaluation episodes (50); training episodes last trainHorizon (1).")
    Integer maxSteps;

    @Option(names = "--target", description = "Value the parameters must sum to (5.0).")
    Double target;

    @Option(names = "--lr", description = "Adam learning rate (0.001).")
    Double learningRate;

    @Option(names = "--lr-schedule", description = "constant or linear decay to 0 (linear).")
    String lrSchedule;

    @Option(names = "--seed", description = "Seed of initialisation and training resets (42).")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Checkpoint every N episodes; 0: only at the end (250).")
    Integer checkpointEvery;

    @Option(names = "--eval-episodes", description = "Evaluation resets after training (1000).")
    Integer evalEpisodes;

    @Option(names = "--eval-seed", description = "First evaluation seed, disjoint from training seeds (1000000000).")
    Long evalSeed;

    @Option(names = "--no-eval", description = "Skip the evaluation after training.")
    boolean noEval;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        connection.validatePorts();
        TrainConfig config = resume == null ? resolveConfig() : null;
        Path checkpoint = resume == null ? null : checkpointDir(resume);
        if (checkpoint != null && !spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            out = runDirOf(checkpoint);
        }
        // the PyTorch engine loads on another thread while the env server starts
        CompletableFuture<Engine> engine = CompletableFuture.supplyAsync(Engine::getInstance);
        String runId = connection.runId != null ? connection.runId : out.toAbsolutePath().normalize().getFileName()
                .toString();
        try (MetricsServer metricsServer = connection.startMetrics(runId);
             EnvEndpoint endpoint = EnvEndpoint.resolve(connection.server, connection.embeddedServerMetricsPort);
             EnvClient client = EnvClient.connect(endpoint.target(), connection.timeout(),
                     List.of(ClientMetrics.grpcInterceptor(metricsServer.registry())))) {
            engine.join();
            TrainJob job = new TrainJob(client, metricsServer.registry(), System.out, System.console() != null);
            TrainJob.Outcome outcome = resume == null
                    ? job.train(config, out, runId)
                    : job.resume(checkpoint, overrideOnResume(), out, runId);
            System.out.printf(Locale.ROOT, "trained %,d env steps in %.2f s (%,.0f env steps/s); outputs in %s%n",
                    outcome.envStepsThisRun(), outcome.trainingSeconds(), outcome.envStepsPerSecond(), out);
        }
        return 0;
    }

    private TrainConfig resolveConfig() throws java.io.IOException {
        TrainConfig config = TrainConfig.defaults();
        if (configFile != null) {
            config = config.with(ConfigFiles.read(configFile));
        }
        config = config.with(settings);
        return config.with(flags());
    }

    private Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        putIfSet(flags, "episodes", episodes);
        putIfSet(flags, "numEnvs", numEnvs);
        putIfSet(flags, "maxSteps", maxSteps);
        putIfSet(flags, "target", target);
        putIfSet(flags, "learningRate", learningRate);
        putIfSet(flags, "lrSchedule", lrSchedule);
        putIfSet(flags, "seed", seed);
        putIfSet(flags, "checkpointEvery", checkpointEvery);
        putIfSet(flags, "evalEpisodes", evalEpisodes);
        putIfSet(flags, "evalSeed", evalSeed);
        if (noEval) {
            flags.put("evaluate", false);
        }
        return flags;
    }

    /** On resume only --episodes and --no-eval may be given; other settings would break exact continuation. */
    private Map<String, Object> overrideOnResume() {
        Map<String, Object> overrides = flags();
        if (configFile != null || !settings.isEmpty() || !Set.of("episodes", "evaluate").containsAll(overrides.keySet())) {
            throw new IllegalArgumentException("--resume continues a run with its own settings; only --episodes "
                    + "and --no-eval may be given with it");
        }
        return overrides;
    }

    /** The run directory a checkpoint belongs to (where its episodes.csv is). */
    private static Path runDirOf(Path checkpoint) {
        Path parent = checkpoint.toAbsolutePath().normalize().getParent();
        return parent != null && checkpoint.getFileName().toString().equals(TrainJob.CHECKPOINT_DIR) ? parent
                : checkpoint;
    }

    static Path checkpointDir(Path dir) {
        Path nested = dir.resolve(TrainJob.CHECKPOINT_DIR);
        return Checkpoint.exists(nested) ? nested : dir;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
