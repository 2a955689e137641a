package org.marlopt.client.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Value normalisation as MAPPO uses it (Yu et al. 2022, its {@code ValueNorm}): a critic predicts
 * returns in normalised units, and this keeps a debiased exponential running mean and variance of
 * the return targets per output (per agent), so one learning rate serves rewards of any scale.
 * Targets are normalised before the regression; predictions are denormalised before GAE.
 *
 * <p>State: per output the running mean and mean of squares, and the debiasing weight, as a
 * checkpoint stores them ({@link #state}, {@link #restore}), in one array the normaliser owns.
 */
public final class ValueNormalizer {

    private static final double MIN_VARIANCE = 1e-2;

    private final NDManager manager;
    private final double beta;
    private final double[] mean;
    private final double[] meanSquare;
    private double debiasing;
    private NDArray state;

    /**
     * A normaliser of {@code outputs} outputs, each statistic decaying by {@code beta} per update;
     * its checkpoint array lives in {@code manager}.
     */
    public ValueNormalizer(NDManager manager, int outputs, double beta) {
        this.manager = manager;
        this.beta = beta;
        this.mean = new double[outputs];
        this.meanSquare = new double[outputs];
    }

    /** Moves the statistics towards a batch of targets, [rows, outputs] flattened. */
    public void update(float[] targets) {
        int outputs = mean.length;
        int rows = targets.length / outputs;
        for (int output = 0; output < outputs; output++) {
            double sum = 0;
            double sumSquares = 0;
            for (int row = 0; row < rows; row++) {
                double value = targets[row * outputs + output];
                sum += value;
                sumSquares += value * value;
            }
            mean[output] = beta * mean[output] + (1 - beta) * sum / rows;
            meanSquare[output] = beta * meanSquare[output] + (1 - beta) * sumSquares / rows;
        }
        debiasing = beta * debiasing + (1 - beta);
    }

    /** (x - mean) / std per output, for x [..., outputs]. */
    public NDArray normalize(NDManager scratch, NDArray values) {
        return values.sub(scratch.create(means())).div(scratch.create(stds()));
    }

    /** x std + mean per output, for x [..., outputs]. */
    public NDArray denormalize(NDManager scratch, NDArray values) {
        return values.mul(scratch.create(stds())).add(scratch.create(means()));
    }

    private float[] means() {
        float[] debiased = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            debiased[i] = (float) (debiasing > 0 ? mean[i] / debiasing : 0);
        }
        return debiased;
    }

    private float[] stds() {
        float[] stds = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double debiasedMean = debiasing > 0 ? mean[i] / debiasing : 0;
            double variance = debiasing > 0 ? meanSquare[i] / debiasing - debiasedMean * debiasedMean : 1;
            stds[i] = (float) Math.sqrt(Math.max(MIN_VARIANCE, variance));
        }
        return stds;
    }

    /** The statistics as one float64 array, means, mean squares, debiasing weight: the normaliser's own, valid until the next call. */
    public NDArray state() {
        double[] values = new double[2 * mean.length + 1];
        System.arraycopy(mean, 0, values, 0, mean.length);
        System.arraycopy(meanSquare, 0, values, mean.length, mean.length);
        values[values.length - 1] = debiasing;
        if (state != null) {
            state.close();
        }
        state = manager.create(values, new Shape(values.length));
        return state;
    }

    /** Restores what {@link #state} returned. */
    public void restore(NDArray saved) {
        double[] values = saved.toDoubleArray();
        if (values.length != 2 * mean.length + 1) {
            throw new IllegalArgumentException("value normaliser state holds " + values.length + " values, expected "
                    + (2 * mean.length + 1));
        }
        System.arraycopy(values, 0, mean, 0, mean.length);
        System.arraycopy(values, mean.length, meanSquare, 0, mean.length);
        debiasing = values[values.length - 1];
    }
}
