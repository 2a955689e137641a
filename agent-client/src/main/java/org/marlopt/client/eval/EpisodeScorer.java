package org.marlopt.client.eval;

import java.util.Map;
import org.marlopt.client.session.EnvSession;

/**
 * An environment's own figures, computed alongside the generic evaluation: it sees every step of
 * every batch of fresh resets, and adds its keys to the result. Every method does nothing unless
 * overridden.
 */
public interface EpisodeScorer {

    /** A batch of copies was just reset. */
    default void start() {
    }

    /** The batch took its {@code step}-th step (from 1). */
    default void afterStep(EnvSession session, int step) {
    }

    /** Every copy's first episode of the batch has ended; copies 0 .. {@code counted - 1} count. */
    default void endBatch(FirstEpisodeTracker tracker, int counted) {
    }

    /** The keys added to the evaluation of {@code episodes} episodes, in order. */
    default Map<String, Object> results(int episodes) {
        return Map.of();
    }
}
