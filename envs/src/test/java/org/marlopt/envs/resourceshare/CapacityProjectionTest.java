package org.marlopt.envs.resourceshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CapacityProjectionTest {

    private static double[] project(double[] proposed, double[] floors, double budget) {
        double[] projected = new double[proposed.length];
        new CapacityProjection(proposed.length).project(proposed, floors, budget, projected);
        return projected;
    }

    @Test
    void handCaseShiftsTheFreeServicesAndPinsTheOneBelowItsFloor() {
        // tau = 0 would leave service 1 at 0.5 < 0.6; pinned, tau = (1.5 + 1.0 - (3 - 0.6)) / 2 = 0.05
        double[] projected = project(new double[] {1.5, 0.5, 1.0}, new double[] {0.6, 0.6, 0.6}, 3);
        assertArrayEquals(new double[] {1.45, 0.6, 0.95}, projected, 1e-15);
    }

    @Test
    void keepsAFeasiblePointAndShiftsEquallyWhenNoFloorBinds() {
        double[] floors = {0.1, 0.1, 0.1};
        assertArrayEquals(new double[] {0.5, 1.0, 1.5}, project(new double[] {0.5, 1.0, 1.5}, floors, 3), 1e-15);
        assertArrayEquals(new double[] {0.4, 0.9, 1.7}, project(new double[] {0.5, 1.0, 1.8}, floors, 3), 1e-15);
    }

    @Test
    void everyServiceOnItsFloorWhenTheFloorsUseTheWholeBudget() {
        double[] floors = {0.2, 0.5, 0.3};
        assertArrayEquals(floors, project(new double[] {3, -1, 0.7}, floors, 1.0), 1e-15);
    }

    @Test
    void keepsTheBudgetAndTheFloors() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int services = 2 + random.nextInt(200);
            double[] floors = new double[services];
            double[] proposed = new double[services];
            for (int i = 0; i < services; i++) {
                floors[i] = random.nextDouble();
                proposed[i] = 1 + 2 * (random.nextDouble() - 0.5);
            }
            double[] projected = project(proposed, floors, services);
            double sum = 0;
            for (int i = 0; i < services; i++) {
                assertTrue(projected[i] >= floors[i], "floor of service " + i);
                sum += projected[i];
            }
            assertEquals(services, sum, 1e-12 * services, "trial " + trial);
        }
    }

    @Test
    void equalsTheEuclideanProjectionFoundByTryingEveryPinnedSet() {
        SplittableRandom random = new SplittableRandom(4);
        for (int trial = 0; trial < 300; trial++) {
            int services = 2 + random.nextInt(5);
            double[] floors = new double[services];
            double[] proposed = new double[services];
            double floorSum = 0;
            for (int i = 0; i < services; i++) {
                floors[i] = random.nextDouble();
                floorSum += floors[i];
                proposed[i] = 3 * (random.nextDouble() - 0.3);
            }
            double budget = floorSum + 2 * random.nextDouble();
            assertArrayEquals(bruteForceProjection(proposed, floors, budget), project(proposed, floors, budget), 1e-12,
                    "trial " + trial);
        }
    }

    /**
     * The projection is c_i = floor_i on some pinned set P and z_i - tau elsewhere, tau meeting the
     * budget: of the feasible candidates over every P, the nearest to z is the projection.
     */
    private static double[] bruteForceProjection(double[] proposed, double[] floors, double budget) {
        int services = proposed.length;
        double[] best = null;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int pinnedSet = 0; pinnedSet < (1 << services) - 1; pinnedSet++) {
            double remaining = budget;
            double freeSum = 0;
            int free = 0;
            for (int i = 0; i < services; i++) {
                if ((pinnedSet >> i & 1) == 1) {
                    remaining -= floors[i];
                } else {
                    freeSum += proposed[i];
                    free++;
                }
            }
            double tau = (freeSum - remaining) / free;
            double[] candidate = new double[services];
            double distance = 0;
            boolean feasible = true;
            for (int i = 0; i < services; i++) {
                candidate[i] = (pinnedSet >> i & 1) == 1 ? floors[i] : proposed[i] - tau;
                feasible &= candidate[i] >= floors[i];
                distance += (candidate[i] - proposed[i]) * (candidate[i] - proposed[i]);
            }
            if (feasible && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }
}
