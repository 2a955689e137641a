package org.marlopt.client.metrics;

import io.grpc.ClientInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingClientInterceptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainingListener;

/**
 * The client's training meters, with the names fixed by the team contract. Returns
 * are gauges (last and moving average), because Micrometer summaries drop negative values.
 * Episodes are counted by outcome only where the environment defines success, and the score is
 * published only where it declares one. Common tags (application, run, algo, env) are set on the
 * registry by the caller.
 */
public final class ClientMetrics implements TrainingListener {

    private final MeterRegistry registry;
    private final int window;
    private final Deque<Double> recentReturns = new ArrayDeque<>();
    private final AtomicReference<Double> lastReturn = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> meanReturn = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> stepsPerSecond = new AtomicReference<>(0.0);
    private final AtomicReference<Double> score = new AtomicReference<>(Double.NaN);
    private final double[] agentReturns;
    private final double[] losses;
    private final double[] gradientNorms;
    private final DistributionSummary episodeLength;
    private final Counter solved;
    private final Counter unsolved;
    private final Counter envSteps;
    private final Counter checkpointSaves;
    private double lastWallSeconds;

    public ClientMetrics(MeterRegistry registry, SessionSpec spec, int movingAverageWindow) {
        List<String> agents = spec.agentNames();
        this.registry = registry;
        this.window = movingAverageWindow;
        gauge("marl.episode.return.last", Tags.empty(), lastReturn::get, "Return of the last episode (mean over copies)");
        gauge("marl.episode.return.mean", Tags.empty(), meanReturn::get,
                "Moving average of the episode return over the last " + movingAverageWindow + " episodes");
        gauge("marl.train.env.steps.per.second", Tags.empty(), stepsPerSecond::get,
                "Environment steps per second over the last episode");
        if (spec.scoreKey() != null) {
            gauge("marl.episode.score.last", Tags.empty(), score::get,
                    "Normalised score (0 naive, 1 optimal) of the last episode (mean over copies)");
        }
        this.agentReturns = new double[agents.size()];
        this.losses = new double[agents.size()];
        this.gradientNorms = new double[agents.size()];
        for (int i = 0; i < agents.size(); i++) {
            int agent = i;
            gauge("marl.agent.return.last", Tags.of("agent", agents.get(i)), () -> agentReturns[agent],
                    "The agent's return in the last episode (mean over copies)");
            gauge("marl.agent.loss", Tags.of("agent", agents.get(i)), () -> losses[agent],
                    "Agent loss -mean(g . a), mean over the episode's steps");
            gauge("marl.agent.gradient.norm", Tags.of("agent", agents.get(i)), () -> gradientNorms[agent],
                    "L2 norm of the agent's gradient at the episode's last step");
        }
        this.episodeLength = DistributionSummary.builder("marl.episode.length").baseUnit("steps")
                .description("Episode length (mean over copies)").register(registry);
        this.solved = spec.successKey() == null ? null : episodes("solved");
        this.unsolved = spec.successKey() == null ? null : episodes("unsolved");
        this.envSteps = Counter.builder("marl.train.env.steps").description("Environment steps taken in training")
                .register(registry);
        this.checkpointSaves = Counter.builder("marl.checkpoint.saves").description("Checkpoints written")
                .register(registry);
    }

    /** The gRPC client interceptor recording per-call metrics, with histogram buckets. */
    public static ClientInterceptor grpcInterceptor(MeterRegistry registry) {
        return new MetricCollectingClientInterceptor(registry, counter -> counter,
                timer -> timer.publishPercentileHistogram());
    }

    /** Counts every copy's first episode of the round as one episode, solved or unsolved (where defined). */
    @Override
    public synchronized void onEpisode(EpisodeRecord r) {
        lastReturn.set(r.meanReturn());
        recentReturns.addLast(r.meanReturn());
        if (recentReturns.size() > window) {
            recentReturns.removeFirst();
        }
        meanReturn.set(recentReturns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        episodeLength.record(r.meanLength());
        if (solved != null) {
            long solvedCopies = Math.round(r.successFraction() * r.copies());
            solved.increment(solvedCopies);
            unsolved.increment(r.copies() - solvedCopies);
        }
        score.set(r.score());
        for (int i = 0; i < losses.length; i++) {
            agentReturns[i] = r.agentReturns()[i];
            losses[i] = r.losses()[i];
            gradientNorms[i] = r.gradientNorms()[i];
        }
        long steps = (long) r.steps() * r.copies();
        envSteps.increment(steps);
        double seconds = r.wallSeconds() - lastWallSeconds;
        if (seconds > 0) {
            stepsPerSecond.set(steps / seconds);
        }
        lastWallSeconds = r.wallSeconds();
    }

    public void checkpointSaved() {
        checkpointSaves.increment();
    }

    private Counter episodes(String outcome) {
        return Counter.builder("marl.episodes").tag("outcome", outcome)
                .description("Episodes finished in training, by outcome").register(registry);
    }

    private void gauge(String name, Tags tags, DoubleSupplier value, String description) {
        Gauge.builder(name, () -> value.getAsDouble()).tags(tags).description(description).register(registry);
    }
}
