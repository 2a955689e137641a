package org.marlopt.envs.loadbalance;

import java.util.SplittableRandom;

/**
 * Park's job stream (park/envs/load_balance/job_generator.py): per job a size
 * floor(x_m U^(-1/alpha)) and then a gap floor(Exp(job_interval)), so times and sizes are whole
 * numbers. Park draws the whole stream up front with numpy; this draws the same distributions
 * lazily from the copy's random, so the numbers differ, the law does not.
 */
final class ParkJobs implements JobStream {

    private final double paretoShape;
    private final double paretoScale;
    private final double meanGap;
    private SplittableRandom random;
    private double clock;

    ParkJobs(LoadBalance.Settings settings) {
        this.paretoShape = settings.jobSizeShape();
        this.paretoScale = settings.jobSizeScale();
        this.meanGap = settings.jobInterval();
    }

    @Override
    public void restart(SplittableRandom random) {
        this.random = random;
        this.clock = 0;
    }

    @Override
    public void next(Arrival job) {
        job.size = Math.floor(PoissonParetoJobs.pareto(random, paretoShape, paretoScale));
        clock += Math.floor(PoissonParetoJobs.exponential(random, meanGap));
        job.time = clock;
        job.dispatcher = 0;
    }
}
