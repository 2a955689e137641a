package org.marlopt.client.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Adam over the stacked agent parameters, every array's update fused into one loop over plain
 * floats: a step reads each parameter and its gradient once, updates the moments (kept here as
 * float arrays) and writes the parameter back, where the engine's Adam dispatches about ten tensor
 * operations per array. The update is PyTorch's (and DJL's): m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g^2, w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps). Its state
 * (moments and step count) is explicit so a checkpoint can save and restore it: {@code Model.save}
 * keeps weights only. Updating the stacked arrays is the same as four per-agent optimizers,
 * because Adam is elementwise.
 */
public final class StackedAdam implements AutoCloseable {

    private final NDManager manager;
    private final float[][] means;
    private final float[][] variances;
    private final Shape[] shapes;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long step;
    /** The arrays of the last {@link #state()}, closed when it is asked again. */
    private NDList lastState;

    private StackedAdam(NDManager manager, float[][] means, float[][] variances, Shape[] shapes, long step,
                        double beta1, double beta2, double epsilon) {
        this.manager = manager;
        this.means = means;
        this.variances = variances;
        this.shapes = shapes;
        this.step = step;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    /** A fresh optimizer with zero moments shaped like {@code parameters}. */
    public static StackedAdam create(NDManager parent, NDList parameters, TrainConfig config) {
        int n = parameters.size();
        float[][] means = new float[n][];
        float[][] variances = new float[n][];
        Shape[] shapes = new Shape[n];
        for (int i = 0; i < n; i++) {
            shapes[i] = parameters.get(i).getShape();
            means[i] = new float[Math.toIntExact(shapes[i].size())];
            variances[i] = new float[means[i].length];
        }
        return new StackedAdam(parent.newSubManager(), means, variances, shapes, 0, config.beta1(), config.beta2(),
                config.epsilon());
    }

    /** An optimizer restored from {@link #state()} and {@link #step()}. */
    public static StackedAdam restore(NDManager parent, NDList state, long step, NDList parameters, TrainConfig config) {
        int n = parameters.size();
        if (state.size() != 2 * n) {
            throw new IllegalArgumentException("optimizer state holds " + state.size() + " arrays, expected " + 2 * n);
        }
        float[][] means = new float[n][];
        float[][] variances = new float[n][];
        Shape[] shapes = new Shape[n];
        for (int i = 0; i < n; i++) {
            shapes[i] = parameters.get(i).getShape();
            for (NDArray moment : new NDArray[] {state.get(i), state.get(n + i)}) {
                if (!moment.getShape().equals(shapes[i])) {
                    throw new IllegalArgumentException("optimizer moment " + i + " has shape " + moment.getShape()
                            + ", parameter has " + shapes[i]);
                }
            }
            means[i] = state.get(i).toFloatArray();
            variances[i] = state.get(n + i).toFloatArray();
        }
        return new StackedAdam(parent.newSubManager(), means, variances, shapes, step, config.beta1(), config.beta2(),
                config.epsilon());
    }

    /** One Adam step on every parameter from its gradient; clears the gradients. */
    public void update(NDList parameters, double learningRate) {
        step++;
        float stepSize = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i);
            float[] values = weight.toFloatArray();
            try (NDArray gradient = weight.getGradient()) {
                adam(values, gradient.toFloatArray(), means[i], variances[i], stepSize);
            }
            weight.set(values);
            JniUtils.zeroGrad((PtNDArray) weight);
        }
    }

    private void adam(float[] weight, float[] gradient, float[] mean, float[] variance, float stepSize) {
        for (int j = 0; j < weight.length; j++) {
            float g = gradient[j];
            float m = beta1 * mean[j] + (1 - beta1) * g;
            float v = beta2 * variance[j] + (1 - beta2) * g * g;
            mean[j] = m;
            variance[j] = v;
            weight[j] -= stepSize * m / ((float) Math.sqrt(v) + epsilon);
        }
    }

    /**
     * First moments then second moments, in parameter order, as arrays owned by the optimizer and
     * valid until the next call.
     */
    public NDList state() {
        if (lastState != null) {
            lastState.close();
        }
        NDList list = new NDList(2 * means.length);
        for (float[][] moments : new float[][][] {means, variances}) {
            for (int i = 0; i < moments.length; i++) {
                list.add(manager.create(moments[i], shapes[i]));
            }
        }
        lastState = list;
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
