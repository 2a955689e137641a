package org.marlopt.client.agent;

import ai.djl.ndarray.NDManager;
import org.marlopt.client.env.VectorSession;

/** The trained agents, acting greedily (their output is the action; nothing is sampled). */
public final class LearnedPolicy implements Policy {

    private final AgentTeam team;
    private final NDManager manager;

    public LearnedPolicy(AgentTeam team, NDManager manager) {
        this.team = team;
        this.manager = manager;
    }

    @Override
    public String name() {
        return "learned";
    }

    @Override
    public float[] act(VectorSession env) {
        try (NDManager stepManager = manager.newSubManager()) {
            return team.act(team.observe(stepManager, env.observations(), env.dims().numEnvs())).toFloatArray();
        }
    }
}
