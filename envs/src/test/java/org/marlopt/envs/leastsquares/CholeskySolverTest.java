package org.marlopt.envs.leastsquares;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CholeskySolverTest {

    @Test
    void solvesASymmetricPositiveDefiniteSystem() {
        CholeskySolver solver = new CholeskySolver(3);
        double[] matrix = {4, 2, 0, 2, 5, 1, 0, 1, 3};
        assertTrue(solver.factor(matrix));
        double[] solution = new double[3];
        solver.solve(new double[] {2, -1, 5}, solution); // G (1, -1, 2)
        assertArrayEquals(new double[] {1, -1, 2}, solution, 1e-14);
    }

    @Test
    void rejectsSingularZeroAndIndefiniteMatrices() {
        CholeskySolver solver = new CholeskySolver(2);
        assertFalse(solver.factor(new double[] {1, 1, 1, 1}));
        assertFalse(solver.factor(new double[] {0, 0, 0, 0}));
        assertFalse(solver.factor(new double[] {1, 2, 2, 1}));
        assertFalse(solver.factor(new double[] {1, 0, 0, 1e-13}), "pivot below the relative tolerance");
        assertTrue(solver.factor(new double[] {1, 0, 0, 1e-11}));
    }
}
