package org.marlopt.env;

/**
 * The call is not allowed in the environment's current state (a step before the first reset, or
 * after an episode ended with autoreset disabled). The environment is unchanged.
 */
public class EpisodeStateException extends IllegalStateException {

    public EpisodeStateException(String message) {
        super(message);
    }
}
