package org.marlopt.envs.loadbalance;

import org.HdrHistogram.DoubleHistogram;
import org.marlopt.env.vector.CopyOutput;

/**
 * Response times of the jobs completed in the current step and in the episode so far. The
 * histograms resize themselves while the range of values grows, then record without allocating.
 */
final class ResponseStats {

    /** Percentiles to 1%: plenty for a p99 that varies far more from episode to episode. */
    private static final int SIGNIFICANT_DIGITS = 2;

    private final DoubleHistogram stepTimes = new DoubleHistogram(SIGNIFICANT_DIGITS);
    private final DoubleHistogram episodeTimes = new DoubleHistogram(SIGNIFICANT_DIGITS);
    private double stepSum;
    private double episodeSum;
    private double episodeTimeInSystem;

    void startEpisode() {
        episodeTimes.reset();
        episodeSum = 0;
        episodeTimeInSystem = 0;
        startStep();
    }

    void startStep() {
        stepTimes.reset();
        stepSum = 0;
    }

    void recordCompletion(double responseTime) {
        stepTimes.recordValue(responseTime);
        episodeTimes.recordValue(responseTime);
        stepSum += responseTime;
        episodeSum += responseTime;
    }

    /** Adds a step's integral of the number of jobs in the system over time. */
    void addTimeInSystem(double jobsTimesTime) {
        episodeTimeInSystem += jobsTimesTime;
    }

    /** Writes every info value both modes share. */
    void write(CopyOutput out, int jobsInSystem) {
        long stepCount = stepTimes.getTotalCount();
        long episodeCount = episodeTimes.getTotalCount();
        out.info(LoadBalance.MEAN_RESPONSE_TIME, stepCount == 0 ? 0 : stepSum / stepCount);
        out.info(LoadBalance.P99_RESPONSE_TIME, p99(stepTimes));
        out.info(LoadBalance.JOBS_COMPLETED, stepCount);
        out.info(LoadBalance.JOBS_IN_SYSTEM, jobsInSystem);
        out.info(LoadBalance.EPISODE_MEAN_RESPONSE_TIME, episodeCount == 0 ? 0 : episodeSum / episodeCount);
        out.info(LoadBalance.EPISODE_P99_RESPONSE_TIME, p99(episodeTimes));
        out.info(LoadBalance.EPISODE_JOBS_COMPLETED, episodeCount);
        out.info(LoadBalance.EPISODE_TIME_IN_SYSTEM, episodeTimeInSystem);
    }

    private static double p99(DoubleHistogram times) {
        return times.getTotalCount() == 0 ? 0 : times.getValueAtPercentile(99);
    }
}
