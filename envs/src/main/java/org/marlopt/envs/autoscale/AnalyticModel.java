package org.marlopt.envs.autoscale;

/**
 * The analytic fidelity: each service an M/M/c queue at its call rate lambda_i = user rate x
 * visits_i. A request's calls happen one after another, so its latency is the sum of its calls'
 * response times: mean sum_i v_i E[T_i], variance sum_i v_i Var[T_i] (treating the calls as
 * independent and their counts as fixed). Its percentiles are those of the log-normal with that
 * mean and variance: the sum of a few exponential-like terms is right-skewed, and the moment-
 * matched log-normal follows its tail better than a normal (checked against the event simulation
 * in the tests). A saturated service (rho >= 1) gives every percentile the latency cap.
 */
final class AnalyticModel {

    /** Phi^-1(0.99). */
    static final double Z_99 = 2.3263478740408408;

    private final CallGraph graph;
    private final double latencyCap;

    AnalyticModel(CallGraph graph, double latencyCap) {
        this.graph = graph;
        this.latencyCap = latencyCap;
    }

    /** Fills {@code out} for user rate {@code userRate} with {@code replicas} ready per service. */
    void evaluate(double userRate, int[] replicas, StepMeasurements out) {
        double mean = 0;
        double variance = 0;
        boolean saturated = false;
        for (int s = 0; s < graph.size(); s++) {
            double rate = userRate * graph.visits(s);
            double demand = graph.demand(s);
            out.callRate[s] = rate;
            out.utilization[s] = replicas[s] == 0 ? 1 : Math.min(1, rate * demand / replicas[s]);
            if (!Queueing.stable(replicas[s], rate, demand)) {
                saturated = true;
                out.serviceLatency[s] = latencyCap;
                continue;
            }
            out.serviceLatency[s] = Queueing.meanResponseTime(replicas[s], rate, demand);
            mean += graph.visits(s) * out.serviceLatency[s];
            variance += graph.visits(s) * Queueing.responseTimeVariance(replicas[s], rate, demand);
        }
        out.p50 = saturated ? latencyCap : Math.min(latencyCap, logNormalQuantile(mean, variance, 0));
        out.p99 = saturated ? latencyCap : Math.min(latencyCap, logNormalQuantile(mean, variance, Z_99));
    }

    /** The end-to-end p99 alone; the latency cap when a service is saturated. */
    double p99(double userRate, int[] replicas) {
        double mean = 0;
        double variance = 0;
        for (int s = 0; s < graph.size(); s++) {
            double rate = userRate * graph.visits(s);
            if (!Queueing.stable(replicas[s], rate, graph.demand(s))) {
                return latencyCap;
            }
            mean += graph.visits(s) * Queueing.meanResponseTime(replicas[s], rate, graph.demand(s));
            variance += graph.visits(s) * Queueing.responseTimeVariance(replicas[s], rate, graph.demand(s));
        }
        return Math.min(latencyCap, logNormalQuantile(mean, variance, Z_99));
    }

    /** The quantile at standard-normal score z of the log-normal with this mean and variance. */
    static double logNormalQuantile(double mean, double variance, double z) {
        double sigmaSquared = Math.log1p(variance / (mean * mean));
        double mu = Math.log(mean) - sigmaSquared / 2;
        return Math.exp(mu + z * Math.sqrt(sigmaSquared));
    }
}
