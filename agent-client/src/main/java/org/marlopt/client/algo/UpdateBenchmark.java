package org.marlopt.client.algo;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ParameterSharing;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.TrainConfig;

/**
 * Times a model-free trainer's updates on their own: the trainer {@code train} builds, one real
 * round of training to fill its rollout or replay buffer, then its own learning code called again
 * and again on that buffer, without acting (scripts/bench-updates.sh compares the rate with the
 * same updates in PyTorch, bench/reference/model_free_updates.py). What one update is:
 * <ul>
 *   <li>{@code mappo}: one minibatch step of the actors (clipped surrogate, entropy bonus,
 *       per-agent gradient clipping, Adam) and one of the critic (value loss on normalised
 *       returns, gradient clipping, Adam); a round's learning is epochs x minibatches of them after
 *       its GAE, which they share.
 *   <li>{@code matd3}: one critic step of both twins on a replay minibatch towards the target
 *       networks' smoothed target; every policyDelay-th also one actor step and the targets' Polyak.
 *   <li>{@code coma}: one critic step (TD(lambda) regression, clipping, Adam, Polyak of the target
 *       critic) and one actor step (clipped surrogate of the counterfactual advantages); a round's
 *       learning is epochs x minibatches of each (criticEpochs x minibatches for the critic) after
 *       its TD(lambda) returns, and before the actors' its counterfactual advantages, which they share.
 * </ul>
 */
public final class UpdateBenchmark {

    /** The timed part is also cut into windows of whole calls lasting at least this long. */
    public static final double WINDOW_SECONDS = 1.0;

    /**
     * @param algorithm the trainer timed
     * @param updates updates in the timed part
     * @param seconds its wall time
     * @param cpuSeconds the process's CPU time meanwhile (steadier than wall time on a shared machine)
     * @param bestWindowUpdatesPerSecond updates/s of its fastest {@value #WINDOW_SECONDS} s window
     *     (the whole part's rate when it is shorter): the speed when other jobs on the machine
     *     interfere least
     */
    public record Result(String algorithm, long updates, double seconds, double cpuSeconds,
                         double bestWindowUpdatesPerSecond) {

        public double updatesPerSecond() {
            return updates / seconds;
        }

        public double updatesPerCpuSecond() {
            return updates / cpuSeconds;
        }
    }

    /** One call of a trainer's learning code. */
    @FunctionalInterface
    private interface Learning {
        void run(SplittableRandom random, double learningRate, AgentLosses losses, float[] gradientNorms);
    }

    private UpdateBenchmark() {}

    /**
     * Builds {@code config.algorithm()} on {@code env} as a fresh run, trains round 0, then calls its
     * learning code for {@code warmupSeconds} (not timed) and {@code seconds} (timed, at least once).
     *
     * @param env a training session of {@code config} (see {@code Sessions.training})
     * @throws IllegalArgumentException when the algorithm is not a model-free one
     */
    public static Result run(TrainConfig config, EnvSession env, double warmupSeconds, double seconds) {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Model> models = AgentNetwork.newModels(env.spec().agentNames(),
                    ParameterSharing.inputSize(env.spec(), config.parameterSharing()), config.hiddenSize(),
                    env.spec().maxActionSize());
            try {
                AgentTeam.initialize(models, config.seed());
                try (Algorithm trainer = Algorithms.create(new Algorithm.Setup(config, env, manager, models, null,
                        0))) {
                    trainer.trainRound(0);
                    Learning learning = learning(trainer);
                    int updatesPerCall = updatesPerCall(Algorithms.hyperparameters(config));
                    SplittableRandom random = Rounds.random(config, 1);
                    double learningRate = config.learningRateAt(0);
                    AgentLosses losses = new AgentLosses(env.spec().numAgents());
                    float[] gradientNorms = new float[env.spec().numAgents()];
                    Runnable call = () -> learning.run(random, learningRate, losses, gradientNorms);
                    if (warmupSeconds > 0) {
                        repeat(call, warmupSeconds);
                    }
                    long cpuStart = processCpuNanos();
                    Timing timing = repeat(call, seconds);
                    return new Result(config.algorithm(), timing.calls() * updatesPerCall, timing.seconds(),
                            (processCpuNanos() - cpuStart) / 1e9, timing.bestWindowCallsPerSecond() * updatesPerCall);
                }
            } finally {
                models.forEach(Model::close);
            }
        }
    }

    /** How often a call ran, in how long, and its rate in the fastest window. */
    private record Timing(long calls, double seconds, double bestWindowCallsPerSecond) {
    }

    /** Runs {@code call} until {@code seconds} have passed, at least once. */
    private static Timing repeat(Runnable call, double seconds) {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long windowStart = start;
        long windowCalls = 0;
        double best = 0;
        long now;
        do {
            call.run();
            calls++;
            windowCalls++;
            now = System.nanoTime();
            if (now - windowStart >= WINDOW_SECONDS * 1e9) {
                best = Math.max(best, windowCalls / ((now - windowStart) / 1e9));
                windowStart = now;
                windowCalls = 0;
            }
        } while (now < end);
        double elapsed = (now - start) / 1e9;
        return new Timing(calls, elapsed, best > 0 ? best : calls / elapsed);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Learning learning(Algorithm trainer) {
        if (trainer instanceof Mappo mappo) {
            return mappo::learn;
        } else if (trainer instanceof Matd3 matd3) {
            return matd3::update;
        } else if (trainer instanceof Coma coma) {
            return coma::learn;
        }
        throw new IllegalArgumentException("bench-updates times the model-free trainers (" + Mappo.NAME + ", "
                + Matd3.NAME + ", " + Coma.NAME + "), not " + trainer.name());
    }

    /** Updates (see the class comment) in one call of the learning code. */
    private static int updatesPerCall(Record hyperparameters) {
        if (hyperparameters instanceof Mappo.Hyperparameters mappo) {
            return mappo.epochs() * mappo.minibatches();
        } else if (hyperparameters instanceof Coma.Hyperparameters coma) {
            return coma.epochs() * coma.minibatches();
        }
        return 1;
    }
}
