package org.marlopt.env;

/** The spec of a session: one copy's {@link EnvSpec} and the options of the batch of copies. */
public record VectorEnvSpec(EnvSpec env, VectorOptions options) {

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
