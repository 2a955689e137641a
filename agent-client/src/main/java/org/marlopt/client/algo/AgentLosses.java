package org.marlopt.client.algo;

/** Each agent's actor loss, averaged over a round's updates: what every trainer's round reports. */
final class AgentLosses {

    private final float[] sums;
    private int updates;

    AgentLosses(int agents) {
        this.sums = new float[agents];
    }

    /** Adds one update's loss per agent. */
    void add(float[] losses) {
        for (int agent = 0; agent < sums.length; agent++) {
            sums[agent] += losses[agent];
        }
        updates++;
    }

    /** Per agent, the mean over the updates added (zeros when there were none). */
    float[] means() {
        float[] means = new float[sums.length];
        for (int agent = 0; agent < sums.length; agent++) {
            means[agent] = sums[agent] / Math.max(1, updates);
        }
        return means;
    }
}
