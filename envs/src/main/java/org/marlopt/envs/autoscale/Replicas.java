package org.marlopt.envs.autoscale;

import java.util.Arrays;

/**
 * Each service's replicas: ready ones serve, starting ones become ready after the start-up delay
 * (rounded up to whole steps). A scale-down removes starting replicas first (the newest), then
 * ready ones, at once.
 */
final class Replicas {

    private final int startupSteps;
    private final int[] ready;
    /** startingByStepsLeft[s][k]: replicas of service s that become ready after k + 1 more steps. */
    private final int[][] startingByStepsLeft;

    Replicas(int services, int startupSteps) {
        this.startupSteps = startupSteps;
        this.ready = new int[services];
        this.startingByStepsLeft = new int[services][Math.max(1, startupSteps)];
    }

    /** Every service at {@code initial} ready replicas, none starting. */
    void reset(int[] initial) {
        System.arraycopy(initial, 0, ready, 0, ready.length);
        for (int[] starting : startingByStepsLeft) {
            Arrays.fill(starting, 0);
        }
    }

    /** Sets service s's desired count: starts the missing replicas or stops the surplus. */
    void scaleTo(int service, int desired) {
        int change = desired - total(service);
        if (change > 0) {
            start(service, change);
        } else {
            stop(service, -change);
        }
    }

    private void start(int service, int count) {
        if (startupSteps == 0) {
            ready[service] += count;
        } else {
            startingByStepsLeft[service][startupSteps - 1] += count;
        }
    }

    /** Stops the newest starting replicas first, then ready ones. */
    private void stop(int service, int count) {
        int[] starting = startingByStepsLeft[service];
        int left = count;
        for (int k = starting.length - 1; k >= 0 && left > 0; k--) {
            int stopped = Math.min(left, starting[k]);
            starting[k] -= stopped;
            left -= stopped;
        }
        ready[service] -= left;
    }

    /** One step has passed: the replicas one step from ready are ready. */
    void advance() {
        for (int s = 0; s < ready.length; s++) {
            int[] starting = startingByStepsLeft[s];
            ready[s] += starting[0];
            System.arraycopy(starting, 1, starting, 0, starting.length - 1);
            starting[starting.length - 1] = 0;
        }
    }

    int ready(int service) {
        return ready[service];
    }

    int starting(int service) {
        int sum = 0;
        for (int count : startingByStepsLeft[service]) {
            sum += count;
        }
        return sum;
    }

    int total(int service) {
        return ready[service] + starting(service);
    }

    /** The ready counts, read-only by convention. */
    int[] readyCounts() {
        return ready;
    }
}
