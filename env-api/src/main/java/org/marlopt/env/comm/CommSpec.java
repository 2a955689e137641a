package org.marlopt.env.comm;

import org.marlopt.env.BoxSpace;

/**
 * The message channel of an environment: each agent's action ends with a message of
 * {@code messageSize} values in [messageLow, messageHigh]; after each step every agent finds in
 * its inbox, per in-neighbour in increasing index, a slot of 1 + messageSize values: a presence
 * flag, then the message sent {@code delay} steps before the step that produced the observation
 * (delay 0: in that step), or zeros when none arrived. Each message on each edge is lost with
 * probability {@code dropProbability}.
 */
public record CommSpec(String topology, CommGraph graph, int messageSize, int delay, double dropProbability,
                       float messageLow, float messageHigh) {

    /** No channel. */
    public static final CommSpec NONE = new CommSpec("none", null, 0, 0, 0, 0f, 0f);

    public boolean enabled() {
        return messageSize > 0;
    }

    /** Values of one inbox slot: the presence flag and the message. */
    public int slotSize() {
        return 1 + messageSize;
    }

    public BoxSpace messageSpace() {
        return BoxSpace.vector(messageSize, messageLow, messageHigh);
    }

    /** The agent's inbox: one slot per in-neighbour. */
    public BoxSpace inboxSpace(int agent) {
        BoxSpace slot = BoxSpace.concat(BoxSpace.vector(1, 0f, 1f), messageSpace());
        BoxSpace inbox = BoxSpace.vector(0, 0f, 0f);
        for (int i = 0; i < graph.inNeighbours(agent).length; i++) {
            inbox = BoxSpace.concat(inbox, slot);
        }
        return inbox;
    }
}
