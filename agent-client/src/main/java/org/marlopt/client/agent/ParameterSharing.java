package org.marlopt.client.agent;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import org.marlopt.client.nn.ParameterValues;
import org.marlopt.client.session.SessionSpec;

/**
 * Parameter sharing: every agent trains one network, told apart by a one-hot agent id appended to
 * its observation (as in MAPPO's shared policy). The team keeps one stacked slice per agent, so
 * checkpoints, evaluation and every trainer stay unchanged; the slices start equal and
 * {@link AgentTeam#sumGradientsAcrossAgents} gives each slice the shared network's gradient (the
 * sum of all agents' gradients) before every update. Adam is elementwise, so equal slices with
 * equal gradients and equal moments stay equal: the tied team is the shared network.
 */
public final class ParameterSharing {

    private ParameterSharing() {}

    /** The agents' network input: the largest observation, plus the agent id when shared. */
    public static int inputSize(SessionSpec spec, boolean shared) {
        return spec.maxObservationSize() + (shared ? spec.numAgents() : 0);
    }

    /**
     * @throws IllegalArgumentException naming the first agent that differs, when agents do not have equal
     *     observation sizes and equal action Boxes (one network cannot serve them)
     */
    public static void requireEqualSpaces(SessionSpec spec) {
        for (int agent = 1; agent < spec.numAgents(); agent++) {
            boolean sameObservation = spec.ownSize(agent) == spec.ownSize(0);
            boolean sameAction = Arrays.equals(spec.agent(agent).actionSpace().low(), spec.agent(0).actionSpace().low())
                    && Arrays.equals(spec.agent(agent).actionSpace().high(), spec.agent(0).actionSpace().high());
            if (!sameObservation || !sameAction) {
                throw new IllegalArgumentException("parameterSharing needs agents with equal observation and action "
                        + "spaces, but agent " + spec.agentNames().get(agent) + " differs from "
                        + spec.agentNames().get(0) + " in its " + (sameObservation ? "action Box" : "observation size")
                        + " in " + spec.envId() + "; set parameterSharing=false");
            }
        }
    }

    /** Makes every model's parameters equal to the first's (a shared network's initialisation). */
    public static void tie(List<Model> models) {
        List<NDArray> first = AgentNetwork.parameterArrays(models.get(0));
        for (Model model : models.subList(1, models.size())) {
            List<NDArray> arrays = AgentNetwork.parameterArrays(model);
            for (int i = 0; i < arrays.size(); i++) {
                ParameterValues.overwrite(arrays.get(i), first.get(i).toFloatArray());
            }
        }
    }
}
