package org.marlopt.client.experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.marlopt.client.experiment.ExperimentPlan.Run;
import org.marlopt.client.io.EvaluationEpisodes;
import org.marlopt.client.job.TrainJob;

/**
 * One progress display for the whole grid: a line when a run starts or ends, and every
 * {@code tickSeconds} a status line with the runs done, the running ones with their share trained
 * (as of their last evaluation), elapsed time and an ETA. Progress is weighted by the env
 * steps each run trains, so a long run counts for more than a short one; a classical run counts
 * as one small unit.
 */
final class GridProgress implements AutoCloseable {

    /** Below this share done, an ETA says more about start-up than about the grid. */
    private static final double MIN_PROGRESS_FOR_ETA = 0.02;

    private final PrintStream console;
    private final long start = System.nanoTime();
    private final Map<Run, Long> weights = new LinkedHashMap<>();
    private final Set<Run> running = new LinkedHashSet<>();
    private final long totalWeight;
    private long doneWeight;
    private int done;
    private int failed;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "experiment-progress");
        thread.setDaemon(true);
        return thread;
    });

    GridProgress(PrintStream console, ExperimentPlan plan, long tickSeconds) {
        this.console = console;
        long total = 0;
        for (Run run : plan.runs()) {
            long weight = Math.max(1, run.plannedEnvSteps(plan.envOf(run).horizon(run.config())));
            weights.put(run, weight);
            total += weight;
        }
        this.totalWeight = total;
        ticker.scheduleAtFixedRate(this::status, tickSeconds, tickSeconds, TimeUnit.SECONDS);
    }

    synchronized void started(Run run) {
        running.add(run);
        console.printf(Locale.ROOT, "%s started: %s%n", prefix(), run.label());
    }

    synchronized void ended(RunExecutor.Outcome outcome) {
        running.remove(outcome.run());
        done++;
        doneWeight += weights.get(outcome.run());
        if (outcome.status() == RunExecutor.Status.FAILED) {
            failed++;
        }
        String how = switch (outcome.status()) {
            case KEPT -> "kept, finished before with the same settings";
            case RESUMED -> String.format(Locale.ROOT, "resumed from its checkpoint and finished in %s",
                    duration(outcome.seconds()));
            case FINISHED -> "finished in " + duration(outcome.seconds());
            case FAILED -> "FAILED: " + outcome.note();
            case PENDING -> "not run";
        };
        console.printf(Locale.ROOT, "%s %s: %s%n", prefix(), outcome.run().label(), how);
    }

    /** The status line: runs done, the running ones with their share, elapsed and ETA. */
    synchronized void status() {
        StringBuilder line = new StringBuilder(prefix()).append(" running:");
        for (Run run : running) {
            line.append(String.format(Locale.ROOT, " %s %.0f%%;", run.label(), 100 * trainedShare(run)));
        }
        console.println(running.isEmpty() ? prefix() : line.substring(0, line.length() - 1));
    }

    private String prefix() {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double progress = progress();
        String eta = progress >= MIN_PROGRESS_FOR_ETA && progress < 1 ? ", ETA " + duration(elapsed / progress * (1 - progress)) : "";
        return String.format(Locale.ROOT, "[%d/%d runs%s, %.0f%%, %s%s]", done, weights.size(),
                failed > 0 ? ", " + failed + " failed" : "", 100 * progress, duration(elapsed), eta);
    }

    /** The grid's share done: finished runs whole, running ones by their share trained. */
    private double progress() {
        double partial = 0;
        for (Run run : running) {
            partial += weights.get(run) * trainedShare(run);
        }
        return (doneWeight + partial) / totalWeight;
    }

    /**
     * A running learned run's env steps trained over its planned ones, from the last line of its
     * evaluation_episodes.jsonl (written at each evaluation, about 20 per run), 0 before the first.
     */
    private double trainedShare(Run run) {
        if (!run.learned()) {
            return 0;
        }
        try {
            List<EvaluationEpisodes.Row> rows = EvaluationEpisodes.read(run.dir().resolve(
                    TrainJob.EVALUATION_EPISODES_FILE));
            return rows.isEmpty() ? 0 : Math.min(1, rows.get(rows.size() - 1).envSteps() / (double) weights.get(run));
        } catch (IOException | RuntimeException e) {
            return 0; // being written, or left from an interrupted run
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
