package org.marlopt.client.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.marlopt.client.ClientVersion;
import org.marlopt.client.experiment.ExperimentPlan.Run;
import org.marlopt.client.io.Json;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.client.session.EnvClient;

/**
 * {@code experiment}: plans the grid (every setting checked first), evaluates each environment's
 * score references, carries out the runs up to {@code workers} at once against one env server
 * (resuming what an earlier invocation left, see {@link RunExecutor}), then computes the
 * statistics ({@link ExperimentResults}) and writes the summary ({@link ExperimentReport}).
 */
public final class ExperimentJob {

    /** The plan as run, next to the summary. */
    static final String PLAN_FILE = "experiment.json";

    private final EnvClient client;
    private final PrintStream console;
    private final Duration timeout;
    private final long progressSeconds;
    private final GracefulStop stop;

    /**
     * @param timeout every training JVM's longest wait for an answer of the env server
     * @param progressSeconds seconds between two status lines
     * @param stop starts no more runs; those in progress stop after their round with a checkpoint
     */
    public ExperimentJob(EnvClient client, PrintStream console, Duration timeout, long progressSeconds,
                         GracefulStop stop) {
        this.client = client;
        this.console = console;
        this.timeout = timeout;
        this.progressSeconds = progressSeconds;
        this.stop = stop;
    }

    /**
     * Runs the experiment into {@code out}; returns whether every run finished.
     *
     * @param reportOnly run nothing: summarise the runs that finished before (a long grid's results so far)
     */
    public boolean run(ExperimentConfig config, Path out, boolean reportOnly) throws IOException,
            InterruptedException {
        ExperimentPlan plan = ExperimentPlan.of(config, client, out);
        Json.write(out.resolve(PLAN_FILE), planJson(plan, client));
        plan.skipped().forEach(reason -> console.println("not run: " + reason));
        Map<String, ScoreScale> scales = new LinkedHashMap<>();
        for (var env : plan.envs().entrySet()) {
            scales.put(env.getKey(), ScoreScale.of(env.getValue(), client, out));
        }
        List<RunExecutor.Outcome> outcomes = new ArrayList<>();
        if (reportOnly) {
            for (Run run : plan.runs()) {
                outcomes.add(RunExecutor.existing(run, plan.envOf(run)));
            }
        } else {
            console.printf("%d runs, %d at once; outputs under %s%n", plan.runs().size(), config.workers(), out);
            outcomes = execute(plan);
        }
        List<RunScores> scores = new ArrayList<>();
        for (RunExecutor.Outcome outcome : outcomes) {
            if (outcome.status() != RunExecutor.Status.FAILED && outcome.status() != RunExecutor.Status.PENDING) {
                scores.add(RunScores.read(outcome.run(), scales.get(outcome.run().env().label())));
            }
        }
        ExperimentReport.write(plan, scales, scores, ExperimentResults.of(config, scores), outcomes, out);
        console.println("summary in " + out.resolve(ExperimentReport.SUMMARY_MD) + " (also .json, .csv, "
                + ExperimentReport.MARL_EVAL_JSON + " and " + ExperimentReport.PLOTS_DIR + "/)");
        return outcomes.stream().noneMatch(o -> o.status() == RunExecutor.Status.FAILED
                || o.status() == RunExecutor.Status.PENDING);
    }

    private List<RunExecutor.Outcome> execute(ExperimentPlan plan) throws InterruptedException {
        RunExecutor executor = new RunExecutor(client, plan.config().javaOptions(), timeout, stop);
        ExecutorService workers = Executors.newFixedThreadPool(plan.config().workers());
        try (GridProgress progress = new GridProgress(console, plan, progressSeconds)) {
            List<Future<RunExecutor.Outcome>> futures = new ArrayList<>();
            for (Run run : plan.executionOrder()) {
                futures.add(workers.submit(() -> {
                    if (stop.requested()) {
                        return RunExecutor.existing(run, plan.envOf(run));
                    }
                    progress.started(run);
                    RunExecutor.Outcome outcome;
                    try {
                        outcome = executor.execute(run, plan.envOf(run));
                    } catch (IOException | RuntimeException e) {
                        outcome = new RunExecutor.Outcome(run, RunExecutor.Status.FAILED, String.valueOf(
                                e.getMessage()), 0);
                    }
                    progress.ended(outcome);
                    return outcome;
                }));
            }
            List<RunExecutor.Outcome> outcomes = new ArrayList<>();
            for (Future<RunExecutor.Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            workers.shutdownNow(); // on interruption, each child's shutdown hook stops its JVM
        }
    }

    /** The config, the runs as planned, and what ran them (each run's config.json has its own provenance). */
    private static Map<String, Object> planJson(ExperimentPlan plan, EnvClient client) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", plan.config().toJson());
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("client_version", ClientVersion.get());
        versions.put("server", client.target());
        versions.put("server_version", client.capabilities().getServerVersion());
        versions.put("protocol_version", client.capabilities().getProtocolVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("versions", versions);
        json.put("runs", plan.runs().stream().map(run -> Map.of("algorithm", run.algorithm().label(), "env",
                run.env().label(), "seed", run.seed() == null ? "none" : run.seed(), "dir",
                run.dir().toString())).toList());
        json.put("skipped", plan.skipped());
        return json;
    }
}
