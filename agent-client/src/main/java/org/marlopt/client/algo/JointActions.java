package org.marlopt.client.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.marlopt.client.session.SessionSpec;

/**
 * Joint actions as centralised critics take them (every agent's action, unpadded, in agent order),
 * and the substitution of one agent's action in them: MADDPG's and MATD3's per-agent policy
 * gradient, COMA's counterfactuals.
 */
final class JointActions {

    private final SessionSpec spec;
    private final int[] offsets;

    JointActions(SessionSpec spec) {
        this.spec = spec;
        this.offsets = new int[spec.numAgents() + 1];
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            offsets[agent + 1] = offsets[agent] + spec.actionSize(agent);
        }
    }

    /** Values of agent's action in a joint action start here ({@code numAgents} gives the joint size). */
    int offset(int agent) {
        return offsets[agent];
    }

    int size() {
        return offsets[spec.numAgents()];
    }

    /** Padded per-agent actions [agents, rows, maxActionSize] as joint actions [rows, jointSize]. */
    NDArray of(NDArray padded) {
        NDList parts = new NDList(spec.numAgents());
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            parts.add(padded.get(new NDIndex("{}, :, :{}", agent, spec.actionSize(agent))));
        }
        return NDArrays.concat(parts, 1);
    }

    /** [agents, 1, jointSize]: 1 on agent i's slot of the joint action in row i. */
    NDArray ownSlots(NDManager scratch) {
        int agents = spec.numAgents();
        float[] slots = new float[agents * size()];
        for (int agent = 0; agent < agents; agent++) {
            Arrays.fill(slots, agent * size() + offsets[agent], agent * size() + offsets[agent + 1], 1f);
        }
        return scratch.create(slots, new Shape(agents, 1, size()));
    }

    /**
     * [agents, rows, jointSize]: in row block i, {@code joint} with agent i's action replaced by
     * its action in {@code replacements}.
     *
     * @param joint [rows, jointSize] (or [1, rows, jointSize])
     * @param replacements [rows, jointSize] joint actions whose agent-i slot is what agent i's becomes
     */
    NDArray substituted(NDManager scratch, NDArray joint, NDArray replacements) {
        NDArray mine = ownSlots(scratch);
        return joint.mul(mine.neg().add(1f)).add(replacements.mul(mine));
    }
}
