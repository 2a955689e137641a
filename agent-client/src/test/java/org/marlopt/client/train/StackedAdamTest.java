package org.marlopt.client.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fused Adam step against the textbook update, and its state across a checkpoint. */
class StackedAdamTest {

    private static final TrainConfig CONFIG = TrainConfig.defaults();
    private static final float[] START = {0.5f, -1f, 2f};
    private static final float[] SLOPES = {1f, -2f, 0.25f};
    private static final double LR = 0.1;

    @Test
    void threeStepsFollowAdamAndClearTheGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = parameter(manager);
            try (StackedAdam adam = StackedAdam.create(manager, new NDList(weight), CONFIG)) {
                for (int t = 0; t < 3; t++) {
                    step(manager, weight, adam);
                }
            }
            assertArrayEquals(expected(3), weight.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[3], weight.getGradient().toFloatArray(), "the update clears the gradient");
        }
    }

    @Test
    void aRestoredOptimizerContinuesExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = parameter(manager);
            try (StackedAdam first = StackedAdam.create(manager, new NDList(weight), CONFIG)) {
                step(manager, weight, first);
                try (StackedAdam restored = StackedAdam.restore(manager, first.state(), first.step(),
                        new NDList(weight), CONFIG)) {
                    step(manager, weight, restored);
                    step(manager, weight, restored);
                }
            }
            assertArrayEquals(expected(3), weight.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void agreesWithTheEnginesFusedUpdate() {
        int size = 4096;
        SplittableRandom random = new SplittableRandom(14);
        float[] start = new float[size];
        for (int i = 0; i < size; i++) {
            start[i] = (float) random.nextDouble(-0.3, 0.3);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ours = manager.create(start);
            ours.setRequiresGradient(true);
            NDArray engines = manager.create(start);
            NDArray mean = manager.zeros(engines.getShape());
            NDArray variance = manager.zeros(engines.getShape());
            try (StackedAdam adam = StackedAdam.create(manager, new NDList(ours), CONFIG)) {
                for (int t = 1; t <= 30; t++) {
                    float[] slopes = new float[size];
                    for (int i = 0; i < size; i++) {
                        slopes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-6, 1)));
                    }
                    try (NDManager scratch = manager.newSubManager()) {
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            collector.backward(ours.mul(scratch.create(slopes)).sum());
                            adam.update(new NDList(ours), LR);
                        }
                        // the betas as the optimizers hold them, in float
                        double stepSize = LR * Math.sqrt(1 - Math.pow((float) CONFIG.beta2(), t))
                                / (1 - Math.pow((float) CONFIG.beta1(), t));
                        engines.getNDArrayInternal().adamUpdate(new NDList(engines, scratch.create(slopes), mean, variance),
                                new NDList(engines), (float) LR, (float) stepSize, 0f, 1f, -1f, (float) CONFIG.beta1(),
                                (float) CONFIG.beta2(), (float) CONFIG.epsilon(), true, false);
                    }
                }
                assertWithinUlps(mean.toFloatArray(), adam.state().get(0).toFloatArray(), "first moments");
                assertWithinUlps(variance.toFloatArray(), adam.state().get(1).toFloatArray(), "second moments");
                // the weights drift apart by a few units in the last place over the steps: 1e-6 is about 30 of them
                assertArrayEquals(engines.toFloatArray(), ours.toFloatArray(), 1e-6f, "weights");
            }
        }
    }

    /** Equal but for rounding: within two units in the last place. */
    private static void assertWithinUlps(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 2 * Math.ulp(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void aMomentWhoseGradientStopsEndsAtZeroNotSubnormal() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = parameter(manager);
            try (StackedAdam adam = StackedAdam.create(manager, new NDList(weight), CONFIG)) {
                step(manager, weight, adam);
                // 0.1 * 0.9^t falls below the smallest normal float near t = 810 and, unflushed, would stick at the smallest subnormal from t = 960
                for (int t = 0; t < 1000; t++) {
                    step(manager, weight, adam, new float[SLOPES.length]);
                }
                float[] means = adam.state().get(0).toFloatArray();
                assertArrayEquals(new float[3], means, 0f, "a decayed first moment is exactly 0");
            }
        }
    }

    private static NDArray parameter(NDManager manager) {
        NDArray weight = manager.create(START, new Shape(1, 1, 3));
        weight.setRequiresGradient(true);
        return weight;
    }

    /** Loss sum(SLOPES * w): its gradient is SLOPES, then one update. */
    private static void step(NDManager manager, NDArray weight, StackedAdam adam) {
        step(manager, weight, adam, SLOPES);
    }

    /** Loss sum(slopes * w): its gradient is slopes, then one update. */
    private static void step(NDManager manager, NDArray weight, StackedAdam adam, float[] slopes) {
        try (NDManager scratch = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(weight.mul(scratch.create(slopes, new Shape(1, 1, slopes.length))).sum());
            adam.update(new NDList(weight), LR);
        }
    }

    /** The weights after {@code steps} textbook Adam steps on the constant gradient SLOPES, in double. */
    private static float[] expected(int steps) {
        double b1 = CONFIG.beta1();
        double b2 = CONFIG.beta2();
        float[] weights = new float[START.length];
        for (int j = 0; j < START.length; j++) {
            double w = START[j];
            double m = 0;
            double v = 0;
            for (int t = 1; t <= steps; t++) {
                m = b1 * m + (1 - b1) * SLOPES[j];
                v = b2 * v + (1 - b2) * SLOPES[j] * SLOPES[j];
                w -= LR * (m / (1 - Math.pow(b1, t))) / (Math.sqrt(v / (1 - Math.pow(b2, t))) + CONFIG.epsilon()
                        / Math.sqrt(1 - Math.pow(b2, t)));
            }
            weights[j] = (float) w;
        }
        return weights;
    }
}
