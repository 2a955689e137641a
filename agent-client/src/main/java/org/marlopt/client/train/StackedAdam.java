package org.marlopt.client.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Adam over the stacked agent parameters, one fused engine call per parameter array (the same
 * native update DJL's {@code Adam} uses). Its state (moments and step count) is explicit so a
 * checkpoint can save and restore it: {@code Model.save} keeps weights only. Updating the stacked
 * arrays is the same as four per-agent optimizers, because Adam is elementwise.
 */
public final class StackedAdam implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] means;
    private final NDArray[] variances;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long step;

    private StackedAdam(NDManager manager, NDArray[] means, NDArray[] variances, long step,
                        double beta1, double beta2, double epsilon) {
        this.manager = manager;
        this.means = means;
        this.variances = variances;
        this.step = step;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    /** A fresh optimizer with zero moments shaped like {@code parameters}. */
    public static StackedAdam create(NDManager parent, NDList parameters, TrainConfig config) {
        NDManager manager = parent.newSubManager();
        NDArray[] means = new NDArray[parameters.size()];
        NDArray[] variances = new NDArray[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            means[i] = manager.zeros(parameters.get(i).getShape());
            variances[i] = manager.zeros(parameters.get(i).getShape());
        }
        return new StackedAdam(manager, means, variances, 0, config.beta1(), config.beta2(), config.epsilon());
    }

    /** An optimizer restored from {@link #state()} and {@link #step()}. */
    public static StackedAdam restore(NDManager parent, NDList state, long step, NDList parameters, TrainConfig config) {
        int n = parameters.size();
        if (state.size() != 2 * n) {
            throw new IllegalArgumentException("optimizer state holds " + state.size() + " arrays, expected " + 2 * n);
        }
        NDManager manager = parent.newSubManager();
        NDArray[] means = new NDArray[n];
        NDArray[] variances = new NDArray[n];
        for (int i = 0; i < n; i++) {
            for (NDArray moment : new NDArray[] {state.get(i), state.get(n + i)}) {
                if (!moment.getShape().equals(parameters.get(i).getShape())) {
                    throw new IllegalArgumentException("optimizer moment " + i + " has shape " + moment.getShape()
                            + ", parameter has " + parameters.get(i).getShape());
                }
            }
            means[i] = state.get(i).duplicate();
            means[i].attach(manager);
            variances[i] = state.get(n + i).duplicate();
            variances[i].attach(manager);
        }
        return new StackedAdam(manager, means, variances, step, config.beta1(), config.beta2(), config.epsilon());
    }

    /** One Adam step on every parameter from its gradient; clears the gradients. */
    public void update(NDList parameters, double learningRate) {
        step++;
        double biasCorrection = learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i);
            try (NDArray gradient = weight.getGradient()) {
                weight.getNDArrayInternal().adamUpdate(
                        new NDList(weight, gradient, means[i], variances[i]), new NDList(weight),
                        (float) learningRate, (float) biasCorrection, 0f, 1f, -1f,
                        beta1, beta2, epsilon, true, false);
            }
        }
    }

    /** First moments then second moments, in parameter order (owned by the optimizer). */
    public NDList state() {
        NDList list = new NDList(2 * means.length);
        list.addAll(java.util.Arrays.asList(means));
        list.addAll(java.util.Arrays.asList(variances));
        return list;
    }

    /** Updates taken so far (Adam's t). */
    public long step() {
        return step;
    }

    @Override
    public void close() {
        manager.close();
    }
}
