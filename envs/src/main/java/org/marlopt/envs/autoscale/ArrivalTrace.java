package org.marlopt.envs.autoscale;

import java.util.SplittableRandom;

/**
 * The user request rate over an episode: a diurnal sinusoid from trough_fraction x peak_rate at
 * t = 0 up to peak_rate at half a period, times 1 + the decaying excess of random bursts. Burst
 * onsets are a Poisson process (burst_rate per hour); each adds an excess m ~ Exponential(mean
 * burst_size) that decays as exp(-age / burst_decay). The rate of a step is the rate at its start.
 */
final class ArrivalTrace {

    private final double peakRate;
    private final double troughFraction;
    private final double period;
    private final double burstsPerSecond;
    private final double burstSize;
    private final double burstDecay;
    private SplittableRandom random;
    private double time;
    private double burstExcess;
    private double nextBurst;

    ArrivalTrace(double peakRate, double troughFraction, double period, double burstsPerHour, double burstSize,
                 double burstDecay) {
        this.peakRate = peakRate;
        this.troughFraction = troughFraction;
        this.period = period;
        this.burstsPerSecond = burstsPerHour / 3600;
        this.burstSize = burstSize;
        this.burstDecay = burstDecay;
    }

    /** Starts at t = 0, the trough, with no burst under way. */
    void reset(SplittableRandom random) {
        this.random = random;
        this.time = 0;
        this.burstExcess = 0;
        this.nextBurst = nextGap();
    }

    /** The rate at the current time. */
    double rate() {
        double phase = 2 * Math.PI * time / period;
        double diurnal = troughFraction + (1 - troughFraction) * (1 - Math.cos(phase)) / 2;
        return peakRate * diurnal * (1 + burstExcess);
    }

    /** Moves the clock on by {@code seconds}, adding the bursts that start on the way. */
    void advance(double seconds) {
        time += seconds;
        burstExcess *= Math.exp(-seconds / burstDecay);
        while (nextBurst <= time) {
            double size = -burstSize * Math.log(1 - random.nextDouble());
            burstExcess += size * Math.exp(-(time - nextBurst) / burstDecay);
            nextBurst += nextGap();
        }
    }

    private double nextGap() {
        return burstsPerSecond == 0 ? Double.POSITIVE_INFINITY : -Math.log(1 - random.nextDouble()) / burstsPerSecond;
    }
}
