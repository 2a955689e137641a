package org.marlopt.client.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.io.Json;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.TrainConfig;

/**
 * {@code compare}: trains every algorithm on every environment with every seed, one {@code train}
 * after the other, each in its own JVM against this process's env server, then aggregates the
 * runs (see {@link CompareResults}) into results.json, results.md and learning_curves.png.
 *
 * <p>Every run's config is resolved here before any run starts, so a bad setting fails at once
 * rather than hours in: the environment's defaults, then the settings file's section for the
 * algorithm, then its section for algorithm@environment, then {@code --set}, then the run's
 * environment, algorithm and seed. Unless a layer sets {@code evalEverySteps}, every run is
 * evaluated about {@value #EVALUATIONS_PER_RUN} times while training (every 1/20 of its env steps),
 * so that each has a learning curve.
 */
public final class CompareJob {

    public static final String RESULTS_JSON = "results.json";
    public static final String RESULTS_MD = "results.md";
    public static final String CURVES_PNG = "learning_curves.png";
    /** The resolved config a run's {@code train --config} reads, in the run's directory. */
    static final String SETTINGS_FILE = "compare-settings.json";
    /** The child's output and errors, in the run's directory. */
    static final String LOG_FILE = "train.log";
    static final int EVALUATIONS_PER_RUN = 20;
    private static final Set<String> SET_BY_COMPARE = Set.of("envId", "algorithm", "seed");

    /**
     * What to compare.
     *
     * @param settings {@code --set}: settings for every run
     * @param sections the settings file: "algo" or "algo@env" to that section's settings
     * @param javaOptions options of every child JVM (e.g. -Xmx2g)
     * @param timeout the children's longest wait for any answer of the env server
     * @param keepFinished keep a run whose directory holds a finished run of the same settings
     */
    public record Request(List<String> algorithms, List<String> envs, List<Long> seeds, Map<String, String> settings,
                          Map<String, Map<String, Object>> sections, List<String> javaOptions, Duration timeout,
                          Path out, boolean keepFinished) {
    }

    /** How one run went. */
    public enum Status { PLANNED, FINISHED, FAILED, SKIPPED }

    /**
     * One training run of the comparison.
     *
     * @param config its resolved settings
     * @param note why it was skipped or failed (null otherwise)
     */
    public record Run(String algorithm, String envId, long seed, Path dir, TrainConfig config, Status status,
                      String note) {

        Run ended(Status status, String note) {
            return new Run(algorithm, envId, seed, dir, config, status, note);
        }

        String label() {
            return algorithm + " on " + envId + ", seed " + seed;
        }
    }

    private final EnvClient client;
    private final PrintStream console;
    private final GracefulStop stop;

    /** @param stop ends the comparison after the run in progress (which stops after its round) */
    public CompareJob(EnvClient client, PrintStream console, GracefulStop stop) {
        this.client = client;
        this.console = console;
        this.stop = stop;
    }

    /** Runs the comparison and writes its results under {@code request.out()}; returns every run. */
    public List<Run> run(Request request) throws IOException, InterruptedException {
        List<Run> plan = plan(request);
        List<Run> runs = new ArrayList<>();
        for (Run planned : plan) {
            console.printf(Locale.ROOT, "[%d/%d] %s: ", runs.size() + 1, plan.size(), planned.label());
            console.flush();
            long start = System.nanoTime();
            boolean kept = planned.status() == Status.PLANNED && request.keepFinished() && finishedBefore(planned);
            Run run = planned.status() == Status.SKIPPED ? planned
                    : stop.requested() ? planned.ended(Status.SKIPPED, "not started: stopped by " + stop.signalName())
                    : kept ? planned.ended(Status.FINISHED, null) : execute(planned, request);
            console.println(kept ? "kept, finished before with the same settings"
                    : run.status() == Status.FINISHED
                    ? String.format(Locale.ROOT, "finished in %.0f s", (System.nanoTime() - start) / 1e9)
                    : run.status().name().toLowerCase(Locale.ROOT) + ": " + run.note());
            runs.add(run);
        }
        List<CompareResults.EnvResult> results = CompareResults.aggregate(runs, request.envs(), request.algorithms());
        CompareReport.write(request, runs, results, request.out());
        console.println("results in " + request.out().resolve(RESULTS_MD) + ", curves in "
                + request.out().resolve(CURVES_PNG));
        return runs;
    }

    /** Every run, its config resolved and checked, or skipped with the reason. */
    private List<Run> plan(Request request) {
        requireNotSetByCompare(request.settings(), "--set");
        request.sections().forEach((section, settings) -> requireNotSetByCompare(settings, "section " + section));
        List<Run> plan = new ArrayList<>();
        for (String envId : request.envs()) {
            for (String algorithm : request.algorithms()) {
                for (long seed : request.seeds()) {
                    Path dir = request.out().resolve(algorithm + "@" + envId).resolve("seed-" + seed);
                    TrainConfig config = resolve(request, algorithm, envId, seed);
                    try (EnvSession probe = client.open(new SessionRequest(envId, config.envParams(), 1, false))) {
                        String skip = reasonToSkip(config, probe.spec());
                        config = evaluatedWhileTraining(request, config, probe.spec().maxEpisodeSteps());
                        plan.add(new Run(algorithm, envId, seed, dir, config,
                                skip == null ? Status.PLANNED : Status.SKIPPED, skip));
                    }
                }
            }
        }
        return plan;
    }

    private static void requireNotSetByCompare(Map<String, ?> settings, String where) {
        for (String key : settings.keySet()) {
            if (SET_BY_COMPARE.contains(key)) {
                throw new IllegalArgumentException(where + " sets '" + key + "', which compare sets for each run "
                        + "from --envs, --algos and --seeds; remove it there");
            }
        }
    }

    private static TrainConfig resolve(Request request, String algorithm, String envId, long seed) {
        Map<String, Object> forAlgorithm = request.sections().getOrDefault(algorithm, Map.of());
        Map<String, Object> forPair = request.sections().getOrDefault(algorithm + "@" + envId, Map.of());
        TrainConfig config;
        try {
            config = TrainConfig.resolve(forAlgorithm, forPair, request.settings(),
                    Map.of("envId", envId, "algorithm", algorithm, "seed", seed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(algorithm + " on " + envId + ": " + e.getMessage(), e);
        }
        return config;
    }

    /**
     * {@code config} evaluated while training: every 1/{@value #EVALUATIONS_PER_RUN} of its env
     * steps unless a layer sets evalEverySteps, which must not be 0.
     *
     * @param envHorizon the environment's own episode length (the probe session's spec)
     */
    private static TrainConfig evaluatedWhileTraining(Request request, TrainConfig config, int envHorizon) {
        Map<String, Object> forAlgorithm = request.sections().getOrDefault(config.algorithm(), Map.of());
        Map<String, Object> forPair = request.sections().getOrDefault(config.algorithm() + "@" + config.envId(),
                Map.of());
        if (Stream.of(forAlgorithm, forPair, request.settings())
                .noneMatch(layer -> layer.containsKey("evalEverySteps"))) {
            long every = Math.max(1, config.totalEnvSteps(envHorizon) / EVALUATIONS_PER_RUN);
            return config.with(Map.of("evalEverySteps", every));
        }
        if (config.evalEverySteps() == 0) {
            throw new IllegalArgumentException(config.algorithm() + " on " + config.envId() + ": evalEverySteps=0 "
                    + "leaves the run without a learning curve; set evalEverySteps > 0, or leave it unset to "
                    + "evaluate " + EVALUATIONS_PER_RUN + " times per run");
        }
        return config;
    }

    /**
     * Why the run cannot train (an algorithm that needs reward gradients on an environment that
     * offers none), or null. Opening the 1-copy probe has already checked the environment id and parameters.
     */
    private static String reasonToSkip(TrainConfig config, SessionSpec spec) {
        if (Algorithms.get(config.algorithm()).needsRewardGradient() && !spec.env().rewardGradientAvailable()) {
            return config.algorithm() + " trains on the reward gradient, which " + config.envId()
                    + " does not provide";
        }
        return null;
    }

    /** Whether the run's directory holds a finished run ({@link RunSummary#FILE}) of exactly the run's settings. */
    private static boolean finishedBefore(Run run) throws IOException {
        Path settings = run.dir().resolve(SETTINGS_FILE);
        if (!Files.isRegularFile(run.dir().resolve(RunSummary.FILE)) || !Files.isRegularFile(settings)) {
            return false;
        }
        Map<?, ?> saved = Json.MAPPER.readValue(settings.toFile(), Map.class);
        Map<?, ?> wanted = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(run.config().toMap()), Map.class);
        return saved.equals(wanted);
    }

    /** Trains {@code run} in a child JVM; FINISHED when it exits with 0. */
    private Run execute(Run run, Request request) throws IOException, InterruptedException {
        Files.createDirectories(run.dir());
        Path settings = run.dir().resolve(SETTINGS_FILE).toAbsolutePath();
        Json.write(settings, run.config().toMap());
        // --overwrite: the comparison owns its runs' directories and trains each afresh
        List<String> arguments = new ArrayList<>(List.of("train", "--config", settings.toString(), "--overwrite",
                "--out", run.dir().toAbsolutePath().toString(), "--server", client.target(), "--metrics-port", "0",
                "--timeout", Long.toString(request.timeout().toSeconds()),
                "--run-id", run.algorithm() + "@" + run.envId() + "-seed-" + run.seed()));
        arguments.addAll(client.security().arguments());
        Path log = run.dir().resolve(LOG_FILE);
        int exit = TrainProcess.run(TrainProcess.command(request.javaOptions(), arguments), log, stop);
        if (exit != 0 && stop.requested()) {
            return run.ended(Status.FAILED, "stopped by " + stop.signalName() + " (its last checkpoint is in "
                    + run.dir().resolve(TrainJob.CHECKPOINT_DIR) + "; the next comparison trains it afresh)");
        }
        if (exit != 0) {
            return run.ended(Status.FAILED, "exit code " + exit + ": " + TrainProcess.lastError(log) + " (whole log: "
                    + log + ")");
        }
        return run.ended(Status.FINISHED, null);
    }

    /** The settings shared by every run, as results.json records them. */
    static Map<String, Object> describe(Request request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithms", request.algorithms());
        json.put("envs", request.envs());
        json.put("seeds", request.seeds());
        json.put("set", request.settings());
        json.put("settings_file", request.sections());
        json.put("java_options", request.javaOptions());
        return json;
    }
}
