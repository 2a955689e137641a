package org.marlopt.envs.resourceshare;

/**
 * The capacities minimising sum_i f_i(c_i) subject to sum_i c_i = budget and
 * c_i >= lambda_i + headroom, from the KKT conditions: every service above its floor has the
 * same marginal cost, which for the {@link CostModel}s means c_i = lambda_i + s * w_i for one
 * level s. Without floors s = (budget - sum lambda) / sum w, the closed form (for M/M/1 the
 * square-root allocation c_i = lambda_i + sqrt(lambda_i) (B - sum lambda) / sum_j sqrt(lambda_j)).
 * When a floor binds, water-filling: pin the services whose share s * w_i falls below the
 * headroom, solve s again over the others, repeat. s only falls, so a pinned service stays
 * pinned, and c_i = lambda_i + max(headroom, s * w_i) is then exact for all.
 */
final class OptimalAllocation {

    private OptimalAllocation() {}

    /** Writes the optimal capacities into {@code allocation}; needs budget >= sum(rates) + N * headroom. */
    static void solve(CostModel model, double[] rates, double headroom, double budget, double[] allocation) {
        boolean[] pinned = new boolean[rates.length]; // at reset only, where allocating is fine
        double level = level(model, rates, headroom, budget, pinned);
        boolean pinnedMore = true;
        while (pinnedMore) {
            pinnedMore = false;
            for (int i = 0; i < rates.length; i++) {
                if (!pinned[i] && level * model.allocationWeight(rates[i]) < headroom) {
                    pinned[i] = true;
                    pinnedMore = true;
                }
            }
            if (pinnedMore) {
                level = level(model, rates, headroom, budget, pinned);
            }
        }
        for (int i = 0; i < rates.length; i++) {
            allocation[i] = rates[i] + Math.max(headroom, level * model.allocationWeight(rates[i]));
        }
    }

    /** The level s that spends the budget with the pinned services at their floors; 0 when all are pinned. */
    private static double level(CostModel model, double[] rates, double headroom, double budget, boolean[] pinned) {
        double spare = budget;
        double weightSum = 0;
        for (int i = 0; i < rates.length; i++) {
            spare -= rates[i];
            if (pinned[i]) {
                spare -= headroom;
            } else {
                weightSum += model.allocationWeight(rates[i]);
            }
        }
        return weightSum == 0 ? 0 : spare / weightSum;
    }
}
