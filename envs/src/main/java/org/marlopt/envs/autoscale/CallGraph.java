package org.marlopt.envs.autoscale;

import java.util.SplittableRandom;
import org.marlopt.env.EnvArgumentException;

/**
 * An application's services and who calls whom. Service 0 is the entry (the frontend) that every
 * user request calls once; an edge from -> to with count k means each call to {@code from} makes k
 * calls to {@code to} on average, one after another (synchronous RPCs). Every edge goes to a later
 * index, so the graph is acyclic and index order is a topological order.
 */
final class CallGraph {

    private final double[] demands;
    /** Per service, its out-edges as [edgeStart[s], edgeStart[s + 1]) into edgeTo / edgeCount. */
    private final int[] edgeStart;
    private final int[] edgeTo;
    private final double[] edgeCount;
    private final double[] visits;
    private final int maxVisitsPerRequest;

    /**
     * @param demands seconds one replica works per call, per service
     * @param from, to, counts the edges; each from < to
     * @throws EnvArgumentException naming the parameter and the fix
     */
    CallGraph(double[] demands, double[] from, double[] to, double[] counts) {
        int n = demands.length;
        if (from.length != to.length || from.length != counts.length) {
            throw new EnvArgumentException("params.call_to", "call_from, call_to and call_counts have "
                    + from.length + ", " + to.length + " and " + counts.length + " values; give one of each per "
                    + "edge");
        }
        this.demands = demands.clone();
        this.edgeStart = new int[n + 1];
        this.edgeTo = new int[from.length];
        this.edgeCount = new double[from.length];
        int[] sources = checkedEndpoints(from, "call_from", n);
        int[] targets = checkedEndpoints(to, "call_to", n);
        groupEdgesBySource(sources, targets, counts);
        this.visits = computeVisits();
        checkReachable();
        this.maxVisitsPerRequest = (int) Math.min(Integer.MAX_VALUE, maxVisits());
    }

    private static int[] checkedEndpoints(double[] values, String name, int n) {
        int[] indexes = new int[values.length];
        for (int e = 0; e < values.length; e++) {
            if (values[e] != Math.rint(values[e]) || values[e] < 0 || values[e] >= n) {
                throw new EnvArgumentException("params." + name, name + "[" + e + "] = " + values[e] + " is not "
                        + "a service index; use whole numbers in [0, " + (n - 1) + "] (one per cpu_demands entry)");
            }
            indexes[e] = (int) values[e];
        }
        return indexes;
    }

    private void groupEdgesBySource(int[] sources, int[] targets, double[] counts) {
        for (int e = 0; e < sources.length; e++) {
            if (sources[e] >= targets[e]) {
                throw new EnvArgumentException("params.call_to", "edge " + e + " calls service " + targets[e]
                        + " from service " + sources[e] + "; list services so that every call goes to a later "
                        + "index (a topological order, entry service 0 first)");
            }
            edgeStart[sources[e] + 1]++;
        }
        for (int s = 0; s < demands.length; s++) {
            edgeStart[s + 1] += edgeStart[s];
        }
        int[] next = edgeStart.clone();
        for (int e = 0; e < sources.length; e++) {
            int slot = next[sources[e]]++;
            edgeTo[slot] = targets[e];
            edgeCount[slot] = counts[e];
        }
    }

    /** v_0 = 1, v_t = sum over edges s -> t of v_s * count: calls per user request. */
    private double[] computeVisits() {
        double[] result = new double[demands.length];
        result[0] = 1;
        for (int s = 0; s < demands.length; s++) {
            for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                result[edgeTo[e]] += result[s] * edgeCount[e];
            }
        }
        return result;
    }

    private void checkReachable() {
        for (int s = 1; s < demands.length; s++) {
            if (visits[s] == 0) {
                throw new EnvArgumentException("params.call_to", "service " + s + " is never called from the "
                        + "entry service 0; add an edge with a positive call count into it, or drop it from "
                        + "cpu_demands");
            }
        }
    }

    /** Visits of the largest request: every fractional count rounded up. */
    private double maxVisits() {
        double[] most = new double[demands.length];
        most[0] = 1;
        double total = 0;
        for (int s = 0; s < demands.length; s++) {
            total += most[s];
            for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
                most[edgeTo[e]] += most[s] * Math.ceil(edgeCount[e]);
            }
        }
        return total;
    }

    int size() {
        return demands.length;
    }

    double demand(int service) {
        return demands[service];
    }

    /** Mean calls to {@code service} per user request. */
    double visits(int service) {
        return visits[service];
    }

    /** Service s's out-edges are the indexes [firstEdge(s), firstEdge(s + 1)). */
    int firstEdge(int service) {
        return edgeStart[service];
    }

    int edgeTarget(int edge) {
        return edgeTo[edge];
    }

    /** Mean calls along the edge per call of its caller. */
    double edgeCalls(int edge) {
        return edgeCount[edge];
    }

    int maxVisitsPerRequest() {
        return maxVisitsPerRequest;
    }

    /**
     * Writes one request's calls in the order they happen (a preorder walk: a service works, then
     * makes its calls one after another) into {@code out} from {@code start}; returns the end. An
     * edge with count k makes floor(k) calls plus one more with probability k - floor(k).
     */
    int drawCallSequence(int service, SplittableRandom random, int[] out, int start) {
        int end = start;
        out[end++] = service;
        for (int e = edgeStart[service]; e < edgeStart[service + 1]; e++) {
            double count = edgeCount[e];
            int calls = (int) count + (random.nextDouble() < count - Math.floor(count) ? 1 : 0);
            for (int c = 0; c < calls; c++) {
                end = drawCallSequence(edgeTo[e], random, out, end);
            }
        }
        return end;
    }
}
