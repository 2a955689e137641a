package org.marlopt.env.comm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.Part;

/**
 * The running message channel of a batch of copies: takes each agent's message from its action,
 * holds it for the channel's delay, drops it with the channel's probability, and writes it into
 * the inbox part of each out-neighbour's observation. Allocation-free after construction.
 */
public final class MessageChannel {

    private final CommSpec spec;
    private final int numAgents;
    private final int messageSize;
    private final int slots;
    private final int[][] inNeighbours;
    private final int[] observationSizes;
    private final int[] inboxOffsets;
    private final int[] actionSizes;
    private final int[] messageOffsets;
    /** Per copy, per slot (step modulo delay + 1), per agent: the message sent. */
    private final float[][][][] history;
    /** Per copy: steps since the episode began. */
    private final int[] steps;
    private final SplittableRandom[] dropRandoms;

    public MessageChannel(CommSpec spec, List<AgentSpec> agents, int numEnvs) {
        this.spec = spec;
        this.numAgents = agents.size();
        this.messageSize = spec.messageSize();
        this.slots = spec.delay() + 1;
        this.inNeighbours = new int[numAgents][];
        this.observationSizes = new int[numAgents];
        this.inboxOffsets = new int[numAgents];
        this.actionSizes = new int[numAgents];
        this.messageOffsets = new int[numAgents];
        for (int agent = 0; agent < numAgents; agent++) {
            AgentSpec agentSpec = agents.get(agent);
            inNeighbours[agent] = spec.graph().inNeighbours(agent);
            observationSizes[agent] = agentSpec.observationSpace().size();
            inboxOffsets[agent] = agentSpec.observationPart(Part.INBOX).offset();
            actionSizes[agent] = agentSpec.actionSpace().size();
            messageOffsets[agent] = agentSpec.actionPart(Part.MESSAGE).offset();
        }
        this.history = new float[numEnvs][slots][numAgents][messageSize];
        this.steps = new int[numEnvs];
        this.dropRandoms = new SplittableRandom[numEnvs];
    }

    /** Starts a copy's episode: no message in flight, every inbox empty. */
    public void reset(int copy, SplittableRandom dropRandom, float[][] observations) {
        dropRandoms[copy] = dropRandom;
        steps[copy] = 0;
        for (int agent = 0; agent < numAgents; agent++) {
            int inbox = copy * observationSizes[agent] + inboxOffsets[agent];
            Arrays.fill(observations[agent], inbox, inbox + inNeighbours[agent].length * spec.slotSize(), 0f);
        }
    }

    /**
     * Sends the copy's messages from the agents' actions, clipped into the message bounds, and
     * delivers what is due into the inboxes.
     */
    public void exchange(int copy, float[][] actions, float[][] observations) {
        int step = ++steps[copy];
        float[][] sent = history[copy][step % slots];
        for (int agent = 0; agent < numAgents; agent++) {
            int from = copy * actionSizes[agent] + messageOffsets[agent];
            for (int j = 0; j < messageSize; j++) {
                sent[agent][j] = Math.max(spec.messageLow(), Math.min(spec.messageHigh(), actions[agent][from + j]));
            }
        }
        int sentAt = step - spec.delay();
        float[][] due = sentAt >= 1 ? history[copy][sentAt % slots] : null;
        for (int agent = 0; agent < numAgents; agent++) {
            int slot = copy * observationSizes[agent] + inboxOffsets[agent];
            for (int from : inNeighbours[agent]) {
                boolean arrives = due != null
                        && (spec.dropProbability() == 0 || dropRandoms[copy].nextDouble() >= spec.dropProbability());
                float[] inbox = observations[agent];
                if (arrives) {
                    inbox[slot] = 1f;
                    System.arraycopy(due[from], 0, inbox, slot + 1, messageSize);
                } else {
                    Arrays.fill(inbox, slot, slot + spec.slotSize(), 0f);
                }
                slot += spec.slotSize();
            }
        }
    }
}
