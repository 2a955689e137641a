package org.marlopt.env.policy;

import org.marlopt.env.EnvSpec;

/**
 * A classical algorithm offered as a policy, by name, for the environments it applies to.
 * Implementations are found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.marlopt.env.policy.PolicyDefinition}); see {@link PolicyCatalog}.
 */
public interface PolicyDefinition {

    /** The name {@code --policy} selects, e.g. "gradient-tracking". */
    String name();

    /** One line: the algorithm, its reference and its step size rule. */
    String description();

    /** Whether the policy can drive sessions of this spec (env id, message size, ...). */
    boolean supports(EnvSpec spec);

    /**
     * A fresh policy for a session of {@code numEnvs} copies of {@code spec}.
     *
     * @param settings the algorithm's hyperparameters by name (e.g. "step_size"); missing ones take
     *     the defaults {@link #description()} gives
     * @throws IllegalArgumentException naming an unknown or invalid setting, or saying what the policy
     *     needs when it does not {@link #supports} the spec
     */
    TeamPolicy create(EnvSpec spec, int numEnvs, java.util.Map<String, Double> settings);
}
