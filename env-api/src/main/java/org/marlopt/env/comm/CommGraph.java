package org.marlopt.env.comm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A directed communication graph over {@code numAgents} agents with its Metropolis-Hastings
 * mixing weights W[to][from] = 1 / (1 + max(d(to), d(from))), d the in-degree, and
 * W[i][i] = 1 - sum of i's incoming weights. For an undirected graph (every edge listed both
 * ways) W is symmetric and doubly stochastic, as consensus algorithms need.
 */
public final class CommGraph {

    /** A directed edge: {@code to} receives {@code from}'s messages, mixing them with {@code weight}. */
    public record Edge(int from, int to, double weight) {}

    private final int numAgents;
    private final List<Edge> edges;
    private final int[][] inNeighbours;
    private final int[][] outNeighbours;
    private final double[][] weights;

    /** @param links pairs {from, to}, no self loops, no duplicates */
    public CommGraph(int numAgents, List<int[]> links) {
        this.numAgents = numAgents;
        int[] inDegree = new int[numAgents];
        boolean[][] adjacent = new boolean[numAgents][numAgents];
        for (int[] link : links) {
            if (link[0] == link[1] || adjacent[link[1]][link[0]]) {
                throw new IllegalArgumentException("self loop or duplicate edge " + Arrays.toString(link));
            }
            adjacent[link[1]][link[0]] = true;
            inDegree[link[1]]++;
        }
        this.weights = new double[numAgents][numAgents];
        List<Edge> sorted = new ArrayList<>();
        for (int to = 0; to < numAgents; to++) {
            double incoming = 0;
            for (int from = 0; from < numAgents; from++) {
                if (adjacent[to][from]) {
                    double weight = 1.0 / (1 + Math.max(inDegree[to], inDegree[from]));
                    weights[to][from] = weight;
                    incoming += weight;
                    sorted.add(new Edge(from, to, weight));
                }
            }
            weights[to][to] = 1 - incoming;
        }
        sorted.sort(Comparator.comparingInt(Edge::to).thenComparingInt(Edge::from));
        this.edges = List.copyOf(sorted);
        this.inNeighbours = new int[numAgents][];
        this.outNeighbours = new int[numAgents][];
        for (int agent = 0; agent < numAgents; agent++) {
            int self = agent;
            inNeighbours[agent] = edges.stream().filter(e -> e.to() == self).mapToInt(Edge::from).toArray();
            outNeighbours[agent] = edges.stream().filter(e -> e.from() == self).mapToInt(Edge::to).sorted().toArray();
        }
    }

    public int numAgents() {
        return numAgents;
    }

    /** Sorted by (to, from). */
    public List<Edge> edges() {
        return edges;
    }

    /** The agents {@code agent} receives from, in increasing index: the order of its inbox slots. */
    public int[] inNeighbours(int agent) {
        return inNeighbours[agent].clone();
    }

    public int[] outNeighbours(int agent) {
        return outNeighbours[agent].clone();
    }

    /** W[to][from]; W[i][i] is the self-weight; 0 where there is no edge. */
    public double weight(int to, int from) {
        return weights[to][from];
    }

    /** Whether every agent can reach every other along the edges. */
    public boolean stronglyConnected() {
        return reachesAll(false) && reachesAll(true);
    }

    private boolean reachesAll(boolean reversed) {
        boolean[] seen = new boolean[numAgents];
        int[] stack = new int[numAgents];
        int size = 0;
        stack[size++] = 0;
        seen[0] = true;
        int count = 1;
        while (size > 0) {
            int agent = stack[--size];
            for (int next : reversed ? inNeighbours[agent] : outNeighbours[agent]) {
                if (!seen[next]) {
                    seen[next] = true;
                    count++;
                    stack[size++] = next;
                }
            }
        }
        return count == numAgents;
    }
}
