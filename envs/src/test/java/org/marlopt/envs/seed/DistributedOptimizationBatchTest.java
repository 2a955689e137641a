package org.marlopt.envs.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;

/**
 * The seed environment's own batch ({@link DistributedOptimizationBatch}, what every session
 * steps) against its copies called one by one ({@link DistributedOptimizationCopy} on the
 * per-copy path every other environment takes): for the same seeds, reset options and actions,
 * every transition is the same bit for bit, through clipping, terminations, truncations and the
 * three autoreset modes.
 */
class DistributedOptimizationBatchTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final int STEPS = 120;

    /** Settings from the default, through a horizon of 1 (every step ends every episode), to quick ends of every kind. */
    private static final List<Map<String, Object>> SETTINGS = List.of(
            Map.of(),
            Map.of("max_episode_steps", 1),
            Map.of("num_agents", 2, "param_dim", 6, "target", 1.0, "max_episode_steps", 4, "success_threshold", 1.5),
            Map.of("num_agents", 3, "param_dim", 9, "target", -2.0, "max_episode_steps", 7, "success_threshold", 0.5));

    /** What the runs went through, so the comparison is known to cover it. */
    private int terminations;
    private int truncations;
    private int partialNextStepResets;
    private int stepsWithFinalObservations;
    private int clippedGradientElements;

    @Test
    void sessionsStepTheBatchAndThePerCopyPathStepsCopies() {
        ConfiguredEnv configured = REGISTRY.configure(DistributedOptimization.ID, Map.of());
        assertInstanceOf(DistributedOptimizationBatch.class, configured.newBatch(3));
        assertFalse(perCopy(configured).newBatch(3) instanceof DistributedOptimizationBatch);
    }

    @Test
    void theBatchGivesExactlyWhatTheCopiesGive() {
        long seed = 1;
        for (Map<String, Object> params : SETTINGS) {
            for (AutoresetMode mode : AutoresetMode.values()) {
                for (int numEnvs : new int[] {1, 5, 33}) {
                    for (boolean gradient : new boolean[] {true, false}) {
                        compare(params, new VectorOptions(numEnvs, gradient, mode), seed++);
                    }
                }
            }
        }
        assertTrue(terminations > 0, "no episode terminated");
        assertTrue(truncations > 0, "no episode was truncated");
        assertTrue(partialNextStepResets > 0, "NEXT_STEP never reset some copies while others stepped");
        assertTrue(stepsWithFinalObservations > 0, "SAME_STEP never sent final observations");
        assertTrue(clippedGradientElements > 0, "the clip never zeroed a gradient element");
    }

    private static ConfiguredEnv perCopy(ConfiguredEnv configured) {
        return ConfiguredEnv.of(configured.spec(), configured::newCopy, configured::checkResetOptions);
    }

    /** Both paths from the same resets and actions; DISABLED resets (several ways) once an episode ends. */
    private void compare(Map<String, Object> params, VectorOptions options, long seed) {
        ConfiguredEnv configured = REGISTRY.configure(DistributedOptimization.ID, params);
        BatchedVectorEnv batch = new BatchedVectorEnv(configured, options);
        BatchedVectorEnv copies = new BatchedVectorEnv(perCopy(configured), options);
        EnvSpec spec = configured.spec();
        String run = params + ", " + options + ", seed " + seed;
        SplittableRandom actions = new SplittableRandom(seed);
        assertSame(copies.reset(seed), batch.reset(seed), spec, run + ", reset");
        for (int step = 1; step <= STEPS; step++) {
            String where = run + ", step " + step;
            float[][] action = actions(spec, options.numEnvs(), actions);
            Transition expected = copies.step(action);
            assertSame(expected, batch.step(action), spec, where);
            count(expected, options);
            if (options.autoresetMode() == AutoresetMode.DISABLED && anyEnded(expected)) {
                Map<String, Object> resetOptions = step % 3 == 0 ? initialParams(spec, options.numEnvs(), actions)
                        : Map.of();
                OptionalLong resetSeed = step % 2 == 0 ? OptionalLong.of(seed + step) : OptionalLong.empty();
                assertSame(copies.reset(resetSeed, resetOptions), batch.reset(resetSeed, resetOptions), spec,
                        where + ", reset with " + resetOptions.keySet());
            }
        }
    }

    /** Gaussian moves at a scale that changes every step, so parameters both wander and hit the box. */
    private static float[][] actions(EnvSpec spec, int numEnvs, SplittableRandom random) {
        double scale = random.nextDouble() * 1.5;
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[numEnvs * spec.agents().get(agent).actionSpace().size()];
            for (int i = 0; i < actions[agent].length; i++) {
                actions[agent][i] = (float) (random.nextGaussian() * scale);
            }
        }
        return actions;
    }

    /** "initial_params" as one row for every copy or one row per copy, at random. */
    private static Map<String, Object> initialParams(EnvSpec spec, int numEnvs, SplittableRandom random) {
        int size = spec.stateSpace().size() * (random.nextBoolean() ? 1 : numEnvs);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            values.add(random.nextDouble() * 2 - 1);
        }
        return Map.of(DistributedOptimization.INITIAL_PARAMS, values);
    }

    private static boolean anyEnded(Transition transition) {
        for (int copy = 0; copy < transition.numEnvs(); copy++) {
            if (transition.terminated()[copy] || transition.truncated()[copy]) {
                return true;
            }
        }
        return false;
    }

    private void count(Transition transition, VectorOptions options) {
        int resets = 0;
        for (int copy = 0; copy < transition.numEnvs(); copy++) {
            terminations += transition.terminated()[copy] ? 1 : 0;
            truncations += transition.truncated()[copy] ? 1 : 0;
            resets += transition.autoreset() != null && transition.autoreset()[copy] ? 1 : 0;
        }
        partialNextStepResets += resets > 0 && resets < transition.numEnvs() ? 1 : 0;
        stepsWithFinalObservations += transition.finalState() != null ? 1 : 0;
        if (options.rewardGradient()) {
            int blockSize = transition.rewardGradient(0).length / transition.numEnvs();
            for (int copy = 0; copy < transition.numEnvs(); copy++) {
                // a copy that stepped and is off target has a gradient of +-1 but where the clip was active
                boolean stepped = transition.autoreset() == null || !transition.autoreset()[copy];
                for (int j = 0; j < blockSize; j++) {
                    clippedGradientElements += stepped && transition.reward(0)[copy] != 0f
                            && transition.rewardGradient(0)[copy * blockSize + j] == 0f ? 1 : 0;
                }
            }
        }
    }

    /** Every array of the transition equal bit for bit (assertArrayEquals compares float and double bits). */
    private static void assertSame(Transition expected, Transition actual, EnvSpec spec, String where) {
        assertArrayEquals(expected.sharedObservation(), actual.sharedObservation(), where + ": shared observation");
        assertArrayEquals(expected.state(), actual.state(), where + ": state");
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            assertArrayEquals(expected.observation(agent), actual.observation(agent), where + ": observation");
            assertArrayEquals(expected.reward(agent), actual.reward(agent), where + ": reward of " + agent);
            assertArrayEquals(expected.rewardGradient(agent), actual.rewardGradient(agent), where + ": gradient of " + agent);
            assertArrayEquals(expected.finalObservation(agent), actual.finalObservation(agent), where + ": final observation");
        }
        assertArrayEquals(expected.terminated(), actual.terminated(), where + ": terminated");
        assertArrayEquals(expected.truncated(), actual.truncated(), where + ": truncated");
        assertArrayEquals(expected.autoreset(), actual.autoreset(), where + ": autoreset");
        assertArrayEquals(expected.episodeSteps(), actual.episodeSteps(), where + ": episode steps");
        for (int key = 0; key < spec.info().size(); key++) {
            assertArrayEquals(expected.info(key), actual.info(key), where + ": info " + spec.info().get(key).name());
        }
        assertArrayEquals(expected.finalSharedObservation(), actual.finalSharedObservation(), where + ": final shared");
        assertArrayEquals(expected.finalState(), actual.finalState(), where + ": final state");
        assertEquals(expected.numEnvs(), actual.numEnvs());
    }
}
