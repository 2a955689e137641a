package org.marlopt.envs.leastsquares;

import java.util.Arrays;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.Part;
import org.marlopt.env.comm.CommGraph;

/**
 * One agent's part of a consensus step (W v)_i = W_ii v_i + sum_j W_ij v_j over the message
 * channel: its row of the mixing matrix W (the spec's Metropolis-Hastings weights) and the last
 * message heard from each in-neighbour j.
 *
 * <p>Without loss every neighbour's latest message is in the inbox and this is the textbook W v.
 * A neighbour whose message did not arrive (inbox presence flag 0) counts with the last message
 * it got through; one not heard from yet in this episode counts with the agent's own value, as if
 * it agreed.
 */
final class NeighbourConsensus {

    private final double selfWeight;
    /** W_ij per in-neighbour j, in inbox order. */
    private final double[] weights;
    private final int inboxStart;
    private final int slotSize;
    private final double[][] lastHeard;
    private final boolean[] heard;

    /** @param width how many leading values of each message the algorithm uses */
    NeighbourConsensus(EnvSpec spec, int agent, int width) {
        CommGraph graph = spec.comm().graph();
        int[] neighbours = graph.inNeighbours(agent);
        this.selfWeight = graph.weight(agent, agent);
        this.weights = new double[neighbours.length];
        for (int k = 0; k < neighbours.length; k++) {
            weights[k] = graph.weight(agent, neighbours[k]);
        }
        this.inboxStart = spec.sharedObservationSpace().size()
                + spec.agents().get(agent).observationPart(Part.INBOX).offset();
        this.slotSize = spec.comm().slotSize();
        this.lastHeard = new double[neighbours.length][width];
        this.heard = new boolean[neighbours.length];
    }

    /** Forgets the last episode's messages. */
    void startEpisode() {
        Arrays.fill(heard, false);
    }

    /** Keeps each message that arrived in this view (the agent's shared and own observation). */
    void listen(float[] view) {
        for (int k = 0; k < weights.length; k++) {
            int slot = inboxStart + k * slotSize;
            if (view[slot] != 0f) {
                heard[k] = true;
                LeastSquaresPolicy.read(view, slot + 1, lastHeard[k]);
            }
        }
    }

    /**
     * {@code into} = (W v)_i, with v_i = {@code own} and v_j the values at {@code offset} of
     * neighbour j's last message.
     */
    void mix(double[] own, int offset, double[] into) {
        for (int k = 0; k < own.length; k++) {
            double sum = selfWeight * own[k];
            for (int j = 0; j < weights.length; j++) {
                sum += weights[j] * (heard[j] ? lastHeard[j][offset + k] : own[k]);
            }
            into[k] = sum;
        }
    }
}
