package org.marlopt.env;

import java.util.List;
import java.util.Map;

/** A registry entry: an environment id with its parameters and a factory for sessions. */
public interface EnvDefinition {

    /** Registry id in {@code Name-vN} form. */
    String id();

    /** What the environment models: dynamics, reward, termination, action handling. */
    String description();

    /** Parameters {@link #make} accepts, with their defaults. */
    List<ParameterSpec> parameters();

    /**
     * The spec a {@link #make} with these arguments would produce, without allocating the
     * environment, so a caller can check sizes first.
     *
     * @param params parameter values by name; missing ones take their default
     * @throws EnvArgumentException for an unknown parameter or an invalid value
     */
    VectorEnvSpec describe(Map<String, Double> params, VectorOptions options);

    /** Creates the environment; throws as {@link #describe}. */
    VectorEnv make(Map<String, Double> params, VectorOptions options);
}
