package org.marlopt.client.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.marlopt.client.eval.seed.SeedExtras;
import org.marlopt.client.policy.Policy;
import org.marlopt.client.session.SessionSpec;

/**
 * What one environment adds to the generic evaluation, found by env id: reference policies only
 * it has (the seed's oracle), its own figures (the seed's one-step success) and its own charts
 * (the seed's final parameters). Other environments get {@link #NONE}.
 */
public interface EnvExtras {

    /** Nothing beyond the generic evaluation. */
    EnvExtras NONE = new EnvExtras() { };

    /** The extras of environment {@code envId}: the seed's, or {@link #NONE}. */
    static EnvExtras forEnv(String envId) {
        return SeedExtras.ENV_ID.equals(envId) ? new SeedExtras() : NONE;
    }

    /** Reference policies only this environment defines, made for a session of {@code spec}. */
    default List<Policy> referencePolicies(SessionSpec spec) {
        return List.of();
    }

    /** A fresh scorer for one evaluation on a session of {@code spec}. */
    default EpisodeScorer newScorer(SessionSpec spec) {
        return new EpisodeScorer() { };
    }

    /** Draws this environment's charts of the learned policy's evaluation into the run directory. */
    default void drawCharts(EvaluationResult learned, SessionSpec spec, Path runDir) throws IOException {
    }
}
