package org.marlopt.envs.autoscale;

/**
 * The Kubernetes Horizontal Pod Autoscaler's CPU rule for one workload, one sync per call, with
 * the controller's defaults (kubernetes/kubernetes pkg/controller/podautoscaler):
 * <ol>
 *   <li>replica_calculator.go GetResourceReplicas: utilisation is the integer percent of the
 *       requested CPU used by the ready pods; usage ratio r = utilisation / target. Without
 *       starting (unready) pods: keep the current count when |1 - r| <= tolerance (0.1), else
 *       ceil(r x ready). With starting pods and r > 1, they count as using 0 and the ratio is
 *       recomputed over all pods; a ratio within the tolerance or no longer above 1 keeps the count,
 *       else ceil(new ratio x all pods), never below the current count.</li>
 *   <li>horizontal.go stabilizeRecommendationWithBehaviors: the raw recommendations of the
 *       scale-down stabilisation window (default 300 s, so 20 syncs of 15 s including this one)
 *       bound a scale-down: the result is the current count raised to this recommendation and
 *       lowered to the window's largest one. Scale-up has no window by default. As
 *       recordInitialRecommendation does, the first sync finds the then current count in the window.</li>
 *   <li>convertDesiredReplicasWithBehaviorRate with the default policies: scale up by at most
 *       max(100%, 4 pods) per 15 s period, i.e. to max(2 x current, current + 4); scale down by up
 *       to 100%; then into [min_replicas, max_replicas].</li>
 * </ol>
 * The environment's step is one sync period, so a rate-limit period holds exactly one sync.
 */
final class HpaRule {

    static final double DEFAULT_TARGET_UTILIZATION = 0.8;
    static final double DEFAULT_TOLERANCE = 0.1;
    static final double DEFAULT_STABILIZATION_SECONDS = 300;

    private final double targetPercent;
    private final double tolerance;
    private final int minReplicas;
    private final int maxReplicas;
    /** Raw recommendations of the window's earlier syncs, a ring; the newest at next - 1. */
    private final int[] earlier;
    private final int earlierSyncs;
    private int recorded;
    private int next;
    private boolean synced;

    /** @param windowSyncs syncs in the scale-down stabilisation window, this one included (>= 1) */
    HpaRule(double targetUtilization, double tolerance, int windowSyncs, int minReplicas, int maxReplicas) {
        this.targetPercent = Math.round(targetUtilization * 100);
        this.tolerance = tolerance;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.earlierSyncs = windowSyncs - 1;
        this.earlier = new int[Math.max(1, earlierSyncs)];
    }

    /** Forgets the recommendations: a new episode. */
    void reset() {
        recorded = 0;
        next = 0;
        synced = false;
    }

    /**
     * One sync: the new desired count for a workload at {@code current} desired replicas, of which
     * {@code ready} serve and {@code starting} start, whose ready pods were busy {@code utilization}.
     */
    int desiredReplicas(int current, int ready, int starting, double utilization) {
        if (!synced) {
            remember(current);
            synced = true;
        }
        int raw = ready == 0 ? current : recommendation(current, ready, starting, utilization);
        int stabilized = stabilize(current, raw);
        int scaleUpLimit = Math.max(2 * current, current + 4);
        return Math.max(minReplicas, Math.min(Math.min(maxReplicas, scaleUpLimit), stabilized));
    }

    private int recommendation(int current, int ready, int starting, double utilization) {
        // metricsclient.GetResourceUtilizationRatio: an integer percent of the request (the 1e-6
        // keeps a float observation such as 0.9f = 0.89999998 at 90)
        double ratio = Math.floor(utilization * 100 + 1e-6) / targetPercent;
        boolean rebalanceStarting = starting > 0 && ratio > 1;
        if (!rebalanceStarting) {
            return Math.abs(1 - ratio) <= tolerance ? current : (int) Math.ceil(ratio * ready);
        }
        int pods = ready + starting;
        double newRatio = ratio * ready / pods;
        if (Math.abs(1 - newRatio) <= tolerance || newRatio < 1) {
            return current;
        }
        return Math.max(current, (int) Math.ceil(newRatio * pods));
    }

    /** The current count, raised to this recommendation, lowered to the window's largest one. */
    private int stabilize(int current, int raw) {
        int largest = raw;
        for (int k = 0; k < recorded; k++) {
            largest = Math.max(largest, earlier[k]);
        }
        remember(raw);
        return Math.min(Math.max(current, raw), largest);
    }

    private void remember(int recommendation) {
        if (earlierSyncs > 0) {
            earlier[next] = recommendation;
            next = (next + 1) % earlierSyncs;
            recorded = Math.min(recorded + 1, earlierSyncs);
        }
    }
}
