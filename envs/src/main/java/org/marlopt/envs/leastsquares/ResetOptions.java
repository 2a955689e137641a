package org.marlopt.envs.leastsquares;

import java.util.List;
import java.util.Map;
import org.marlopt.env.EnvArgumentException;

/**
 * The reset options of {@value DistributedLeastSquares#ID}: "A" and "b" together replace the
 * drawn problem, "x0" replaces the all-zero starting estimates. Every copy gets the same values.
 */
final class ResetOptions {

    static final String MATRICES = "A";
    static final String TARGETS = "b";
    static final String START = "x0";

    private ResetOptions() {}

    /**
     * Other keys are ignored (see {@link org.marlopt.env.ConfiguredEnv#checkResetOptions}).
     *
     * @throws EnvArgumentException naming {@code options.<key>} for a value of A, b or x0 the copies could not use
     */
    static void check(Map<String, Object> options, DistributedLeastSquares.Settings settings) {
        checkProblem(options, settings);
        if (options.containsKey(START)) {
            numbers(options, START, settings.numAgents() * settings.dim(), "num_agents " + settings.numAgents()
                    + " x dim " + settings.dim() + ", agent-major");
        }
    }

    private static void checkProblem(Map<String, Object> options, DistributedLeastSquares.Settings settings) {
        boolean hasMatrices = options.containsKey(MATRICES);
        if (hasMatrices != options.containsKey(TARGETS)) {
            String missing = hasMatrices ? TARGETS : MATRICES;
            throw new EnvArgumentException("options." + missing, "options A and b go together: give '" + missing
                    + "' as well, or neither to draw the problem");
        }
        if (!hasMatrices) {
            return;
        }
        int agents = settings.numAgents();
        int rows = settings.rows();
        List<?> matrices = numbers(options, MATRICES, agents * rows * settings.dim(), "num_agents " + agents
                + " x rows " + rows + " x dim " + settings.dim() + ", agent-major then row-major");
        List<?> targets = numbers(options, TARGETS, agents * rows, "num_agents " + agents + " x rows " + rows
                + ", agent-major");
        LeastSquaresProblem problem = new LeastSquaresProblem(agents, rows, settings.dim());
        problem.load(matrices, targets);
        if (!problem.solve()) {
            throw new EnvArgumentException("options." + MATRICES, "the normal matrix sum_i A_i^T A_i is singular "
                    + "(to working precision), so the least-squares optimum is not unique; give an A whose "
                    + agents * rows + " rows together span all " + settings.dim() + " dimensions");
        }
    }

    /** The option's list (already checked), or null when absent. */
    static List<?> get(Map<String, Object> options, String key) {
        return (List<?>) options.get(key);
    }

    private static List<?> numbers(Map<String, Object> options, String key, int count, String layout) {
        String field = "options." + key;
        Object value = options.get(key);
        if (!(value instanceof List<?> list) || list.size() != count) {
            throw new EnvArgumentException(field, key + " must be a list of " + count + " numbers (" + layout
                    + "), got " + (value instanceof List<?> other ? other.size() + " values" : value));
        }
        for (int i = 0; i < count; i++) {
            if (!(list.get(i) instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                throw new EnvArgumentException(field, key + "[" + i + "] is " + list.get(i)
                        + "; every value must be a finite number");
            }
        }
        return list;
    }
}
