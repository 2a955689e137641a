package org.marlopt.client.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Adam over the stacked agent parameters. Its state (moments and step count) is explicit so a
 * checkpoint can save and restore it: {@code Model.save} keeps weights only. Updating the stacked
 * arrays is the same as four per-agent optimizers, because Adam is elementwise.
 *
 * <p>The update runs on the JVM over the parameters' own memory (read and written through direct
 * buffers), not as engine operations, for two reasons measured on the seed's team (23,000
 * parameters in six arrays). DJL's fused update is eleven engine operations per array, about
 * 0.1 ms each call however small the array. And Adam's first moment of a weight whose gradient
 * stays zero (a dead ReLU unit) decays into the subnormal floats and stays there (0.9 times the
 * smallest subnormal rounds back to it); the CPU then takes a slow microcode path on every
 * operation that touches it, which made the engine's update as costly as the backward pass. Here
 * a moment that falls below the smallest normal float becomes 0, which changes no weight (the
 * step it would have made is below 1e-30).
 */
public final class StackedAdam implements AutoCloseable {

    private final NDManager manager;
    /** The moments as the checkpoint sees them: brought up to date by {@link #state()}. */
    private final NDArray[] meanArrays;
    private final NDArray[] varianceArrays;
    private final float[][] means;
    private final float[][] variances;
    private final float[] weights;
    private final float[] gradients;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private long step;

    private StackedAdam(NDManager manager, NDArray[] meanArrays, NDArray[] varianceArrays, long step,
                        double beta1, double beta2, double epsilon) {
        this.manager = manager;
        this.meanArrays = meanArrays;
        this.varianceArrays = varianceArrays;
        this.means = new float[meanArrays.length][];
        this.variances = new float[meanArrays.length][];
        int largest = 0;
        for (int i = 0; i < meanArrays.length; i++) {
            means[i] = meanArrays[i].toFloatArray();
            variances[i] = varianceArrays[i].toFloatArray();
            largest = Math.max(largest, means[i].length);
        }
        this.weights = new float[largest];
        this.gradients = new float[largest];
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
            requireWritableInPlace(parameters.get(i), i);
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
            requireWritableInPlace(parameters.get(i), i);
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
        float stepSize = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step)));
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i);
            int size = means[i].length;
            FloatBuffer weightMemory = memory(weight);
            weightMemory.get(0, weights, 0, size);
            try (NDArray gradient = weight.getGradient()) {
                memory(gradient).get(0, gradients, 0, size);
            }
            adamStep(means[i], variances[i], size, stepSize);
            weightMemory.put(0, weights, 0, size);
            JniUtils.zeroGrad((PtNDArray) weight);
        }
    }

    /**
     * The textbook step on {@link #weights} from {@link #gradients}, first {@code size} elements.
     * The moments are rounded as the engine's vectorised update rounds them (a fused multiply-add
     * onto the decayed moment), so they equal DJL's bit for bit; the weights can differ in the last
     * bit, where the engine's vectorised square root does.
     */
    private void adamStep(float[] mean, float[] variance, int size, float stepSize) {
        float keepGradient = 1 - beta1;
        float keepSquare = 1 - beta2;
        for (int j = 0; j < size; j++) {
            float gradient = gradients[j];
            float m = flushSubnormal(Math.fma(keepGradient, gradient, beta1 * mean[j]));
            float v = flushSubnormal(Math.fma(keepSquare * gradient, gradient, beta2 * variance[j]));
            mean[j] = m;
            variance[j] = v;
            weights[j] -= stepSize * m / ((float) Math.sqrt(v) + epsilon);
        }
    }

    private static float flushSubnormal(float value) {
        return Math.abs(value) < Float.MIN_NORMAL ? 0f : value;
    }

    /** First moments then second moments, in parameter order (owned by the optimizer). */
    public NDList state() {
        NDList list = new NDList(2 * means.length);
        for (int i = 0; i < means.length; i++) {
            memory(meanArrays[i]).put(0, means[i]);
            memory(varianceArrays[i]).put(0, variances[i]);
        }
        list.addAll(Arrays.asList(meanArrays));
        list.addAll(Arrays.asList(varianceArrays));
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

    /** The array's own memory: the engine hands out a direct view of a dense array on the CPU. */
    private static FloatBuffer memory(NDArray array) {
        return array.toByteBuffer(true).asFloatBuffer();
    }

    /**
     * Fails unless writing through {@link #memory} changes {@code parameter} itself, which holds for
     * the dense CPU arrays every team makes; the engine would hand out a copy of any other.
     */
    private static void requireWritableInPlace(NDArray parameter, int index) {
        if (parameter.size() == 0) {
            return;
        }
        FloatBuffer first = memory(parameter);
        FloatBuffer second = memory(parameter);
        float original = first.get(0);
        first.put(0, original == 1f ? 2f : 1f);
        boolean shared = second.get(0) != original;
        first.put(0, original);
        if (!shared) {
            throw new IllegalArgumentException("parameter " + index + " is not a dense CPU array ("
                    + parameter.getDevice() + "): StackedAdam updates parameters in their own memory");
        }
    }
}
