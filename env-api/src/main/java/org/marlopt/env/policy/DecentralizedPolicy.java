package org.marlopt.env.policy;

import org.marlopt.env.EnvSpec;

/**
 * A team policy made of one {@link AgentController} per agent per copy, each fed only its own
 * agent's view: nothing global reaches a controller except what travels over the message
 * channel. Allocation-free per step.
 */
public final class DecentralizedPolicy implements TeamPolicy {

    /** Makes agent {@code agent}'s controller for one copy. */
    @FunctionalInterface
    public interface ControllerFactory {
        AgentController create(EnvSpec spec, int agent);
    }

    private final String name;
    private final int sharedSize;
    private final int[] ownSizes;
    private final int[] actionSizes;
    private final AgentController[][] controllers;
    private final float[][] views;
    private final float[][] scratchActions;

    public DecentralizedPolicy(String name, EnvSpec spec, int numEnvs, ControllerFactory factory) {
        this.name = name;
        int numAgents = spec.numAgents();
        this.sharedSize = spec.sharedObservationSpace().size();
        this.ownSizes = new int[numAgents];
        this.actionSizes = new int[numAgents];
        this.controllers = new AgentController[numAgents][numEnvs];
        this.views = new float[numAgents][];
        this.scratchActions = new float[numAgents][];
        for (int agent = 0; agent < numAgents; agent++) {
            ownSizes[agent] = spec.agents().get(agent).observationSpace().size();
            actionSizes[agent] = spec.agents().get(agent).actionSpace().size();
            views[agent] = new float[sharedSize + ownSizes[agent]];
            scratchActions[agent] = new float[actionSizes[agent]];
            for (int copy = 0; copy < numEnvs; copy++) {
                controllers[agent][copy] = factory.create(spec, agent);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void act(float[] sharedObservation, float[][] observations, boolean[] episodeStart, float[][] actions) {
        for (int agent = 0; agent < controllers.length; agent++) {
            float[] view = views[agent];
            float[] action = scratchActions[agent];
            for (int copy = 0; copy < controllers[agent].length; copy++) {
                System.arraycopy(sharedObservation, copy * sharedSize, view, 0, sharedSize);
                System.arraycopy(observations[agent], copy * ownSizes[agent], view, sharedSize, ownSizes[agent]);
                controllers[agent][copy].act(view, episodeStart[copy], action);
                System.arraycopy(action, 0, actions[agent], copy * actionSizes[agent], actionSizes[agent]);
            }
        }
    }
}
