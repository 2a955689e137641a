package org.marlopt.envs.leastsquares;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One least-squares problem: every agent's private data (A_i, b_i) and the team optimum x* of
 * F(x) = sum_i ||A_i x - b_i||^2. Reused across episodes: allocation-free after construction.
 *
 * <p>Gaps are measured through the normal matrix G = sum_i A_i^T A_i: since F is quadratic
 * with minimiser x*, F(x) - F* = (x - x*)^T G (x - x*) and grad F(x) = 2 G (x - x*) exactly.
 * These forms are free of the cancellation in F(x) - F*, so the gap is 0 at x* to the last bit.
 */
final class LeastSquaresProblem {

    private final int numAgents;
    private final int rows;
    private final int dim;
    /** A_1..A_N: agent-major, then row-major (the layout of the reset option "A"). */
    private final double[] matrices;
    /** b_1..b_N, agent-major. */
    private final double[] targets;
    private final double[] trueSolution;
    /** G = sum_i A_i^T A_i, row-major. */
    private final double[] normalMatrix;
    /** h = sum_i A_i^T b_i. */
    private final double[] normalTarget;
    private final double[] optimum;
    private final CholeskySolver solver;
    private final double[] residual;
    private final double[] difference;
    private double gapScale;

    LeastSquaresProblem(int numAgents, int rows, int dim) {
        this.numAgents = numAgents;
        this.rows = rows;
        this.dim = dim;
        this.matrices = new double[numAgents * rows * dim];
        this.targets = new double[numAgents * rows];
        this.trueSolution = new double[dim];
        this.normalMatrix = new double[dim * dim];
        this.normalTarget = new double[dim];
        this.optimum = new double[dim];
        this.solver = new CholeskySolver(dim);
        this.residual = new double[rows];
        this.difference = new double[dim];
    }

    /**
     * Draws a problem, in this order: x_true ~ N(0, I_dim); every entry of A ~ N(0, 1/rows) in
     * the layout of {@link #matrices}; b = A x_true + noise * N(0, I) (the noise draws are taken
     * even when noise is 0, so the stream does not depend on it).
     */
    void draw(SplittableRandom random, double noise) {
        Gaussians.fill(random, trueSolution, 1.0);
        Gaussians.fill(random, matrices, 1.0 / Math.sqrt(rows));
        Gaussians.fill(random, targets, noise);
        for (int agent = 0; agent < numAgents; agent++) {
            for (int row = 0; row < rows; row++) {
                targets[agent * rows + row] += rowTimes(agent, row, trueSolution, 0);
            }
        }
    }

    /** Takes A and b from reset options (already checked: lengths, finite numbers). */
    void load(List<?> matrixValues, List<?> targetValues) {
        copyNumbers(matrixValues, matrices);
        copyNumbers(targetValues, targets);
    }

    /**
     * Computes x*, F* and the gap scale D = max(F(0) - F*, 1e-12 * max(1, F*)).
     *
     * @return false when G is singular to working precision (then nothing else is valid)
     */
    boolean solve() {
        formNormalEquations();
        if (!solver.factor(normalMatrix)) {
            return false;
        }
        solver.solve(normalTarget, optimum);
        double optimalCost = 0;
        for (int agent = 0; agent < numAgents; agent++) {
            optimalCost += localCost(agent, optimum, 0);
        }
        double initialExcess = quadraticForm(optimum); // F(0) - F* = x*^T G x*
        gapScale = Math.max(initialExcess, 1e-12 * Math.max(1, optimalCost));
        return true;
    }

    double optimum(int index) {
        return optimum[index];
    }

    /** D: the excess cost of x = 0 over the optimum, the unit of every gap. */
    double gapScale() {
        return gapScale;
    }

    /** F(x) - F* for x = {@code x[offset .. offset + dim)}. */
    double excessCost(double[] x, int offset) {
        for (int k = 0; k < dim; k++) {
            difference[k] = x[offset + k] - optimum[k];
        }
        return quadraticForm(difference);
    }

    /** Writes grad F(x) = 2 G (x - x*) into {@code gradient}, x = {@code x[offset .. offset + dim)}. */
    void costGradient(double[] x, int offset, double[] gradient) {
        for (int k = 0; k < dim; k++) {
            difference[k] = x[offset + k] - optimum[k];
        }
        for (int i = 0; i < dim; i++) {
            double sum = 0;
            for (int k = 0; k < dim; k++) {
                sum += normalMatrix[i * dim + k] * difference[k];
            }
            gradient[i] = 2 * sum;
        }
    }

    /** Writes the agent's own gradient grad f_i(x) = 2 A_i^T (A_i x - b_i) into {@code gradient}. */
    void localGradient(int agent, double[] x, int offset, double[] gradient) {
        computeResidual(agent, x, offset);
        for (int k = 0; k < dim; k++) {
            double sum = 0;
            for (int row = 0; row < rows; row++) {
                sum += matrices[(agent * rows + row) * dim + k] * residual[row];
            }
            gradient[k] = 2 * sum;
        }
    }

    /** f_i(x) = ||A_i x - b_i||^2. */
    private double localCost(int agent, double[] x, int offset) {
        computeResidual(agent, x, offset);
        double sum = 0;
        for (double value : residual) {
            sum += value * value;
        }
        return sum;
    }

    private void computeResidual(int agent, double[] x, int offset) {
        for (int row = 0; row < rows; row++) {
            residual[row] = rowTimes(agent, row, x, offset) - targets[agent * rows + row];
        }
    }

    /** Row {@code row} of A_agent times x. */
    private double rowTimes(int agent, int row, double[] x, int offset) {
        int start = (agent * rows + row) * dim;
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            sum += matrices[start + k] * x[offset + k];
        }
        return sum;
    }

    /** v^T G v. */
    private double quadraticForm(double[] v) {
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            double row = 0;
            for (int k = 0; k < dim; k++) {
                row += normalMatrix[i * dim + k] * v[k];
            }
            sum += v[i] * row;
        }
        return sum;
    }

    private void formNormalEquations() {
        Arrays.fill(normalMatrix, 0);
        Arrays.fill(normalTarget, 0);
        for (int agentRow = 0; agentRow < numAgents * rows; agentRow++) {
            int start = agentRow * dim;
            for (int i = 0; i < dim; i++) {
                double entry = matrices[start + i];
                normalTarget[i] += entry * targets[agentRow];
                for (int k = 0; k < dim; k++) {
                    normalMatrix[i * dim + k] += entry * matrices[start + k];
                }
            }
        }
    }

    private static void copyNumbers(List<?> values, double[] target) {
        for (int i = 0; i < target.length; i++) {
            target[i] = ((Number) values.get(i)).doubleValue();
        }
    }
}
