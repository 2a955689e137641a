package org.marlopt.env.vector;

import java.util.Map;
import java.util.OptionalLong;
import org.marlopt.env.VectorEnvSpec;

/**
 * A multi-agent environment (PettingZoo ParallelEnv semantics) run as {@code numEnvs} copies
 * stepped together (Gymnasium vector semantics). Not thread-safe: callers serialize access.
 * Every method either succeeds or throws without changing the environment.
 */
public interface VectorEnv {

    VectorEnvSpec spec();

    /**
     * Starts a new episode in every copy. With a seed, copy i's random stream is seeded
     * {@code seed + i}; without one each copy continues its stream (seeded from entropy the
     * first time).
     *
     * @param options environment-specific reset options (numbers, strings, booleans, lists and
     *     maps, as a JSON object decodes); empty for none. Keys the environment does not take are ignored
     * @throws org.marlopt.env.EnvArgumentException for a malformed value of an option it takes
     */
    Transition reset(OptionalLong seed, Map<String, Object> options);

    /** {@link #reset(OptionalLong, Map)} with a seed and no options. */
    default Transition reset(long seed) {
        return reset(OptionalLong.of(seed), Map.of());
    }

    /**
     * Applies one joint action to every copy.
     *
     * @param actions per agent in spec order, {@code numEnvs * actionSize} finite values,
     *     copy-major (the environment action, then the message); read during the call only
     * @throws org.marlopt.env.EnvArgumentException for a wrong agent count, wrong length or
     *     non-finite value
     * @throws org.marlopt.env.EpisodeStateException before the first reset, or after an episode
     *     ended with autoreset disabled
     */
    Transition step(float[][] actions);
}
