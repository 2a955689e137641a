package org.marlopt.envs.resourceshare;

import java.util.Arrays;

/**
 * The Euclidean projection onto {c : sum_i c_i = budget, c_i >= floor_i}: c_i = max(floor_i,
 * z_i - tau) with the one tau that meets the budget. Found exactly by Michelot's active-set
 * method ("A finite algorithm for finding the projection of a point onto the canonical simplex",
 * 1986, here shifted by the floors): assume every service free, solve for tau, pin to their
 * floors the services that fall below, repeat. tau only grows, so a pinned service stays pinned
 * and at most N rounds are needed (usually one or two). Allocation-free after construction.
 */
final class CapacityProjection {

    private final boolean[] pinned;

    CapacityProjection(int size) {
        this.pinned = new boolean[size];
    }

    /** Writes the projection of {@code proposed} into {@code projected}; needs sum(floors) <= budget. */
    void project(double[] proposed, double[] floors, double budget, double[] projected) {
        Arrays.fill(pinned, false);
        double tau = shift(proposed, floors, budget);
        boolean pinnedMore = true;
        while (pinnedMore) {
            pinnedMore = false;
            for (int i = 0; i < proposed.length; i++) {
                if (!pinned[i] && proposed[i] - tau < floors[i]) {
                    pinned[i] = true;
                    pinnedMore = true;
                }
            }
            if (pinnedMore) {
                tau = shift(proposed, floors, budget);
            }
        }
        for (int i = 0; i < proposed.length; i++) {
            projected[i] = Math.max(floors[i], proposed[i] - tau);
        }
    }

    /**
     * The tau that meets the budget with the pinned services at their floors and the others at
     * z_i - tau; infinite when every service is pinned (the floors then use the whole budget).
     */
    private double shift(double[] proposed, double[] floors, double budget) {
        double freeSum = 0;
        double remaining = budget;
        int free = 0;
        for (int i = 0; i < proposed.length; i++) {
            if (pinned[i]) {
                remaining -= floors[i];
            } else {
                freeSum += proposed[i];
                free++;
            }
        }
        return free == 0 ? Double.POSITIVE_INFINITY : (freeSum - remaining) / free;
    }
}
