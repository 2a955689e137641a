package org.marlopt.bench;

import java.util.Locale;

/** One benchmark row: a path, the copies per call, and what the measurement saw. */
record BenchResult(String path, int numEnvs, int numAgents, long calls, double seconds,
        double p50Micros, double p99Micros) {

    static BenchResult of(String path, int numEnvs, int numAgents, LatencyRecorder latencies, double seconds) {
        return new BenchResult(path, numEnvs, numAgents, latencies.count(), seconds,
                latencies.percentileMicros(0.50), latencies.percentileMicros(0.99));
    }

    double callsPerSecond() {
        return calls / seconds;
    }

    double envStepsPerSecond() {
        return callsPerSecond() * numEnvs;
    }

    double agentStepsPerSecond() {
        return envStepsPerSecond() * numAgents;
    }

    static String header() {
        return "| path | num_envs | calls/s | env steps/s | agent-steps/s | p50 latency/call | p99 latency/call |\n"
                + "|---|---:|---:|---:|---:|---:|---:|";
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %,.0f | %.1f µs | %.1f µs |",
                path, numEnvs, callsPerSecond(), envStepsPerSecond(), agentStepsPerSecond(), p50Micros, p99Micros);
    }
}
