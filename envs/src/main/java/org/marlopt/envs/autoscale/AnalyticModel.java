package org.marlopt.envs.autoscale;

/**
 * The analytic fidelity: each service an M/M/c queue at its call rate lambda_i = user rate x
 * visits_i, response time T_i. A call to service s takes T_s and then makes its calls one after
 * another, N_e along each edge e (floor(k_e) plus a Bernoulli of the fraction), so its latency
 * L_s = T_s + sum_e sum_{j <= N_e} L_{to(e)} has, taking the terms as independent,
 * <pre>
 *   E[L_s]   = E[T_s] + sum_e k_e E[L_to]
 *   Var[L_s] = Var[T_s] + sum_e (k_e Var[L_to] + Var[N_e] E[L_to]^2)
 * </pre>
 * computed from the last service back to the entry. The end-to-end percentiles are those of the
 * log-normal with the mean and variance of L_0: a sum of a few exponential-like terms is right-
 * skewed, and the moment-matched log-normal follows its tail better than a normal (the tests
 * check the p99 against the event simulation). A saturated service (rho >= 1) gives every
 * percentile the latency cap.
 */
final class AnalyticModel {

    /** Phi^-1(0.99). */
    static final double Z_99 = 2.3263478740408408;

    private final CallGraph graph;
    private final double latencyCap;
    private final double[] callMean;
    private final double[] callVariance;
    private final double[] subtreeMean;
    private final double[] subtreeVariance;

    AnalyticModel(CallGraph graph, double latencyCap) {
        this.graph = graph;
        this.latencyCap = latencyCap;
        this.callMean = new double[graph.size()];
        this.callVariance = new double[graph.size()];
        this.subtreeMean = new double[graph.size()];
        this.subtreeVariance = new double[graph.size()];
    }

    /** Fills {@code out} for user rate {@code userRate} with {@code replicas} ready per service. */
    void evaluate(double userRate, int[] replicas, StepMeasurements out) {
        boolean saturated = !responseTimes(userRate, replicas, callMean, callVariance);
        for (int s = 0; s < graph.size(); s++) {
            double rate = userRate * graph.visits(s);
            out.callRate[s] = rate;
            out.utilization[s] = Math.min(1, rate * graph.demand(s) / replicas[s]);
            out.serviceLatency[s] = Queueing.stable(replicas[s], rate, graph.demand(s)) ? callMean[s] : latencyCap;
        }
        out.p50 = saturated ? latencyCap : endToEndQuantile(callMean, callVariance, 0);
        out.p99 = saturated ? latencyCap : endToEndQuantile(callMean, callVariance, Z_99);
    }

    /**
     * Each service's response-time mean and variance at its call rate; false (and the arrays
     * partly filled) when a service is saturated.
     */
    boolean responseTimes(double userRate, int[] replicas, double[] mean, double[] variance) {
        for (int s = 0; s < graph.size(); s++) {
            if (!setResponseTime(s, replicas[s], userRate, mean, variance)) {
                return false;
            }
        }
        return true;
    }

    /** Service s's response-time mean and variance with {@code replicas}; false when saturated. */
    boolean setResponseTime(int service, int replicas, double userRate, double[] mean, double[] variance) {
        double rate = userRate * graph.visits(service);
        double demand = graph.demand(service);
        if (!Queueing.stable(replicas, rate, demand)) {
            return false;
        }
        mean[service] = Queueing.meanResponseTime(replicas, rate, demand);
        variance[service] = Queueing.responseTimeVariance(replicas, rate, demand);
        return true;
    }

    /** The end-to-end latency quantile at normal score z, at most the latency cap. */
    double endToEndQuantile(double[] mean, double[] variance, double z) {
        for (int s = graph.size() - 1; s >= 0; s--) {
            double m = mean[s];
            double v = variance[s];
            for (int e = graph.firstEdge(s); e < graph.firstEdge(s + 1); e++) {
                int callee = graph.edgeTarget(e);
                double calls = graph.edgeCalls(e);
                double fraction = calls - Math.floor(calls);
                m += calls * subtreeMean[callee];
                v += calls * subtreeVariance[callee]
                        + fraction * (1 - fraction) * subtreeMean[callee] * subtreeMean[callee];
            }
            subtreeMean[s] = m;
            subtreeVariance[s] = v;
        }
        return Math.min(latencyCap, logNormalQuantile(subtreeMean[0], subtreeVariance[0], z));
    }

    /** The quantile at standard-normal score z of the log-normal with this mean and variance. */
    static double logNormalQuantile(double mean, double variance, double z) {
        double sigmaSquared = Math.log1p(variance / (mean * mean));
        double mu = Math.log(mean) - sigmaSquared / 2;
        return Math.exp(mu + z * Math.sqrt(sigmaSquared));
    }
}
