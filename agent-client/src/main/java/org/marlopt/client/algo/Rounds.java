package org.marlopt.client.algo;

import java.util.SplittableRandom;
import org.marlopt.client.eval.EpisodeStats;
import org.marlopt.client.eval.FirstEpisodeTracker;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainConfig;

/** What every trainer's round shares: its random numbers and its report. */
final class Rounds {

    private Rounds() {}

    /**
     * The random numbers of round {@code round}: one stream per round derived from the seed, so a
     * resumed run draws exactly what a straight one would. Round -1 is the networks' initialisation.
     */
    static SplittableRandom random(TrainConfig config, int round) {
        return new SplittableRandom(new SplittableRandom(config.seed()).split().nextLong() + round);
    }

    /**
     * The round's report from its copies' first episodes ({@code tracker}); the training loop stamps the wall time.
     *
     * @param losses per agent, the round's mean actor loss
     * @param gradientNorms per agent, the L2 norm of its actor gradient at the round's last update
     */
    static EpisodeRecord report(int round, SessionSpec spec, FirstEpisodeTracker tracker, float[] losses,
                                float[] gradientNorms, double learningRate, int steps, long envSteps) {
        EpisodeStats stats = new EpisodeStats(spec);
        stats.add(tracker, spec.numEnvs());
        return new EpisodeRecord(round, stats.meanReturn(), stats.meanAgentReturns(), stats.meanLength(),
                stats.successRate(), stats.meanScore(), losses, gradientNorms, learningRate, steps, spec.numEnvs(),
                envSteps, 0);
    }
}
