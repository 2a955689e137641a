package org.marlopt.envs.leastsquares;

/**
 * Solves G x = h for a symmetric positive definite n x n matrix G (row-major) by its Cholesky
 * factor G = L L^T. Written here rather than taken from a linear-algebra library: n = dim is at
 * most 64 and the solve runs once per reset, so twenty lines beat a dependency. Reuses its
 * factor array: allocation-free after construction.
 */
final class CholeskySolver {

    /**
     * A pivot at or below this fraction of G's largest diagonal entry counts as zero: G is then
     * singular to working precision (condition number around 1e12 or worse) and x would be noise.
     */
    static final double RELATIVE_PIVOT_TOLERANCE = 1e-12;

    private final int n;
    /** L, row-major; only the lower triangle is used. */
    private final double[] lower;

    CholeskySolver(int n) {
        this.n = n;
        this.lower = new double[n * n];
    }

    /** Factors {@code matrix}; false when it is not numerically positive definite (then solve is invalid). */
    boolean factor(double[] matrix) {
        double largestDiagonal = 0;
        for (int i = 0; i < n; i++) {
            largestDiagonal = Math.max(largestDiagonal, matrix[i * n + i]);
        }
        for (int j = 0; j < n; j++) {
            double pivot = matrix[j * n + j];
            for (int k = 0; k < j; k++) {
                pivot -= lower[j * n + k] * lower[j * n + k];
            }
            if (!(pivot > RELATIVE_PIVOT_TOLERANCE * largestDiagonal)) { // also false for NaN
                return false;
            }
            double diagonal = Math.sqrt(pivot);
            lower[j * n + j] = diagonal;
            for (int i = j + 1; i < n; i++) {
                double sum = matrix[i * n + j];
                for (int k = 0; k < j; k++) {
                    sum -= lower[i * n + k] * lower[j * n + k];
                }
                lower[i * n + j] = sum / diagonal;
            }
        }
        return true;
    }

    /** Writes into {@code solution} the x with G x = {@code rhs}, G the last matrix factored. */
    void solve(double[] rhs, double[] solution) {
        for (int i = 0; i < n; i++) { // L y = rhs
            double sum = rhs[i];
            for (int k = 0; k < i; k++) {
                sum -= lower[i * n + k] * solution[k];
            }
            solution[i] = sum / lower[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) { // L^T x = y
            double sum = solution[i];
            for (int k = i + 1; k < n; k++) {
                sum -= lower[k * n + i] * solution[k];
            }
            solution[i] = sum / lower[i * n + i];
        }
    }
}
