package org.marlopt.envs.resourceshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimalAllocationTest {

    private static double[] allocate(CostModel model, double[] rates, double headroom, double budget) {
        double[] allocation = new double[rates.length];
        OptimalAllocation.solve(model, rates, headroom, budget, allocation);
        return allocation;
    }

    private static double totalCost(CostModel model, double[] rates, double[] capacities) {
        double total = 0;
        for (int i = 0; i < rates.length; i++) {
            total += model.cost(capacities[i], rates[i]);
        }
        return total;
    }

    @Test
    void mm1TwoServiceHandCase() {
        double[] rates = {0.25, 0.49};
        double[] allocation = allocate(CostModel.MM1, rates, 0.001, 2);
        // spare 2 - 0.74 = 1.26 split in the ratio sqrt(0.25) : sqrt(0.49) = 0.5 : 0.7
        assertArrayEquals(new double[] {0.25 + 0.525, 0.49 + 0.735}, allocation, 1e-15);
        // F* = (sum sqrt lambda)^2 / (B - sum lambda) = 1.44 / 1.26
        assertEquals(8.0 / 7, totalCost(CostModel.MM1, rates, allocation), 1e-14);
    }

    @Test
    void quadraticTwoServiceHandCase() {
        double[] rates = {0.25, 0.5};
        double[] allocation = allocate(CostModel.QUADRATIC, rates, 0.001, 2);
        assertArrayEquals(new double[] {2.0 / 3, 4.0 / 3}, allocation, 1e-15, "lambda_i B / sum lambda");
        // (2/3 - 1/2)^2 / (1/2) + (4/3 - 1)^2 / 1 = 1/18 + 1/9
        assertEquals(1.0 / 6, totalCost(CostModel.QUADRATIC, rates, allocation), 1e-15);
    }

    @Test
    void isTheSquareRootAllocationWhenNoFloorBinds() {
        SplittableRandom random = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            int services = 2 + random.nextInt(40);
            double[] rates = new double[services];
            double rateSum = 0;
            double rootSum = 0;
            for (int i = 0; i < services; i++) {
                rates[i] = 0.1 + 0.8 * random.nextDouble();
                rateSum += rates[i];
                rootSum += Math.sqrt(rates[i]);
            }
            double[] allocation = allocate(CostModel.MM1, rates, 0.001, services);
            for (int i = 0; i < services; i++) {
                double squareRoot = rates[i] + Math.sqrt(rates[i]) * (services - rateSum) / rootSum;
                assertEquals(squareRoot, allocation[i], 1e-12, "trial " + trial + " service " + i);
            }
        }
    }

    /** KKT: budget spent, floors kept, one marginal cost mu for the free services, at least mu at a floor. */
    @Test
    void satisfiesTheKktConditionsWhenFloorsBind() {
        SplittableRandom random = new SplittableRandom(2);
        double headroom = 0.01;
        for (CostModel model : CostModel.values()) {
            int floorsBound = 0;
            for (int trial = 0; trial < 50; trial++) {
                int services = 2 + random.nextInt(30);
                double[] rates = new double[services];
                double budget = services * headroom + 0.1 * random.nextDouble(); // little spare: floors bind
                for (int i = 0; i < services; i++) {
                    rates[i] = 0.01 + 0.98 * random.nextDouble();
                    budget += rates[i];
                }
                double[] allocation = allocate(model, rates, headroom, budget);
                double sum = 0;
                double mu = Double.NaN;
                for (int i = 0; i < services; i++) {
                    sum += allocation[i];
                    double floor = rates[i] + headroom;
                    assertTrue(allocation[i] >= floor - 1e-15, "floor of service " + i);
                    if (allocation[i] > floor + 1e-12) {
                        double marginal = model.marginalCost(allocation[i], rates[i]);
                        mu = Double.isNaN(mu) ? marginal : mu;
                        assertEquals(mu, marginal, 1e-9 * Math.abs(mu), model + " trial " + trial + " service " + i);
                    }
                }
                assertEquals(budget, sum, 1e-12 * budget, "budget");
                for (int i = 0; i < services; i++) {
                    double floor = rates[i] + headroom;
                    if (allocation[i] <= floor + 1e-12) {
                        floorsBound++;
                        assertTrue(model.marginalCost(floor, rates[i]) >= mu - 1e-9 * Math.abs(mu),
                                "a floored service would gain from more capacity");
                    }
                }
            }
            assertTrue(floorsBound > 50, model + ": the cases must exercise binding floors, " + floorsBound);
        }
    }

    /** For two services the optimum is a one-dimensional convex search over c_1. */
    @Test
    void matchesABruteForceSearchForTwoServices() {
        double[][] cases = {{0.25, 0.49, 0.001, 2}, {0.1, 0.9, 0.001, 2}, {0.01, 0.99, 0.02, 1.2}};
        for (CostModel model : CostModel.values()) {
            for (double[] setting : cases) {
                double[] rates = {setting[0], setting[1]};
                double headroom = setting[2];
                double budget = setting[3];
                double low = rates[0] + headroom;
                double high = budget - rates[1] - headroom;
                for (int iteration = 0; iteration < 300; iteration++) { // ternary search on a convex function
                    double left = low + (high - low) / 3;
                    double right = high - (high - low) / 3;
                    if (twoServiceCost(model, rates, left, budget) <= twoServiceCost(model, rates, right, budget)) {
                        high = right;
                    } else {
                        low = left;
                    }
                }
                double[] allocation = allocate(model, rates, headroom, budget);
                assertEquals((low + high) / 2, allocation[0], 1e-7, model + " " + java.util.Arrays.toString(setting));
                assertEquals(budget, allocation[0] + allocation[1], 1e-15);
            }
        }
        assertArrayEquals(new double[] {0.03, 1.17}, allocate(CostModel.MM1, new double[] {0.01, 0.99}, 0.02, 1.2),
                1e-15, "the third case ends on service 0's floor");
    }

    private static double twoServiceCost(CostModel model, double[] rates, double first, double budget) {
        return model.cost(first, rates[0]) + model.cost(budget - first, rates[1]);
    }

    @Test
    void everyServiceOnItsFloorWhenTheFloorsUseTheWholeBudget() {
        double[] rates = {0.3, 0.6};
        assertArrayEquals(new double[] {0.4, 0.7}, allocate(CostModel.MM1, rates, 0.1, 1.1), 1e-15);
    }
}
