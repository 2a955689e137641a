package org.marlopt.envs.loadbalance;

import java.util.SplittableRandom;

/**
 * Where an episode's jobs come from: arrival times, sizes and the dispatcher each one reaches.
 * The environment draws them from its own random stream; tests script them.
 */
interface JobStream {

    /** Starts a new episode's stream; {@code random} is the copy's arrival stream for this episode. */
    void restart(SplittableRandom random);

    /**
     * Overwrites {@code job} with the next arrival, whose time is at least the previous one's, or
     * gives it time +infinity when the stream has ended.
     */
    void next(Arrival job);

    /** One arriving job, reused for every arrival. */
    final class Arrival {
        double time;
        /** Work, in service units: a job of size s takes s / mu_j on server j. */
        double size;
        int dispatcher;
    }
}
