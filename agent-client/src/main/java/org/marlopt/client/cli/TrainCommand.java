package org.marlopt.client.cli;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.AgentClientMain;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.job.RunDirectory;
import org.marlopt.client.job.RunSummary;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvParams;
import org.marlopt.client.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: trains the agents on an environment, checkpoints them, then evaluates them. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Trains the agents with --algo (reward-gradient: on any environment that returns reward gradients), "
                    + "writes the per-episode CSV, checkpoints, figures and resolved config under --out, then evaluates them "
                    + "beside every other policy that applies.",
            "Settings: defaults for the environment < --config file < --set < the flags below. Defaults in "
                    + "parentheses are the seed environment's (DistributedOptimization-v1), then any other's."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/default",
            description = "Output directory of the run (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--env", paramLabel = "ID",
            description = "Environment to train on, as the server lists it (default: DistributedOptimization-v1).")
    String envId;

    @Option(names = "--algo", paramLabel = "NAME",
            description = "Training algorithm: ${COMPLETION-CANDIDATES} (default: reward-gradient).",
            completionCandidates = AlgorithmNames.class)
    String algorithm;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "An environment parameter, typed as the server declares it (repeatable), e.g. "
                    + "--param num_agents=8 --param topology=ring --param arrival_rates=0.2,0.5; "
                    + "'agent-client envs' lists them.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (.properties or .json; a run's config.json works too).")
    Path configFile;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue from this checkpoint directory (or a run directory holding one) exactly "
                    + "where it stopped, writing into that run directory unless --out is given; its settings "
                    + "apply, except --episodes and --no-eval.")
    Path resume;

    @Option(names = "--overwrite",
            description = "Replace the run already in --out: deletes that run's files (config, CSVs, checkpoints, "
                    + "evaluations, figures, summary) and nothing else in the directory.")
    boolean overwrite;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting by name, e.g. --set beta2=0.99 (param.NAME=VALUE for an environment parameter).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--episodes", description = "Training rounds: stepsPerEpisode batched steps over --num-envs "
            + "copies (1000 | 40).")
    Integer episodes;

    @Option(names = "--num-envs", description = "Environment copies stepped together (192 | 32).")
    Integer numEnvs;

    @Option(names = "--lr", description = "Adam learning rate (0.005 | 0.001).")
    Double learningRate;

    @Option(names = "--lr-schedule", description = "constant or linear decay to 0 (linear).")
    String lrSchedule;

    @Option(names = "--seed", description = "Seed of initialisation and training resets (42).")
    Long seed;

    @Option(names = "--checkpoint-every", description = "Checkpoint every N episodes; 0: only at the end (250 | 10).")
    Integer checkpointEvery;

    @Option(names = "--checkpoint-every-seconds", paramLabel = "SECONDS",
            description = "Also checkpoint once this many seconds have passed since the last one; 0: by episodes "
                    + "only (60).")
    Integer checkpointEverySeconds;

    @Option(names = "--eval-episodes", description = "Evaluation resets after training (1000 | 500).")
    Integer evalEpisodes;

    @Option(names = "--eval-seed", description = "First evaluation seed, disjoint from training seeds (1000000000).")
    Long evalSeed;

    @Option(names = "--no-eval", description = "Skip the evaluation after training.")
    boolean noEval;

    @Option(names = "--shards", paramLabel = "K", defaultValue = "0",
            description = "Split every session's copies into K sessions on streams of their own, so replicas "
                    + "(--server list or dns:///) share them; results are identical for every K; 0: one per "
                    + "replica the --server address resolves to, 1 for a single server (default: ${DEFAULT-VALUE}).")
    int shards;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        connection.validatePorts();
        GracefulStop stop = GracefulStop.install(System.out, "finishing the current round, then saving a checkpoint");
        TrainConfig config = resume == null ? resolveConfig() : null;
        Map<String, Object> resumeOverrides = resume == null ? null : overrideOnResume();
        Path checkpoint = resume == null ? null : RunDirectory.checkpointIn(resume, "--resume");
        TrainConfig saved = resume == null ? null : Checkpoint.config(checkpoint);
        String envId = resume == null ? config.envId() : saved.envId();
        String algorithmName = resume == null ? config.algorithm() : saved.algorithm();
        if (resume != null && resumeOverrides.containsKey("algorithm")) {
            TrainJob.requireSameAlgorithm(checkpoint, saved.algorithm(), algorithm);
        }
        if (checkpoint != null && !spec.commandLine().getParseResult().hasMatchedOption("--out")) {
            out = RunDirectory.ofCheckpoint(checkpoint);
        }
        if (checkpoint == null || !isRunOf(out, checkpoint)) {
            RunDirectory.prepareFresh(out, overwrite);
        } else if (overwrite) {
            throw new IllegalArgumentException("--overwrite would delete the run that --resume continues; give one "
                    + "of them, or another --out for the continuation");
        } else {
            requireUnfinished(checkpoint, (Integer) resumeOverrides.getOrDefault("episodes", saved.episodes()));
        }
        connection.checkEnvironment(envId, resume == null ? config.envParams() : saved.envParams());
        // the PyTorch engine loads on another thread while the env server starts
        CompletableFuture<Engine> engine = CompletableFuture.supplyAsync(Engine::getInstance);
        String runId = connection.runId != null ? connection.runId : out.toAbsolutePath().normalize().getFileName()
                .toString();
        try (MetricsServer metricsServer = connection.startMetrics(runId, envId, algorithmName);
             EnvEndpoint endpoint = connection.endpoint();
             EnvClient client = connection.client(endpoint, metricsServer)) {
            client.setShards(shards);
            // a wrong environment or parameter fails now, not seconds later once the engine has loaded
            EnvParams.parse(client.environment(envId), resume == null ? config.envParams() : saved.envParams());
            engine.join();
            TrainJob job = new TrainJob(client, metricsServer.registry(), System.out, System.console() != null)
                    .withStop(stop);
            TrainJob.Outcome outcome = resume == null
                    ? job.train(config, out, runId)
                    : job.resume(checkpoint, resumeOverrides, out, runId);
            if (outcome.stopped()) {
                System.out.printf("stopped by %s after round %d: checkpoint in %s%ncontinue with: %s%n",
                        outcome.stoppedBy(), Checkpoint.episodesDone(out.resolve(TrainJob.CHECKPOINT_DIR)),
                        out.resolve(TrainJob.CHECKPOINT_DIR), resumeCommand());
                return stop.exitCode();
            }
            System.out.printf(Locale.ROOT, "trained %,d env steps in %.2f s (%,.0f env steps/s); outputs in %s%n",
                    outcome.envStepsThisRun(), outcome.trainingSeconds(), outcome.envStepsPerSecond(), out);
        }
        return 0;
    }

    private static boolean isRunOf(Path out, Path checkpoint) {
        return out.toAbsolutePath().normalize().equals(RunDirectory.ofCheckpoint(checkpoint).toAbsolutePath()
                .normalize());
    }

    /**
     * Refuses to resume a run that ended normally, unless more rounds are asked for. A checkpoint
     * of every round without the run's summary (stopped before or during the final evaluation)
     * resumes to that evaluation.
     */
    private void requireUnfinished(Path checkpoint, int episodes) {
        int done = Checkpoint.episodesDone(checkpoint);
        if (done < episodes) {
            return;
        }
        if (RunDirectory.finished(out)) {
            throw new IllegalArgumentException("--resume " + resume + ": the run finished (all " + done + " rounds "
                    + "trained and evaluated, " + RunSummary.FILE + " written), so nothing is left to resume; train "
                    + "it further with --resume " + resume + " --episodes N (N > " + done + "), or evaluate it with: "
                    + "evaluate --checkpoint " + checkpoint);
        }
        System.out.printf("%s holds all %d rounds; the run stopped before its final evaluation, which runs now%n",
                checkpoint, done);
    }

    /** How the user continues this run: the same program, on the same server when one was given. */
    private String resumeCommand() {
        String command = launcher() + " train --resume " + out;
        return connection.server == null ? command : command + " --server " + connection.server;
    }

    /** {@code java -jar JAR} when running from the agent-client jar (relative when under the working directory). */
    private static String launcher() {
        try {
            Path source = Path.of(AgentClientMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path here = Path.of("").toAbsolutePath();
            return !source.toString().endsWith(".jar") ? "agent-client"
                    : "java -jar " + (source.startsWith(here) ? here.relativize(source) : source);
        } catch (URISyntaxException e) {
            return "agent-client";
        }
    }

    private TrainConfig resolveConfig() throws IOException {
        Map<String, Object> file = configFile == null ? Map.of() : ConfigFiles.read(configFile);
        return TrainConfig.resolve(file, settings, flags());
    }

    private Map<String, Object> flags() {
        Map<String, Object> flags = new LinkedHashMap<>();
        putIfSet(flags, "envId", envId);
        putIfSet(flags, "algorithm", algorithm);
        params.forEach((name, value) -> flags.put(TrainConfig.PARAM_PREFIX + name, value));
        putIfSet(flags, "episodes", episodes);
        putIfSet(flags, "numEnvs", numEnvs);
        putIfSet(flags, "learningRate", learningRate);
        putIfSet(flags, "lrSchedule", lrSchedule);
        putIfSet(flags, "seed", seed);
        putIfSet(flags, "checkpointEvery", checkpointEvery);
        putIfSet(flags, "checkpointEverySeconds", checkpointEverySeconds);
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
        if (configFile != null || !settings.isEmpty()
                || !Set.of("episodes", "evaluate", "algorithm").containsAll(overrides.keySet())) {
            throw new IllegalArgumentException("--resume continues a run with its own settings; only --episodes "
                    + "and --no-eval (and --algo naming the checkpoint's algorithm) may be given with it");
        }
        return overrides;
    }

    /** The registered algorithms, for {@code --algo}'s help. */
    static final class AlgorithmNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Algorithms.names().iterator();
        }
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
