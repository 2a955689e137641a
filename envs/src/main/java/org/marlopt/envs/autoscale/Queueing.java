package org.marlopt.envs.autoscale;

/**
 * M/M/c formulas: Poisson arrivals at rate lambda, c servers, exponential service of mean d
 * (rate mu = 1 / d), FCFS. The offered load is a = lambda d and the utilisation rho = a / c.
 */
final class Queueing {

    private Queueing() {}

    /**
     * Erlang C: the probability that an arrival waits, for a < c (else 1). From the stable
     * Erlang B recurrence B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)), then C = c B / (c - a (1 - B)).
     */
    static double erlangC(int servers, double offeredLoad) {
        if (offeredLoad >= servers) {
            return 1;
        }
        double blocking = 1;
        for (int k = 1; k <= servers; k++) {
            blocking = offeredLoad * blocking / (k + offeredLoad * blocking);
        }
        return servers * blocking / (servers - offeredLoad * (1 - blocking));
    }

    /** Whether c servers keep up: rho < 1. */
    static boolean stable(int servers, double rate, double demand) {
        return rate * demand < servers;
    }

    /** E[T] = d + C / (c mu - lambda): mean wait plus mean service. Needs a stable queue. */
    static double meanResponseTime(int servers, double rate, double demand) {
        double waitProbability = erlangC(servers, rate * demand);
        return demand + waitProbability / (servers / demand - rate);
    }

    /**
     * Var[T] = d^2 + (2C - C^2) / (c mu - lambda)^2: the service is exponential (variance d^2),
     * the wait is 0 with probability 1 - C and else exponential of rate c mu - lambda, independent
     * of the service. Needs a stable queue.
     */
    static double responseTimeVariance(int servers, double rate, double demand) {
        double waitProbability = erlangC(servers, rate * demand);
        double drain = servers / demand - rate;
        return demand * demand + (2 * waitProbability - waitProbability * waitProbability) / (drain * drain);
    }
}
