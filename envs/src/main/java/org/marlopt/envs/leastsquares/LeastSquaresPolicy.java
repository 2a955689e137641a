package org.marlopt.envs.leastsquares;

import java.util.Map;
import org.marlopt.env.EnvSpec;

/**
 * What the consensus algorithms for {@value DistributedLeastSquares#ID} (gradient tracking, DGD,
 * EXTRA) share around their iteration: which specs they can drive, their one setting
 * {@value #STEP_SIZE}, and reading and writing an agent's vectors.
 */
final class LeastSquaresPolicy {

    static final String STEP_SIZE = "step_size";

    private LeastSquaresPolicy() {}

    /** The spec is {@value DistributedLeastSquares#ID} with room in a message for {@code vectors} vectors of dim. */
    static boolean supports(EnvSpec spec, int vectors) {
        return spec.envId().equals(DistributedLeastSquares.ID) && spec.comm().messageSize() >= vectors * dim(spec);
    }

    /** @throws IllegalArgumentException saying what the policy needs when it does not {@link #supports} the spec */
    static void requireSupported(String policy, EnvSpec spec, int vectors) {
        if (!spec.envId().equals(DistributedLeastSquares.ID)) {
            throw new IllegalArgumentException(policy + " drives " + DistributedLeastSquares.ID + " only, not "
                    + spec.envId());
        }
        if (!supports(spec, vectors)) {
            throw new IllegalArgumentException(policy + " sends " + vectors + " vector(s) of dim " + dim(spec)
                    + " per message, so it needs message_size >= " + vectors * dim(spec) + ", got "
                    + spec.comm().messageSize() + "; create the environment with message_size "
                    + vectors * dim(spec));
        }
    }

    /**
     * Env steps per iteration: message_delay + 1. Each iteration needs the neighbours' messages of
     * the one before, which arrive message_delay steps after the step that sent them; meanwhile
     * an agent stays put and repeats its message.
     */
    static int roundLength(EnvSpec spec) {
        return spec.comm().delay() + 1;
    }

    static int dim(EnvSpec spec) {
        return spec.params().integer("dim");
    }

    /**
     * The step size alpha: {@code settings.get("step_size")}, or {@code defaultValue} when absent.
     *
     * @throws IllegalArgumentException for any other setting, or a step size that is not a finite positive number
     */
    static double stepSize(String policy, Map<String, Double> settings, double defaultValue) {
        for (String name : settings.keySet()) {
            if (!name.equals(STEP_SIZE)) {
                throw new IllegalArgumentException("unknown setting '" + name + "' for " + policy + "; its only "
                        + "setting is " + STEP_SIZE + " (default " + defaultValue + ")");
            }
        }
        Double stepSize = settings.getOrDefault(STEP_SIZE, defaultValue);
        if (stepSize == null || !(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException(policy + " setting " + STEP_SIZE + " must be a finite number > 0, got "
                    + stepSize + "; omit it for the default " + defaultValue);
        }
        return stepSize;
    }

    /** {@code into} = the {@code into.length} values of {@code view} from {@code start}. */
    static void read(float[] view, int start, double[] into) {
        for (int k = 0; k < into.length; k++) {
            into[k] = view[start + k];
        }
    }

    /** Writes {@code values} into {@code action} from {@code start}. */
    static void write(double[] values, float[] action, int start) {
        for (int k = 0; k < values.length; k++) {
            action[start + k] = (float) values[k];
        }
    }
}
