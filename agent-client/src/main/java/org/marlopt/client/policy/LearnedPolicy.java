package org.marlopt.client.policy;

import ai.djl.ndarray.NDManager;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.agent.ObservationTransform;
import org.marlopt.client.agent.TeamActor;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/** The trained agents, acting greedily (their output is the action; nothing is sampled). */
public final class LearnedPolicy implements Policy {

    public static final String NAME = "learned";

    private final TeamActor actor;
    private final NDManager manager;

    /**
     * @param transform the observation transform the agents were trained with
     * @param manager parent of each step's arrays
     * @throws IllegalArgumentException when the team does not fit the session (see {@link TeamActor})
     */
    public LearnedPolicy(AgentTeam team, SessionSpec spec, ObservationTransform transform, NDManager manager) {
        this.actor = new TeamActor(team, spec, transform);
        this.manager = manager;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void act(EnvSession session, float[][] actions) {
        try (NDManager stepManager = manager.newSubManager()) {
            actor.split(actor.act(stepManager, session), actions);
        }
    }
}
