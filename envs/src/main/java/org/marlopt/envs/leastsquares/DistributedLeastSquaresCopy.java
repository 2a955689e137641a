package org.marlopt.envs.leastsquares;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/** One copy of {@value DistributedLeastSquares#ID}: the problem and every agent's estimate. */
final class DistributedLeastSquaresCopy implements EnvCopy {

    private final DistributedLeastSquares.Settings settings;
    private final int numAgents;
    private final int dim;
    private final LeastSquaresProblem problem;
    /** x_1..x_N, agent-major. */
    private final double[] estimates;
    private final double[] meanEstimate;
    private final double[] gradient;

    /**
     * An upper estimate of one copy's heap: the problem's A and b (num_agents x rows x dim
     * doubles, the bulk at large sizes), the normal matrix and its Cholesky factor, the vectors
     * and the estimates, plus 1 KiB of object headers and fields. A is counted twice: a large A
     * is a humongous object to G1, which gives it whole regions, wasting up to its own size
     * (measured: 64 agents x 256 rows x dim 16 retain 2.0x A).
     */
    static long footprintBytes(DistributedLeastSquares.Settings settings) {
        long agents = settings.numAgents();
        long rows = settings.rows();
        long dim = settings.dim();
        long doubles = 2 * agents * rows * dim + agents * rows + 2 * dim * dim + 6 * dim + rows + agents * dim;
        return 1024 + Double.BYTES * doubles;
    }

    DistributedLeastSquaresCopy(DistributedLeastSquares.Settings settings) {
        this.settings = settings;
        this.numAgents = settings.numAgents();
        this.dim = settings.dim();
        this.problem = new LeastSquaresProblem(numAgents, settings.rows(), dim);
        this.estimates = new double[numAgents * dim];
        this.meanEstimate = new double[dim];
        this.gradient = new double[dim];
    }

    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        List<?> matrices = ResetOptions.get(options, ResetOptions.MATRICES);
        if (matrices != null) {
            problem.load(matrices, ResetOptions.get(options, ResetOptions.TARGETS));
        } else {
            problem.draw(random, settings.noise());
        }
        // options were checked already; a draw with num_agents * rows >= dim is singular with probability 0
        if (!problem.solve()) {
            throw new IllegalStateException("the drawn normal matrix sum_i A_i^T A_i is singular to working "
                    + "precision; reset again (another draw) or raise rows");
        }
        List<?> start = ResetOptions.get(options, ResetOptions.START);
        for (int i = 0; i < estimates.length; i++) {
            estimates[i] = start == null ? 0 : ((Number) start.get(i)).doubleValue();
        }
        score(out);
    }

    /** x_i += delta_i; the shared reward is minus the mean normalised gap of the new estimates. */
    @Override
    public void step(float[][] actions, CopyOutput out) {
        for (int agent = 0; agent < numAgents; agent++) {
            for (int k = 0; k < dim; k++) {
                estimates[agent * dim + k] += actions[agent][k];
            }
        }
        double meanGap = score(out);
        out.sharedReward((float) -meanGap);
        if (out.wantsRewardGradient()) {
            // r = -(1/(N D)) sum_i (F(x_i) - F*), and x_i moves one for one with delta_i
            double scale = -1.0 / (numAgents * problem.gapScale());
            for (int agent = 0; agent < numAgents; agent++) {
                problem.costGradient(estimates, agent * dim, gradient);
                for (int k = 0; k < dim; k++) {
                    out.rewardGradient(agent, k, (float) (scale * gradient[k]));
                }
            }
        }
    }

    @Override
    public void observe(CopyOutput out) {
        for (int agent = 0; agent < numAgents; agent++) {
            problem.localGradient(agent, estimates, agent * dim, gradient);
            for (int k = 0; k < dim; k++) {
                out.observation(agent, k, (float) estimates[agent * dim + k]);
                out.observation(agent, dim + k, (float) gradient[k]);
                out.state(agent * dim + k, (float) estimates[agent * dim + k]);
            }
        }
        for (int k = 0; k < dim; k++) {
            out.state(numAgents * dim + k, (float) problem.optimum(k));
        }
    }

    /** Writes every info value of the current estimates; returns mean_gap. */
    private double score(CopyOutput out) {
        double scale = problem.gapScale();
        double meanGap = 0;
        double farthest = 0;
        for (int agent = 0; agent < numAgents; agent++) {
            meanGap += problem.excessCost(estimates, agent * dim) / scale / numAgents;
            farthest = Math.max(farthest, squaredDistanceToOptimum(agent));
        }
        computeMeanEstimate();
        out.info(DistributedLeastSquares.MEAN_GAP, meanGap);
        out.info(DistributedLeastSquares.GAP, problem.excessCost(meanEstimate, 0) / scale);
        out.info(DistributedLeastSquares.CONSENSUS_ERROR, consensusError());
        out.info(DistributedLeastSquares.DISTANCE_TO_OPTIMUM, Math.sqrt(farthest));
        out.info(DistributedLeastSquares.SCORE, 1 - meanGap);
        out.info(DistributedLeastSquares.SOLVED, meanGap < settings.successGap() ? 1 : 0);
        return meanGap;
    }

    private double squaredDistanceToOptimum(int agent) {
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            double difference = estimates[agent * dim + k] - problem.optimum(k);
            sum += difference * difference;
        }
        return sum;
    }

    private void computeMeanEstimate() {
        Arrays.fill(meanEstimate, 0);
        for (int agent = 0; agent < numAgents; agent++) {
            for (int k = 0; k < dim; k++) {
                meanEstimate[k] += estimates[agent * dim + k] / numAgents;
            }
        }
    }

    /** (1/N) sum_i ||x_i - xbar||^2; needs the mean estimate computed. */
    private double consensusError() {
        double sum = 0;
        for (int agent = 0; agent < numAgents; agent++) {
            for (int k = 0; k < dim; k++) {
                double deviation = estimates[agent * dim + k] - meanEstimate[k];
                sum += deviation * deviation;
            }
        }
        return sum / numAgents;
    }
}
