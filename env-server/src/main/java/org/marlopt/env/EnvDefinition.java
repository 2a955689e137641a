package org.marlopt.env;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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

    /**
     * Checks the arguments once for both {@link #describe} and {@link #make}: the spec, and a
     * factory that allocates the environment only when called. Throws as {@link #describe}.
     * Definitions may override it to avoid parsing the arguments twice.
     */
    default Prepared prepare(Map<String, Double> params, VectorOptions options) {
        return new Prepared(describe(params, options), () -> make(params, options));
    }

    /** A spec, and the factory of the environment with that spec. */
    record Prepared(VectorEnvSpec spec, Supplier<VectorEnv> factory) {
    }
}
