package org.marlopt.envs.loadbalance;

/**
 * A FIFO single server of rate mu, held as the arrival and departure times of its jobs in a ring
 * buffer that grows only when full. A FIFO job's departure is fixed when it arrives:
 * max(arrival, previous departure) + size / mu, so no event queue is needed.
 */
final class FifoServer {

    private static final int INITIAL_CAPACITY = 16;

    private final double rate;
    private double[] arrivals = new double[INITIAL_CAPACITY];
    private double[] departures = new double[INITIAL_CAPACITY];
    private int oldest;
    private int jobs;
    /** Departure time of the last admitted job: the server is busy until then. */
    private double busyUntil;

    FifoServer(double rate) {
        this.rate = rate;
    }

    void clear() {
        oldest = 0;
        jobs = 0;
        busyUntil = 0;
    }

    /** Admits a job of {@code size} arriving at {@code time} (no earlier than the previous arrival). */
    void admit(double time, double size) {
        if (jobs == arrivals.length) {
            grow();
        }
        busyUntil = Math.max(time, busyUntil) + size / rate;
        int slot = (oldest + jobs) % arrivals.length;
        arrivals[slot] = time;
        departures[slot] = busyUntil;
        jobs++;
    }

    /**
     * Removes the jobs that have departed by {@code time}, recording their response times.
     *
     * @return the sum over them of {@code time - departure}: how much of the time up to
     *     {@code time} they were no longer in the system
     */
    double departBy(double time, ResponseStats stats) {
        double timeGone = 0;
        while (jobs > 0 && departures[oldest] <= time) {
            stats.recordCompletion(departures[oldest] - arrivals[oldest]);
            timeGone += time - departures[oldest];
            oldest = (oldest + 1) % arrivals.length;
            jobs--;
        }
        return timeGone;
    }

    /** Jobs queued or in service. */
    int jobs() {
        return jobs;
    }

    /** The time the server needs to finish its admitted work, from {@code time}. */
    double unfinishedWork(double time) {
        return Math.max(0, busyUntil - time);
    }

    double rate() {
        return rate;
    }

    private void grow() {
        double[] largerArrivals = new double[2 * arrivals.length];
        double[] largerDepartures = new double[2 * arrivals.length];
        for (int i = 0; i < jobs; i++) {
            largerArrivals[i] = arrivals[(oldest + i) % arrivals.length];
            largerDepartures[i] = departures[(oldest + i) % arrivals.length];
        }
        arrivals = largerArrivals;
        departures = largerDepartures;
        oldest = 0;
    }
}
