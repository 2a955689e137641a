package org.marlopt.client.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.marlopt.client.eval.EvaluationResult;
import org.marlopt.client.experiment.ExperimentPlan.EnvPlan;
import org.marlopt.client.experiment.ExperimentPlan.Run;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.EvaluateJob;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.job.TrainJob;
import org.marlopt.client.job.TrainProcess;
import org.marlopt.client.session.EnvClient;

/**
 * Carries out one run of the grid, resuming what an earlier invocation left: a learned run trains
 * in a JVM of its own ({@code train}, or {@code train --resume} from its last checkpoint when it
 * was interrupted), a classical one is evaluated here on the absolute metric's seeds. A run whose
 * directory holds a finished run of the same settings is kept as it is.
 */
final class RunExecutor {

    /** How a run ended ({@code PENDING}: not run by a report-only invocation and not finished before). */
    enum Status { FINISHED, RESUMED, KEPT, FAILED, PENDING }

    /** The run's outcome; {@code note} says why it failed (null otherwise). */
    record Outcome(Run run, Status status, String note, double seconds) {
    }

    /** The settings a run was started with, in its directory: a run is kept or resumed only when they match. */
    static final String SETTINGS_FILE = "experiment-run.json";
    /** The resolved config a learned run's {@code train --config} reads. */
    static final String TRAIN_CONFIG_FILE = "experiment-train-config.json";
    static final String LOG_FILE = "train.log";

    private final EnvClient client;
    private final List<String> javaOptions;
    private final Duration timeout;
    private final GracefulStop stop;

    RunExecutor(EnvClient client, List<String> javaOptions, Duration timeout, GracefulStop stop) {
        this.client = client;
        this.javaOptions = javaOptions;
        this.timeout = timeout;
        this.stop = stop;
    }

    /** A report-only invocation's view of a run: KEPT when it finished before, else PENDING. */
    static Outcome existing(Run run, EnvPlan env) throws IOException {
        boolean finished = finishedBefore(run.dir(), settingsOf(run, env));
        return new Outcome(run, finished ? Status.KEPT : Status.PENDING, null, 0);
    }

    Outcome execute(Run run, EnvPlan env) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Map<String, Object> settings = settingsOf(run, env);
        if (finishedBefore(run.dir(), settings)) {
            return new Outcome(run, Status.KEPT, null, 0);
        }
        Status status = run.learned() ? trainOrResume(run, settings) : evaluateClassical(run, env, settings);
        String note = null;
        if (status == Status.FAILED && stop.requested()) {
            status = Status.PENDING; // its settings file stays unfinished: the next invocation resumes it
            note = "stopped by " + stop.signalName() + "; resumes from its last checkpoint when the experiment runs "
                    + "again";
        } else if (status == Status.FAILED) {
            Path log = run.dir().resolve(LOG_FILE);
            note = TrainProcess.lastError(log) + " (whole log: " + log + ")";
        } else {
            Json.write(run.dir().resolve(SETTINGS_FILE), finished(settings));
        }
        return new Outcome(run, status, note, (System.nanoTime() - start) / 1e9);
    }

    /** Resumes the run from its checkpoint when an earlier invocation started it, else trains it afresh. */
    private Status trainOrResume(Run run, Map<String, Object> settings) throws IOException, InterruptedException {
        if (startedBefore(run.dir(), settings) && Files.isDirectory(run.dir().resolve(TrainJob.CHECKPOINT_DIR))) {
            return train(run, List.of("train", "--resume", run.dir().toString())) == 0 ? Status.RESUMED
                    : Status.FAILED;
        }
        startAfresh(run.dir(), settings);
        Path config = run.dir().resolve(TRAIN_CONFIG_FILE).toAbsolutePath();
        Json.write(config, run.config().toMap());
        int exit = train(run, List.of("train", "--config", config.toString(), "--out", run.dir().toString()));
        return exit == 0 ? Status.FINISHED : Status.FAILED;
    }

    /** What decides whether an earlier run of this directory is the same run. */
    static Map<String, Object> settingsOf(Run run, EnvPlan env) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("algorithm", run.algorithm());
        settings.put("env", run.env());
        settings.put("seed", run.seed());
        settings.put("policies", run.policies());
        settings.put("eval_seed", env.evalSeed());
        settings.put("absolute_episodes", env.absoluteEpisodes());
        if (run.learned()) {
            settings.put("config", run.config().toMap());
        }
        // through JSON and back, so that a map read from disk compares equal
        return Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(settings), Map.class);
    }

    private static Map<String, Object> finished(Map<String, Object> settings) {
        Map<String, Object> done = new LinkedHashMap<>(settings);
        done.put("finished", true);
        return done;
    }

    private static boolean finishedBefore(Path dir, Map<String, Object> settings) throws IOException {
        return finished(settings).equals(saved(dir));
    }

    private static boolean startedBefore(Path dir, Map<String, Object> settings) throws IOException {
        return settings.equals(saved(dir));
    }

    private static Map<?, ?> saved(Path dir) throws IOException {
        Path file = dir.resolve(SETTINGS_FILE);
        return Files.isRegularFile(file) ? Json.MAPPER.readValue(file.toFile(), Map.class) : null;
    }

    /** Empties the run's directory (it belongs to the experiment) and records the run's settings. */
    static void startAfresh(Path dir, Map<String, Object> settings) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!file.equals(dir)) {
                        Files.delete(file);
                    }
                }
            }
        }
        Files.createDirectories(dir);
        Json.write(dir.resolve(SETTINGS_FILE), settings);
    }

    private int train(Run run, List<String> command) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(command);
        arguments.addAll(List.of("--server", client.target(), "--metrics-port", "0",
                "--timeout", Long.toString(timeout.toSeconds()),
                "--run-id", ExperimentPlan.fileName(run.algorithm().label() + "@" + run.env().label() + "-seed-"
                        + run.seed())));
        arguments.addAll(client.security().arguments());
        Path log = run.dir().resolve(LOG_FILE);
        if (Files.exists(log)) { // a resumed run's log continues the interrupted one's
            Files.move(log, run.dir().resolve(LOG_FILE + ".interrupted"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return TrainProcess.run(TrainProcess.command(javaOptions, arguments), log, stop);
    }

    /**
     * Evaluates a classical policy (for "best": every candidate, keeping the best) on the absolute
     * metric's seeds, into absolute_metric.json as a learned run's.
     */
    private Status evaluateClassical(Run run, EnvPlan env, Map<String, Object> settings) throws IOException {
        startAfresh(run.dir(), settings);
        List<EvaluationResult> results = EvaluateJob.run(client, new EvaluateJob.Request(null, run.env().id(),
                run.env().params(), run.policies(), run.algorithm().policySettings(), env.absoluteEpisodes(),
                env.evalSeed()));
        EvaluationResult best = results.stream().max(Comparator.comparingDouble(RunExecutor::rank)).orElseThrow();
        Json.write(run.dir().resolve(TrainJob.EVALUATION_ALL_FILE), EvaluateJob.byPolicy(results));
        Map<String, Object> absolute = new LinkedHashMap<>();
        absolute.put("policy", best.policy());
        absolute.put("episodes", env.absoluteEpisodes());
        absolute.put("first_seed", env.evalSeed());
        absolute.put("evaluation", best.toJson());
        Json.write(run.dir().resolve(TrainJob.ABSOLUTE_METRIC_FILE), absolute);
        return Status.FINISHED;
    }

    /** How classical candidates are ranked: the normalised score where the environment has one, else the return. */
    private static double rank(EvaluationResult result) {
        return result.normalizedScore() != null ? result.normalizedScore() : result.meanReturn();
    }
}
