package org.marlopt.envs.autoscale;

/** What one step of either fidelity measured, in reused arrays. */
final class StepMeasurements {

    /** End-to-end latency percentiles of the user requests, seconds. */
    double p50;
    double p99;
    /** Busy fraction of each service's ready replicas over the step. */
    final double[] utilization;
    /** Calls per second arriving at each service. */
    final double[] callRate;
    /** Mean time a call spends at each service (queueing plus its own work), seconds. */
    final double[] serviceLatency;

    StepMeasurements(int services) {
        this.utilization = new double[services];
        this.callRate = new double[services];
        this.serviceLatency = new double[services];
    }
}
