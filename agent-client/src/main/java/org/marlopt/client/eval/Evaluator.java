package org.marlopt.client.eval;

import org.marlopt.client.policy.Policy;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * Runs a policy on N fresh resets with seeds firstSeed .. firstSeed + N - 1, in batches of the
 * session's copies, and scores each copy's first episode: the generic figures every environment
 * has, and its own through its {@link EnvExtras}. Every policy goes through the same harness, so
 * learned results read between the zero floor and the classical algorithms.
 */
public final class Evaluator {

    private Evaluator() {}

    public static EvaluationResult evaluate(Policy policy, EnvSession env, long firstSeed, int episodes,
                                            EnvExtras extras) {
        SessionSpec spec = env.spec();
        int copies = spec.numEnvs();
        FirstEpisodeTracker tracker = new FirstEpisodeTracker(spec);
        EpisodeStats stats = new EpisodeStats(spec);
        EpisodeScorer scorer = extras.newScorer(spec);
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[copies * spec.actionSize(agent)];
        }
        float[] example = null;
        for (int done = 0; done < episodes; done += copies) {
            env.reset(firstSeed + done);
            tracker.start();
            scorer.start();
            for (int step = 1; !tracker.finished(); step++) {
                policy.act(env, actions);
                env.step(actions);
                tracker.record(env);
                scorer.afterStep(env, step);
            }
            if (example == null) {
                example = tracker.copyZeroFinalState();
            }
            int counted = Math.min(copies, episodes - done);
            stats.add(tracker, counted);
            scorer.endBatch(tracker, counted);
        }
        return EvaluationResult.of(policy.name(), firstSeed, stats, scorer.results(episodes), example);
    }
}
