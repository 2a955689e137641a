package org.marlopt.env;

import java.util.List;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * A registry entry: an environment id, what it models, its typed parameters, and how to
 * configure it. Implementations are found by {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/org.marlopt.env.EnvDefinition}) or passed to an {@link EnvRegistry}.
 */
public interface EnvDefinition {

    /** Registry id in {@code Name-vN} form. */
    String id();

    /** What the environment models: state, observations, actions, reward, dynamics, info. */
    String description();

    /** Parameters the environment accepts, with types, defaults and bounds. */
    List<ParameterSpec> parameters();

    /**
     * The environment these parameters describe: its spec and a factory of copies. Checks what
     * the declared bounds cannot (combinations, derived sizes).
     *
     * @param params already resolved against {@link #parameters()}
     * @throws EnvArgumentException naming {@code params.<name>} for an invalid combination
     */
    ConfiguredEnv configure(Parameters params);
}
