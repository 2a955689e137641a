package org.marlopt.client.eval;

import org.marlopt.client.agent.Policy;
import org.marlopt.client.env.FirstEpisodeTracker;
import org.marlopt.client.env.VectorSession;

/**
 * Runs a policy on N fresh resets with seeds firstSeed .. firstSeed + N - 1, in batches of the
 * session's copies, and scores each copy's first episode. Any policy goes through the same
 * harness, so learned results are read between the zero floor and the oracle limit.
 */
public final class Evaluator {

    private Evaluator() {}

    public static EvaluationResult evaluate(Policy policy, VectorSession env, long firstSeed, int episodes) {
        int copies = env.dims().numEnvs();
        double threshold = env.dims().successThreshold();
        FirstEpisodeTracker tracker = new FirstEpisodeTracker(env.dims());
        int oneStep = 0;
        int solved = 0;
        long solvedSteps = 0;
        double firstStepError = 0;
        double returns = 0;
        float[] example = null;
        for (int done = 0; done < episodes; done += copies) {
            env.reset(firstSeed + done);
            tracker.start();
            while (!tracker.finished()) {
                env.step(policy.act(env));
                tracker.record(env);
            }
            if (example == null) {
                example = tracker.copyZeroFinalState();
            }
            for (int copy = 0, counted = Math.min(copies, episodes - done); copy < counted; copy++) {
                oneStep += tracker.firstStepDistance(copy) < threshold ? 1 : 0;
                firstStepError += tracker.firstStepDistance(copy);
                returns += tracker.episodeReturn(copy);
                if (tracker.solved(copy)) {
                    solved++;
                    solvedSteps += tracker.length(copy);
                }
            }
        }
        return new EvaluationResult(policy.name(), (double) oneStep / episodes, (double) solved / episodes,
                solved == 0 ? null : (double) solvedSteps / solved, firstStepError / episodes, returns / episodes,
                episodes, firstSeed, example);
    }
}
