package org.marlopt.envs.leastsquares;

import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * What DGD, EXTRA and gradient tracking share as policy definitions: their name, the one setting
 * {@code step_size}, the check that the environment's messages can carry what they send, and a
 * {@link DecentralizedPolicy} of one {@link ConsensusController} per agent. Each algorithm writes
 * only its description and its controller.
 */
abstract class ConsensusAlgorithm implements PolicyDefinition {

    private final String name;
    private final int vectorsPerMessage;
    private final double defaultStepSize;

    /**
     * @param vectorsPerMessage dim-long vectors a message carries
     * @param defaultStepSize alpha when the settings give none
     */
    ConsensusAlgorithm(String name, int vectorsPerMessage, double defaultStepSize) {
        this.name = name;
        this.vectorsPerMessage = vectorsPerMessage;
        this.defaultStepSize = defaultStepSize;
    }

    /** Agent {@code agent}'s controller for one copy, stepping with {@code stepSize}. */
    abstract ConsensusController controller(EnvSpec spec, int agent, double stepSize);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean supports(EnvSpec spec) {
        return LeastSquaresPolicy.supports(spec, vectorsPerMessage);
    }

    @Override
    public final TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        LeastSquaresPolicy.requireSupported(name, spec, vectorsPerMessage);
        double stepSize = LeastSquaresPolicy.stepSize(name, settings, defaultStepSize);
        return new DecentralizedPolicy(name, spec, numEnvs, (env, agent) -> controller(env, agent, stepSize));
    }
}
