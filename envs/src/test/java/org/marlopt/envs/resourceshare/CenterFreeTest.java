package org.marlopt.envs.resourceshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.marlopt.envs.PolicyDriver.firstStepBelow;
import static org.marlopt.envs.PolicyDriver.maxFrom;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.envs.PolicyDriver;

/**
 * The center-free algorithm on {@value ResourceShare#ID}, run in process. "Default draws" are the
 * arrival rates of copies seeded 0 to 9 (one batch reset with seed 0).
 */
class CenterFreeTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final int DRAWS = 10;

    private static double[][] gaps(Map<String, Object> params, Map<String, Double> settings, int steps) {
        Map<String, Object> withLimit = new HashMap<>(params);
        withLimit.put("max_episode_steps", steps + 1);
        BatchedVectorEnv env = REGISTRY.make(ResourceShare.ID, withLimit,
                new VectorOptions(DRAWS, false, AutoresetMode.SAME_STEP));
        EnvSpec spec = env.spec().env();
        PolicyDriver driver = new PolicyDriver(env, new CenterFree().create(spec, DRAWS, settings));
        driver.reset(0);
        return driver.trace(steps, "gap");
    }

    /**
     * Within {@code within} steps every draw's gap falls below 1e-6 and stays there. Measured
     * worst draws: 364 steps by default, 380 with half the messages lost, 387 with a delay of 1,
     * 948 for the quadratic cost.
     */
    @ParameterizedTest
    @CsvSource({
        "mm1, 0, 0, 400",
        "mm1, 0.5, 0, 450",
        "mm1, 0, 1, 450",
        "quadratic, 0, 0, 1000"})
    void reachesTheOptimumWithAGapBelow1e6(String cost, double dropProbability, int delay, int within) {
        Map<String, Object> params = Map.of("cost", cost, "message_drop_probability", dropProbability,
                "message_delay", delay);
        double[][] gaps = gaps(params, Map.of(), within + 200);
        for (int copy = 0; copy < DRAWS; copy++) {
            int reached = firstStepBelow(gaps, copy, 1e-6);
            assertTrue(reached > 0 && reached <= within, params + " draw " + copy + " reached 1e-6 at step " + reached);
            assertTrue(maxFrom(gaps, copy, reached) < 1e-6, params + " draw " + copy + " left the optimum");
        }
    }

    @Test
    void aStepSizeAboveTheCurvatureBoundNeverSettles() {
        // alpha lambda_max(L) f''(c*) far above 2: the iteration oscillates, held only by the env's move bound
        double[][] gaps = gaps(Map.of(), Map.of("step_size", 2.0), 1000);
        for (int copy = 0; copy < DRAWS; copy++) {
            assertTrue(maxFrom(gaps, copy, 800) > 1e-3, "draw " + copy + " settled with step_size 2");
        }
    }

    @Test
    void needsAMessageAndItsOwnSettingsOnly() {
        EnvSpec spec = REGISTRY.configure(ResourceShare.ID, Map.of()).spec();
        EnvSpec silent = REGISTRY.configure(ResourceShare.ID, Map.of("message_size", 0)).spec();
        CenterFree policy = new CenterFree();
        assertTrue(policy.supports(spec));
        assertFalse(policy.supports(silent));
        assertFalse(policy.supports(REGISTRY.configure("DistributedLeastSquares-v1", Map.of()).spec()));
        IllegalArgumentException noChannel = assertThrows(IllegalArgumentException.class,
                () -> policy.create(silent, 1, Map.of()));
        assertTrue(noChannel.getMessage().contains("message_size >= 1"), noChannel.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> policy.create(spec, 1, Map.of("alpha", 0.1)));
        assertTrue(unknown.getMessage().contains("'alpha'") && unknown.getMessage().contains("step_size"),
                unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> policy.create(spec, 1, Map.of("step_size", -1.0)));
        assertTrue(negative.getMessage().contains("step_size must be a finite number > 0"), negative.getMessage());
        assertEquals(CenterFree.NAME, policy.create(spec, 1, Map.of("step_size", 0.01)).name());
    }
}
