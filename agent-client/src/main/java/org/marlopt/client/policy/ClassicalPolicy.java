package org.marlopt.client.policy;

import java.util.Map;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * A classical algorithm of the environment API ({@link PolicyDefinition}: gradient tracking, DGD,
 * ...) driving a session over gRPC: the session's shared and own observations and episode starts
 * go to {@link TeamPolicy#act} as they are, its actions come back per agent.
 */
public final class ClassicalPolicy implements Policy {

    private final String name;
    private final TeamPolicy policy;
    private final float[][] ownObservations;

    /**
     * @param settings the algorithm's hyperparameters by name; missing ones take its defaults
     * @throws IllegalArgumentException naming an unknown or invalid setting
     */
    public ClassicalPolicy(PolicyDefinition definition, SessionSpec spec, Map<String, Double> settings) {
        this.name = definition.name();
        this.policy = definition.create(spec.env(), spec.numEnvs(), settings);
        this.ownObservations = new float[spec.numAgents()][];
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void act(EnvSession session, float[][] actions) {
        for (int agent = 0; agent < ownObservations.length; agent++) {
            ownObservations[agent] = session.ownObservation(agent);
        }
        policy.act(session.sharedObservation(), ownObservations, session.episodeStart(), actions);
    }
}
