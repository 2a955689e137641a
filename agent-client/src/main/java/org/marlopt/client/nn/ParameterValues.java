package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Writing a network parameter's values in place (initialisation, tying, checkpoint export). */
public final class ParameterValues {

    private static final NDIndex ALL = new NDIndex(":");

    private ParameterValues() {}

    /**
     * Replaces every value of {@code parameter}, keeping it the same array (a model's parameter stays
     * its parameter, trainable if it was). A plain copy into it, with gradients off meanwhile (PyTorch
     * refuses in-place writes to a trainable leaf), rather than {@code NDArray.set(float[])}, whose
     * PyTorch implementation takes a deprecated guard that prints a warning on the console of every run.
     */
    public static void overwrite(NDArray parameter, float[] values) {
        boolean trainable = parameter.hasGradient();
        if (trainable) {
            parameter.setRequiresGradient(false);
        }
        try (NDManager scope = parameter.getManager().newSubManager()) {
            parameter.set(ALL, scope.create(values, parameter.getShape()));
        }
        if (trainable) {
            parameter.setRequiresGradient(true);
        }
    }
}
