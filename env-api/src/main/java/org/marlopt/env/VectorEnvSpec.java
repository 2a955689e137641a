package org.marlopt.env;

/** The spec of a session: one copy's {@link EnvSpec} and the options of the batch of copies. */
public record VectorEnvSpec(EnvSpec env, VectorOptions options) {

    /** @throws EnvArgumentException naming {@code options.reward_gradient} when asked of an environment without one */
    public VectorEnvSpec {
        if (options.rewardGradient() && !env.rewardGradientAvailable()) {
            throw new EnvArgumentException("options.reward_gradient", env.envId() + " has no reward gradient (its "
                    + "spec's reward_gradient_available is false); make the session with reward_gradient false");
        }
    }

    public int numEnvs() {
        return options.numEnvs();
    }

    public int numAgents() {
        return env.numAgents();
    }

    public String envId() {
        return env.envId();
    }
}
