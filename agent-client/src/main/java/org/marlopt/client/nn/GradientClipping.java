package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Gradient-norm clipping for stacked networks (leading axis: the stack member, an agent or a
 * critic twin), applied in place after a backward pass and before the optimizer step.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales each member's gradient (over all of {@code parameters}) so that its L2 norm is at most
     * {@code maxNorm}: every agent's network is clipped by its own norm, as if each had its own
     * optimizer. Returns each member's norm before clipping.
     */
    public static float[] clipPerMember(NDList parameters, float maxNorm, NDManager scratch) {
        int members = Math.toIntExact(parameters.get(0).getShape().get(0));
        NDArray squares = null;
        for (NDArray parameter : parameters) {
            NDArray gradient = gradientIn(scratch, parameter);
            int[] rest = new int[gradient.getShape().dimension() - 1];
            for (int axis = 0; axis < rest.length; axis++) {
                rest[axis] = axis + 1;
            }
            NDArray sum = gradient.square().sum(rest);
            squares = squares == null ? sum : squares.add(sum);
        }
        float[] norms = squares.sqrt().toFloatArray();
        // the scales in float arithmetic, as the engine would compute them: min(1, maxNorm / (norm + 1e-6))
        float[] scales = new float[members];
        boolean scaled = false;
        for (int member = 0; member < members; member++) {
            scales[member] = Math.min(1f, 1f / (norms[member] + 1e-6f) * maxNorm);
            scaled |= scales[member] < 1f;
        }
        if (scaled) { // multiplying every gradient by 1 would change nothing
            NDArray scale = null; // [members, 1, ...] of each gradient's rank, made again only when the rank changes
            for (NDArray parameter : parameters) {
                NDArray gradient = gradientIn(scratch, parameter);
                int rank = gradient.getShape().dimension();
                if (scale == null || scale.getShape().dimension() != rank) {
                    long[] perMember = new long[rank];
                    Arrays.fill(perMember, 1);
                    perMember[0] = members;
                    scale = scratch.create(scales, new Shape(perMember));
                }
                gradient.muli(scale);
            }
        }
        return norms;
    }

    /** Scales the whole gradient of {@code parameters} to an L2 norm of at most {@code maxNorm}; returns the norm before. */
    public static float clipGlobal(NDList parameters, float maxNorm, NDManager scratch) {
        NDArray squares = null;
        for (NDArray parameter : parameters) {
            NDArray sum = gradientIn(scratch, parameter).square().sum();
            squares = squares == null ? sum : squares.add(sum);
        }
        float norm = (float) Math.sqrt(squares.getFloat());
        float scale = Math.min(1f, maxNorm / (norm + 1e-6f));
        if (scale < 1f) { // multiplying every gradient by 1 would change nothing
            for (NDArray parameter : parameters) {
                gradientIn(scratch, parameter).muli(scale);
            }
        }
        return norm;
    }

    /** The parameter's gradient, attached to {@code scratch} so that what is computed from it is released with it. */
    private static NDArray gradientIn(NDManager scratch, NDArray parameter) {
        NDArray gradient = parameter.getGradient();
        gradient.attach(scratch);
        return gradient;
    }
}
