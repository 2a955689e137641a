package org.marlopt.envs.seed;

import java.util.List;
import java.util.Map;
import org.marlopt.env.EnvArgumentException;

/** The seed environment's reset option "initial_params": explicit starting parameters. */
final class InitialParams {

    private InitialParams() {}

    /** Checks "initial_params": paramDim or numEnvs * paramDim numbers in [-1, 1]. Other keys are ignored. */
    static void check(Map<String, Object> options, int paramDim, int numEnvs) {
        Object value = options.get(DistributedOptimization.INITIAL_PARAMS);
        if (value == null) {
            return;
        }
        String name = DistributedOptimization.INITIAL_PARAMS;
        String field = "options." + name;
        if (!(value instanceof List<?> list) || (list.size() != paramDim && list.size() != numEnvs * paramDim)) {
            throw new EnvArgumentException(field, name + " must be a list of " + paramDim
                    + " numbers (every copy) or " + numEnvs * paramDim + " numbers (one row per copy)");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Number number) || !(Math.abs(number.doubleValue()) <= 1.0)) {
                throw new EnvArgumentException(field, name + "[" + i + "] is " + list.get(i)
                        + "; every value must be a number in [-1, 1]");
            }
        }
    }

    /** The copy's starting row, or null when the option is absent (already checked). */
    static float[] row(Map<String, Object> options, int copy, int paramDim) {
        if (!(options.get(DistributedOptimization.INITIAL_PARAMS) instanceof List<?> list)) {
            return null;
        }
        int from = list.size() == paramDim ? 0 : copy * paramDim;
        float[] row = new float[paramDim];
        for (int j = 0; j < paramDim; j++) {
            row[j] = ((Number) list.get(from + j)).floatValue();
        }
        return row;
    }
}
