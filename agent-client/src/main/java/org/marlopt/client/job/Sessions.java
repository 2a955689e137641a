package org.marlopt.client.job;

import io.grpc.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.client.session.EnvCallException;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.train.TrainConfig;

/** The sessions of a run: training (reward gradients when its algorithm needs them, the training horizon) and evaluation. */
public final class Sessions {

    /** Most copies an evaluation session steps at once. */
    static final int MAX_EVALUATION_COPIES = 1000;
    /** The parameter a training session's horizon is set through. */
    static final String MAX_EPISODE_STEPS = "max_episode_steps";

    private Sessions() {}

    /**
     * {@code numEnvs} copies of the run's environment, with reward gradients when the run's
     * algorithm needs them (see {@link Algorithms.Entry#needsRewardGradient}), episodes truncated at
     * {@code trainHorizon} steps (the environment's own length when it is 0).
     *
     * @throws IllegalArgumentException when the algorithm needs reward gradients and the environment returns none, or has
     *     no max_episode_steps parameter to set a training horizon with
     */
    public static EnvSession training(EnvClient client, TrainConfig config) {
        client.requireShardsAtMost(config.numEnvs(), "the training session (numEnvs)");
        SessionRequest request = trainingRequest(client, config);
        try {
            return client.open(request);
        } catch (EnvCallException e) {
            if (request.rewardGradient() && e.code() == Status.Code.INVALID_ARGUMENT) {
                requireRewardGradient(client, config.algorithm(), config.envId(), request.params());
            }
            throw e;
        }
    }

    /** What {@link #training} asks the server for (config.json records it as the session options in force). */
    public static SessionRequest trainingRequest(EnvClient client, TrainConfig config) {
        Map<String, String> params = new LinkedHashMap<>(config.envParams());
        if (config.trainHorizon() > 0) {
            boolean declared = client.environment(config.envId()).getParametersList().stream()
                    .anyMatch(parameter -> parameter.getName().equals(MAX_EPISODE_STEPS));
            if (!declared) {
                throw new IllegalArgumentException("trainHorizon " + config.trainHorizon() + " is set through the "
                        + MAX_EPISODE_STEPS + " parameter, which " + config.envId() + " does not declare; "
                        + "set trainHorizon=0 to train on its own episode length");
            }
            params.put(MAX_EPISODE_STEPS, Integer.toString(config.trainHorizon()));
        }
        boolean rewardGradient = Algorithms.get(config.algorithm()).needsRewardGradient();
        return new SessionRequest(config.envId(), params, config.numEnvs(), rewardGradient);
    }

    /**
     * A session to evaluate {@code episodes} fresh resets of the environment, up to 1000 at once
     * (in at most one shard per copy).
     */
    public static EnvSession evaluation(EnvClient client, String envId, Map<String, String> params, int episodes) {
        return client.open(new SessionRequest(envId, params, Math.min(episodes, MAX_EVALUATION_COPIES), false));
    }

    /** Refuses, saying why, an environment whose spec offers no reward gradient (asked with a 1-copy session). */
    private static void requireRewardGradient(EnvClient client, String algorithm, String envId,
                                              Map<String, String> params) {
        try (EnvSession probe = client.open(new SessionRequest(envId, params, 1, false))) {
            if (!probe.spec().env().rewardGradientAvailable()) {
                throw new IllegalArgumentException(algorithm + " trains on the gradient of "
                        + "each agent's reward with respect to its action, and " + envId + " does not provide one "
                        + "(its spec says reward_gradient_available = false); choose an environment that does");
            }
        }
    }
}
