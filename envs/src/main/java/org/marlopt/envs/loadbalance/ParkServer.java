package org.marlopt.envs.loadbalance;

/**
 * A server as Park's (park/envs/load_balance/server.py) behaves inside Park's event loop: a job
 * runs for floor(size / mu) whole time units; a job finishing at the time of an arrival is
 * completed after that arrival's decision (Park's timeline pops the earlier-pushed arrival
 * first), so the decision sees it running with no work left. It also keeps its own integral of
 * jobs in the system over time.
 */
final class ParkServer {

    private static final int INITIAL_CAPACITY = 16;

    private final double rate;
    private double[] waitingSizes = new double[INITIAL_CAPACITY];
    private double[] waitingArrivals = new double[INITIAL_CAPACITY];
    private int oldestWaiting;
    private int waiting;
    private double waitingWork;
    private boolean running;
    private double runningArrival;
    private double runningFinish;
    /** The time up to which {@link #jobsTimesTime} is accounted. */
    private double clock;
    private double jobsTimesTime;

    ParkServer(double rate) {
        this.rate = rate;
    }

    void clear(double time) {
        oldestWaiting = 0;
        waiting = 0;
        waitingWork = 0;
        running = false;
        clock = time;
        jobsTimesTime = 0;
    }

    /**
     * Completes, in order, the jobs finishing strictly before {@code time}, each starting the next in
     * line. With time +infinity (the final drain) the last completion closes the account.
     */
    void completeBefore(double time, ResponseStats stats) {
        while (running && runningFinish < time) {
            completeRunning(stats);
            if (waiting > 0) {
                startNext(clock);
            }
        }
        if (time != Double.POSITIVE_INFINITY) {
            accountUntil(time);
        }
    }

    /** Park's schedule then process: queue the job; start the next one now if the server is idle or just done. */
    void admit(double time, double size, ResponseStats stats) {
        accountUntil(time);
        if (waiting == waitingSizes.length) {
            grow();
        }
        int slot = (oldestWaiting + waiting) % waitingSizes.length;
        waitingSizes[slot] = size;
        waitingArrivals[slot] = time;
        waiting++;
        waitingWork += size;
        if (running && runningFinish <= time) {
            completeRunning(stats);
        }
        if (!running) {
            startNext(time);
        }
    }

    /** Park's observed load: the queued sizes plus (finish - now) * mu of the running job. */
    double work(double time) {
        return waitingWork + (running ? (runningFinish - time) * rate : 0);
    }

    int jobs() {
        return waiting + (running ? 1 : 0);
    }

    /** The jobs x time integral since the last call. */
    double takeJobsTimesTime() {
        double taken = jobsTimesTime;
        jobsTimesTime = 0;
        return taken;
    }

    private void completeRunning(ResponseStats stats) {
        accountUntil(runningFinish);
        stats.recordCompletion(runningFinish - runningArrival);
        running = false;
    }

    private void startNext(double time) {
        double size = waitingSizes[oldestWaiting];
        runningArrival = waitingArrivals[oldestWaiting];
        runningFinish = time + Math.floor(size / rate);
        running = true;
        waitingWork -= size;
        oldestWaiting = (oldestWaiting + 1) % waitingSizes.length;
        waiting--;
    }

    private void accountUntil(double time) {
        if (time > clock) {
            jobsTimesTime += jobs() * (time - clock);
            clock = time;
        }
    }

    private void grow() {
        double[] largerSizes = new double[2 * waitingSizes.length];
        double[] largerArrivals = new double[2 * waitingSizes.length];
        for (int i = 0; i < waiting; i++) {
            largerSizes[i] = waitingSizes[(oldestWaiting + i) % waitingSizes.length];
            largerArrivals[i] = waitingArrivals[(oldestWaiting + i) % waitingSizes.length];
        }
        waitingSizes = largerSizes;
        waitingArrivals = largerArrivals;
        oldestWaiting = 0;
    }
}
