package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalars for arithmetic inside an autograd graph.
 *
 * <p>DJL's PyTorch {@code mul(Number)}, {@code div(Number)}, {@code pow(Number)},
 * {@code maximum(Number)} and {@code minimum(Number)} wrap the number in a temporary array over a
 * Java direct buffer and close it when the operation returns. The graph still points at that
 * memory, and the backward pass of those operations reads it: once the garbage collector has freed
 * the buffer, the gradient is computed from whatever was written there since (seen here as
 * gradients of 1e20 and seeded runs that did not repeat). {@code add(Number)} and
 * {@code sub(Number)} are safe, as their backward passes never read the number.
 *
 * <p>So code under a {@code GradientCollector} multiplies by {@code Scalars.of(scratch, x)}: an
 * array PyTorch allocated, alive as long as {@code scratch}, which outlives the backward pass.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dimensional float32 array holding {@code value}, owned by {@code manager}. */
    public static NDArray of(NDManager manager, float value) {
        return manager.full(new Shape(), value);
    }
}
