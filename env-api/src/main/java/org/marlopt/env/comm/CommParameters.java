package org.marlopt.env.comm;

import java.util.List;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * The parameters every environment with a message channel declares, and the channel they
 * build. Shared so that topology, message size, delay and loss mean the same in every
 * environment.
 */
public final class CommParameters {

    public static final String TOPOLOGY = "topology";
    public static final String EDGE_PROBABILITY = "edge_probability";
    public static final String GRAPH_SEED = "graph_seed";
    public static final String MESSAGE_SIZE = "message_size";
    public static final String MESSAGE_DELAY = "message_delay";
    public static final String MESSAGE_DROP_PROBABILITY = "message_drop_probability";
    /** Longest delay, in steps, a channel accepts. */
    public static final int MAX_DELAY = 64;
    /** Longest message a channel accepts. */
    public static final int MAX_MESSAGE_SIZE = 1024;

    private CommParameters() {}

    /** The channel's parameter specs, with an environment's own default topology and message size. */
    public static List<ParameterSpec> specs(String defaultTopology, int defaultMessageSize) {
        return List.of(
                ParameterSpec.choice(TOPOLOGY, "Communication graph over the agents (undirected).", defaultTopology,
                        Topologies.NAMES),
                ParameterSpec.number(EDGE_PROBABILITY, "Erdos-Renyi only: probability of each edge; the drawn "
                        + "graph must be connected.", 0.5, 0.0, 1.0),
                ParameterSpec.integer(GRAPH_SEED, "Erdos-Renyi only: seed of the graph draw.", 0, 0, Long.MAX_VALUE),
                ParameterSpec.integer(MESSAGE_SIZE, "Values in each agent's outgoing message (0: no channel).",
                        defaultMessageSize, 0, MAX_MESSAGE_SIZE),
                ParameterSpec.integer(MESSAGE_DELAY, "Extra steps a message waits before delivery.", 0, 0, MAX_DELAY),
                ParameterSpec.number(MESSAGE_DROP_PROBABILITY, "Probability that a message on an edge is lost.",
                        0.0, 0.0, 1.0));
    }

    /** The channel the parameters describe, over {@code numAgents} agents. */
    public static CommSpec channel(Parameters params, int numAgents, float messageLow, float messageHigh) {
        int messageSize = params.integer(MESSAGE_SIZE);
        if (messageSize == 0) {
            return CommSpec.NONE;
        }
        String topology = params.choice(TOPOLOGY);
        CommGraph graph = Topologies.build(topology, numAgents, params.number(EDGE_PROBABILITY),
                (Long) params.asMap().get(GRAPH_SEED));
        return new CommSpec(topology, graph, messageSize, params.integer(MESSAGE_DELAY),
                params.number(MESSAGE_DROP_PROBABILITY), messageLow, messageHigh);
    }
}
