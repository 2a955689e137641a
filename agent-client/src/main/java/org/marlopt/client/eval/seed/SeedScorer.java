package org.marlopt.client.eval.seed;

import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.client.eval.EpisodeScorer;
import org.marlopt.client.eval.FirstEpisodeTracker;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * The seed environment's own figures, under the keys its evaluation has always had: one-step
 * success (|target - sum| below success_threshold after the first step), the mean steps over the
 * solved episodes, and the mean |target - sum| after the first step. The distance is read in the
 * double precision the server decides {@code terminated} in, so one-step success agrees with it.
 */
final class SeedScorer implements EpisodeScorer {

    private final double threshold;
    private final double[] firstStepDistances;
    private int oneStep;
    private double firstStepError;
    private int solved;
    private long solvedSteps;

    SeedScorer(SessionSpec spec) {
        this.threshold = spec.env().params().number(SeedExtras.SUCCESS_THRESHOLD);
        this.firstStepDistances = new double[spec.numEnvs()];
    }

    @Override
    public void afterStep(EnvSession session, int step) {
        if (step == 1) {
            System.arraycopy(session.info(SeedExtras.DISTANCE), 0, firstStepDistances, 0, firstStepDistances.length);
        }
    }

    @Override
    public void endBatch(FirstEpisodeTracker tracker, int counted) {
        for (int copy = 0; copy < counted; copy++) {
            oneStep += firstStepDistances[copy] < threshold ? 1 : 0;
            firstStepError += firstStepDistances[copy];
            if (tracker.succeeded(copy)) {
                solved++;
                solvedSteps += tracker.length(copy);
            }
        }
    }

    @Override
    public Map<String, Object> results(int episodes) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("one_step_success_rate", (double) oneStep / episodes);
        keys.put("mean_steps_to_solve", solved == 0 ? null : (double) solvedSteps / solved);
        keys.put("mean_abs_error_first_step", firstStepError / episodes);
        return keys;
    }
}
