package org.marlopt.envs.loadbalance;

import java.util.SplittableRandom;

/**
 * The multi-dispatcher mode's jobs: Poisson arrivals of total rate lambda, Pareto sizes
 * (shape alpha, scale x_m: s = x_m U^(-1/alpha), mean alpha x_m / (alpha - 1)), each job reaching a
 * dispatcher uniformly at random. Per job, in order: one gap, one size, one dispatcher draw.
 */
final class PoissonParetoJobs implements JobStream {

    private final double arrivalRate;
    private final double paretoShape;
    private final double paretoScale;
    private final int numDispatchers;
    private SplittableRandom random;
    private double clock;

    PoissonParetoJobs(double arrivalRate, double paretoShape, double paretoScale, int numDispatchers) {
        this.arrivalRate = arrivalRate;
        this.paretoShape = paretoShape;
        this.paretoScale = paretoScale;
        this.numDispatchers = numDispatchers;
    }

    @Override
    public void restart(SplittableRandom random) {
        this.random = random;
        this.clock = 0;
    }

    @Override
    public void next(Arrival job) {
        clock += exponential(random, 1 / arrivalRate);
        job.time = clock;
        job.size = pareto(random, paretoShape, paretoScale);
        job.dispatcher = random.nextInt(numDispatchers);
    }

    /** An exponential draw of the given mean; 1 - U lies in (0, 1], so the log is finite. */
    static double exponential(SplittableRandom random, double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    /** A Pareto draw x_m U^(-1/alpha), at least x_m: numpy's (pareto(alpha) + 1) * x_m, as Park draws it. */
    static double pareto(SplittableRandom random, double shape, double scale) {
        return scale * Math.pow(1 - random.nextDouble(), -1 / shape);
    }
}
