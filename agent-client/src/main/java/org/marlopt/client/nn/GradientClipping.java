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
        long members = parameters.get(0).getShape().get(0);
        NDArray squares = scratch.zeros(new Shape(members));
        for (NDArray parameter : parameters) {
            NDArray gradient = gradientIn(scratch, parameter);
            int[] rest = new int[gradient.getShape().dimension() - 1];
            for (int axis = 0; axis < rest.length; axis++) {
                rest[axis] = axis + 1;
            }
            squares = squares.add(gradient.square().sum(rest));
        }
        NDArray norms = squares.sqrt();
        NDArray scale = norms.add(1e-6f).pow(-1).mul(maxNorm).minimum(1f);
        for (NDArray parameter : parameters) {
            NDArray gradient = gradientIn(scratch, parameter);
            long[] perMember = new long[gradient.getShape().dimension()];
            Arrays.fill(perMember, 1);
            perMember[0] = members;
            gradient.muli(scale.reshape(new Shape(perMember)));
        }
        return norms.toFloatArray();
    }

    /** Scales the whole gradient of {@code parameters} to an L2 norm of at most {@code maxNorm}; returns the norm before. */
    public static float clipGlobal(NDList parameters, float maxNorm, NDManager scratch) {
        NDArray squares = scratch.zeros(new Shape());
        for (NDArray parameter : parameters) {
            squares = squares.add(gradientIn(scratch, parameter).square().sum());
        }
        float norm = (float) Math.sqrt(squares.getFloat());
        float scale = Math.min(1f, maxNorm / (norm + 1e-6f));
        for (NDArray parameter : parameters) {
            gradientIn(scratch, parameter).muli(scale);
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
