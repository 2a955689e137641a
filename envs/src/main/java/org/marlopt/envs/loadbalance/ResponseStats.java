package org.marlopt.envs.loadbalance;

import java.util.Arrays;
import org.HdrHistogram.DoubleHistogram;
import org.marlopt.env.vector.CopyOutput;

/**
 * Response times of the jobs completed in the current step and in the episode so far. The
 * episode's go into an HdrHistogram, which resizes itself while the range of values grows, then
 * records without allocating. A step completes about one job at the defaults, and clearing a
 * histogram every step cost more than the whole simulation (its counts span the range of values,
 * thousands of them), so a step's times are kept exactly in an array that grows only when full;
 * sorting it in place allocates nothing below 4096 values (the JDK's sort merges runs only above).
 */
final class ResponseStats {

    /** Percentiles to 1%: plenty for a p99 that varies far more from episode to episode. */
    private static final int SIGNIFICANT_DIGITS = 2;

    private final DoubleHistogram episodeTimes = new DoubleHistogram(SIGNIFICANT_DIGITS);
    private double[] stepTimes = new double[16];
    private int stepCount;
    private double stepSum;
    private double episodeSum;
    private double episodeTimeInSystem;
    /** The episode's p99 and the count it was read at: reading walks the histogram, so only after completions. */
    private double episodeP99;
    private long episodeP99Count;

    void startEpisode() {
        episodeTimes.reset();
        episodeSum = 0;
        episodeTimeInSystem = 0;
        episodeP99 = 0;
        episodeP99Count = 0;
        startStep();
    }

    void startStep() {
        stepCount = 0;
        stepSum = 0;
    }

    void recordCompletion(double responseTime) {
        if (stepCount == stepTimes.length) {
            stepTimes = Arrays.copyOf(stepTimes, 2 * stepCount);
        }
        stepTimes[stepCount++] = responseTime;
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
        long episodeCount = episodeTimes.getTotalCount();
        out.info(LoadBalance.MEAN_RESPONSE_TIME, stepCount == 0 ? 0 : stepSum / stepCount);
        out.info(LoadBalance.P99_RESPONSE_TIME, stepP99());
        out.info(LoadBalance.JOBS_COMPLETED, stepCount);
        out.info(LoadBalance.JOBS_IN_SYSTEM, jobsInSystem);
        out.info(LoadBalance.EPISODE_MEAN_RESPONSE_TIME, episodeCount == 0 ? 0 : episodeSum / episodeCount);
        out.info(LoadBalance.EPISODE_P99_RESPONSE_TIME, episodeP99());
        out.info(LoadBalance.EPISODE_JOBS_COMPLETED, episodeCount);
        out.info(LoadBalance.EPISODE_TIME_IN_SYSTEM, episodeTimeInSystem);
    }

    private double episodeP99() {
        long count = episodeTimes.getTotalCount();
        if (count != episodeP99Count) {
            episodeP99 = episodeTimes.getValueAtPercentile(99);
            episodeP99Count = count;
        }
        return episodeP99;
    }

    /** The nearest-rank 99th percentile of the step's times: the ceil(0.99 n)-th smallest. */
    private double stepP99() {
        if (stepCount == 0) {
            return 0;
        }
        Arrays.sort(stepTimes, 0, stepCount);
        return stepTimes[(int) Math.ceil(0.99 * stepCount) - 1];
    }
}
