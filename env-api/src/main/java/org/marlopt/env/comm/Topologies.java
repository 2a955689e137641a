package org.marlopt.env.comm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.marlopt.env.EnvArgumentException;

/** The communication graphs an environment can be made with, by name. All are undirected. */
public final class Topologies {

    public static final String RING = "ring";
    public static final String COMPLETE = "complete";
    public static final String ERDOS_RENYI = "erdos_renyi";
    public static final List<String> NAMES = List.of(RING, COMPLETE, ERDOS_RENYI);

    private Topologies() {}

    /**
     * @param edgeProbability Erdos-Renyi only: the chance of each undirected edge
     * @param graphSeed Erdos-Renyi only: seeds the draw, so a session's graph is reproducible
     * @throws EnvArgumentException when an Erdos-Renyi draw is not connected
     */
    public static CommGraph build(String topology, int numAgents, double edgeProbability, long graphSeed) {
        List<int[]> pairs = new ArrayList<>();
        switch (topology) {
            case RING -> {
                for (int i = 0; i < numAgents && numAgents > 1; i++) {
                    int next = (i + 1) % numAgents;
                    if (numAgents > 2 || i == 0) {
                        pairs.add(new int[] {i, next});
                    }
                }
            }
            case COMPLETE -> {
                for (int i = 0; i < numAgents; i++) {
                    for (int j = i + 1; j < numAgents; j++) {
                        pairs.add(new int[] {i, j});
                    }
                }
            }
            case ERDOS_RENYI -> {
                SplittableRandom random = new SplittableRandom(graphSeed);
                for (int i = 0; i < numAgents; i++) {
                    for (int j = i + 1; j < numAgents; j++) {
                        if (random.nextDouble() < edgeProbability) {
                            pairs.add(new int[] {i, j});
                        }
                    }
                }
            }
            default -> throw new EnvArgumentException("params." + CommParameters.TOPOLOGY, "unknown topology '"
                    + topology + "'; use one of " + NAMES);
        }
        CommGraph graph = new CommGraph(numAgents, bothWays(pairs));
        if (!graph.stronglyConnected()) {
            throw new EnvArgumentException("params." + CommParameters.EDGE_PROBABILITY, "the Erdos-Renyi graph drawn "
                    + "with edge_probability " + edgeProbability + " and graph_seed " + graphSeed + " over "
                    + numAgents + " agents is not connected, so some agents could never share information; "
                    + "raise edge_probability or try another graph_seed");
        }
        return graph;
    }

    private static List<int[]> bothWays(List<int[]> pairs) {
        List<int[]> links = new ArrayList<>();
        for (int[] pair : pairs) {
            links.add(new int[] {pair[0], pair[1]});
            links.add(new int[] {pair[1], pair[0]});
        }
        return links;
    }
}
