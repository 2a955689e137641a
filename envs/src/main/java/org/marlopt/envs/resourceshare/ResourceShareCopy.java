package org.marlopt.envs.resourceshare;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/** One copy of {@value ResourceShare#ID}: the services' loads and capacities. */
final class ResourceShareCopy implements EnvCopy {

    private final ResourceShare.Settings settings;
    private final CostModel model;
    private final int numAgents;
    private final double[] rates;
    /** lambda_i + h b: the least capacity service i may hold. */
    private final double[] floors;
    private final double[] capacities;
    /** c + step_size * b * a, before the projection. */
    private final double[] proposed;
    private final double[] optimalCapacities;
    private final double[] costs;
    private final double[] marginalCosts;
    private final CapacityProjection projection;
    private double totalRate;
    private double optimalCost;
    /** D = F(equal split) - F*, floored away from 0: the unit of the gap. */
    private double gapScale;

    ResourceShareCopy(ResourceShare.Settings settings) {
        this.settings = settings;
        this.model = settings.cost();
        this.numAgents = settings.numAgents();
        this.rates = new double[numAgents];
        this.floors = new double[numAgents];
        this.capacities = new double[numAgents];
        this.proposed = new double[numAgents];
        this.optimalCapacities = new double[numAgents];
        this.costs = new double[numAgents];
        this.marginalCosts = new double[numAgents];
        this.projection = new CapacityProjection(numAgents);
    }

    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        chooseRates(random);
        totalRate = 0;
        for (int i = 0; i < numAgents; i++) {
            floors[i] = rates[i] + settings.headroom();
            totalRate += rates[i];
        }
        optimalCost = solveOptimum();
        Arrays.fill(capacities, settings.budgetPerService());
        double equalSplitCost = evaluate();
        gapScale = Math.max(equalSplitCost - optimalCost, 1e-12 * Math.max(1, optimalCost));
        score(equalSplitCost, out);
    }

    /** F*: the total cost of the optimal allocation of the current rates. */
    private double solveOptimum() {
        OptimalAllocation.solve(model, rates, settings.headroom(), settings.budget(), optimalCapacities);
        double total = 0;
        for (int i = 0; i < numAgents; i++) {
            total += model.cost(optimalCapacities[i], rates[i]);
        }
        return total;
    }

    /** The fixed arrival_rates, or one draw u_i ~ U[load_min, load_max] per service, in order. */
    private void chooseRates(SplittableRandom random) {
        if (settings.arrivalRates().length > 0) {
            System.arraycopy(settings.arrivalRates(), 0, rates, 0, numAgents);
            return;
        }
        double width = settings.loadMax() - settings.loadMin();
        for (int i = 0; i < numAgents; i++) {
            rates[i] = (settings.loadMin() + width * random.nextDouble()) * settings.budgetPerService();
        }
    }

    /** Moves every capacity by its action, projects back onto the budget and floors, scores. */
    @Override
    public void step(float[][] actions, CopyOutput out) {
        for (int i = 0; i < numAgents; i++) {
            proposed[i] = capacities[i] + settings.stepLength() * actions[i][0];
        }
        projection.project(proposed, floors, settings.budget(), capacities);
        double gap = score(evaluate(), out);
        out.sharedReward((float) -gap);
        if (out.wantsRewardGradient()) {
            writeRewardGradient(out);
        }
    }

    /**
     * Above its floor, service i's capacity moves with its action, less the mean move of the free
     * services (the projection's shift tau); on its floor it does not move. Hence, with S the free
     * set, d r / d a_i = -(step_size b / D) (f_i'(c_i) - mean over S of f_j'(c_j)) for i in S, else 0.
     */
    private void writeRewardGradient(CopyOutput out) {
        double marginalSum = 0;
        int free = 0;
        for (int j = 0; j < numAgents; j++) {
            if (capacities[j] > floors[j]) {
                marginalSum += marginalCosts[j];
                free++;
            }
        }
        double meanMarginal = free == 0 ? 0 : marginalSum / free;
        double scale = -settings.stepLength() / gapScale;
        for (int i = 0; i < numAgents; i++) {
            out.rewardGradient(i, 0, capacities[i] > floors[i] ? (float) (scale * (marginalCosts[i] - meanMarginal))
                    : 0f);
        }
    }

    @Override
    public void observe(CopyOutput out) {
        for (int i = 0; i < numAgents; i++) {
            out.observation(i, 0, (float) capacities[i]);
            out.observation(i, 1, (float) rates[i]);
            out.observation(i, 2, (float) costs[i]);
            out.observation(i, 3, (float) marginalCosts[i]);
            out.state(i, (float) capacities[i]);
            out.state(numAgents + i, (float) rates[i]);
        }
    }

    /** Each service's cost and marginal cost at its capacity; returns the total cost F. */
    private double evaluate() {
        double total = 0;
        for (int i = 0; i < numAgents; i++) {
            costs[i] = model.cost(capacities[i], rates[i]);
            marginalCosts[i] = model.marginalCost(capacities[i], rates[i]);
            total += costs[i];
        }
        return total;
    }

    /** Writes every info value for total cost {@code cost}; returns the gap. */
    private double score(double cost, CopyOutput out) {
        double gap = (cost - optimalCost) / gapScale;
        out.info(ResourceShare.SCORE, 1 - gap);
        out.info(ResourceShare.GAP, gap);
        out.info(ResourceShare.COST, cost);
        out.info(ResourceShare.OPTIMAL_COST, optimalCost);
        out.info(ResourceShare.SOLVED, gap < settings.successGap() ? 1 : 0);
        if (model == CostModel.MM1) {
            out.info(ResourceShare.MEAN_RESPONSE_TIME, cost / totalRate);
        }
        return gap;
    }
}
