package org.marlopt.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributedOptimizationEnvTest {

    private static final int DIM = 20;
    private static final int BLOCK = 5;

    private static DistributedOptimizationEnv env(VectorOptions options) {
        return new DistributedOptimizationEnv(DistributedOptimizationParams.defaults(), options);
    }

    private static DistributedOptimizationEnv envWithGradient() {
        return env(new VectorOptions(1, true, AutoresetMode.DISABLED));
    }

    private static float[][] zeroActions(int numEnvs) {
        float[][] actions = new float[4][numEnvs * BLOCK];
        return actions;
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void defaultsAreTheSeedSetting() {
        VectorEnvSpec spec = DistributedOptimizationEnv.withDefaults().spec();
        assertEquals("DistributedOptimization-v1", spec.envId());
        assertEquals(List.of("agent_0", "agent_1", "agent_2", "agent_3"),
                spec.agents().stream().map(AgentSpace::name).toList());
        assertEquals(DIM, spec.agents().get(0).observationSpace().size());
        assertEquals(BLOCK, spec.agents().get(2).actionSpace().size());
        assertEquals(DIM, spec.stateSpace().size());
        assertEquals(50, spec.maxEpisodeSteps());
        assertEquals(Map.of("num_agents", 4.0, "param_dim", 20.0, "target", 5.0,
                "max_episode_steps", 50.0, "success_threshold", 0.1), spec.params());
        assertEquals(AutoresetMode.DISABLED, spec.options().autoresetMode());
    }

    @Test
    void prepareGivesDescribesSpecAndAnEnvironmentWithIt() {
        DistributedOptimization definition = new DistributedOptimization();
        Map<String, Double> params = Map.of("num_agents", 2.0, "param_dim", 6.0);
        VectorOptions options = new VectorOptions(3, true, AutoresetMode.SAME_STEP);
        EnvDefinition.Prepared prepared = definition.prepare(params, options);
        assertEquals(definition.describe(params, options), prepared.spec());
        VectorEnv env = prepared.factory().get();
        assertEquals(prepared.spec(), env.spec());
        assertEquals(definition.make(params, options).spec(), env.spec());
        assertThrows(EnvArgumentException.class, () -> definition.prepare(Map.of("num_agents", 0.0), options));
    }

    @Test
    void resetDrawsUniformlyInTheBoxAndEveryAgentObservesTheWholeVector() {
        Transition reset = DistributedOptimizationEnv.withDefaults().reset(7);
        float[] state = reset.state();
        assertEquals(DIM, state.length);
        for (float value : state) {
            assertTrue(value >= -1f && value <= 1f, "value " + value + " outside [-1, 1]");
        }
        assertTrue(Arrays.stream(box(state)).distinct().count() > 15, "draws should differ");
        for (int agent = 0; agent < 4; agent++) {
            assertArrayEquals(state, reset.observation(agent));
        }
        double sum = 0;
        for (float value : state) {
            sum += value;
        }
        assertEquals(sum, reset.info(0)[0]);
        assertEquals(Math.abs(5.0 - sum), reset.info(1)[0]);
        assertEquals(0, reset.episodeSteps()[0]);
    }

    @Test
    void eachAgentMovesOnlyItsOwnBlockAndRewardIsNegativeDistance() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        env.reset(OptionalLong.empty(), new float[DIM]);
        float[][] actions = zeroActions(1);
        actions[1] = filled(BLOCK, 0.25f);
        Transition step = env.step(actions);
        float[] expected = new float[DIM];
        Arrays.fill(expected, 5, 10, 0.25f);
        assertArrayEquals(expected, step.state());
        assertEquals(1.25, step.info(0)[0], 1e-12);
        assertEquals(3.75, step.info(1)[0], 1e-12);
        for (int agent = 0; agent < 4; agent++) {
            assertEquals(-3.75f, step.reward(agent)[0]);
        }
        assertFalse(step.terminated()[0]);
        assertFalse(step.truncated()[0]);
        assertEquals(1, step.episodeSteps()[0]);
    }

    @Test
    void parametersAreClippedToTheBox() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 5, 0.9f);
        Arrays.fill(initial, 5, 10, -0.9f);
        env.reset(OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[0] = new float[] {0.5f, 0.1f, -2.5f, 100f, 0f};
        actions[1] = new float[] {-0.5f, -0.1f, 2.5f, -1e30f, 0f};
        float[] state = env.step(actions).state();
        assertArrayEquals(new float[] {1f, 1f, -1f, 1f, 0.9f}, Arrays.copyOfRange(state, 0, 5));
        assertArrayEquals(new float[] {-1f, -1f, 1f, -1f, -0.9f}, Arrays.copyOfRange(state, 5, 10));
    }

    @Test
    void terminatesWhenDistanceFallsBelowThreshold() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 10, 0.5f); // sum 5.0 after the step below moves it to 4.95
        env.reset(OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[3][0] = -0.05f;
        Transition step = env.step(actions);
        assertEquals(0.05, step.info(1)[0], 1e-6);
        assertTrue(step.terminated()[0]);
        assertFalse(step.truncated()[0]);
        EpisodeStateException after = assertThrows(EpisodeStateException.class, () -> env.step(zeroActions(1)));
        assertTrue(after.getMessage().contains("Reset"), after.getMessage());
    }

    @Test
    void distanceAtOrAboveThresholdDoesNotTerminate() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 10, 0.48f); // sum 4.8: distance 0.2
        env.reset(OptionalLong.empty(), initial);
        assertFalse(env.step(zeroActions(1)).terminated()[0]);
    }

    @Test
    void truncatesAtMaxEpisodeSteps() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        env.reset(OptionalLong.empty(), new float[DIM]); // sum 0, far from 5 with zero actions
        for (int step = 1; step < 50; step++) {
            Transition transition = env.step(zeroActions(1));
            assertFalse(transition.truncated()[0], "step " + step);
            assertEquals(step, transition.episodeSteps()[0]);
        }
        Transition last = env.step(zeroActions(1));
        assertTrue(last.truncated()[0]);
        assertFalse(last.terminated()[0]);
        assertThrows(EpisodeStateException.class, () -> env.step(zeroActions(1)));
        env.reset(1);
        assertEquals(1, env.step(zeroActions(1)).episodeSteps()[0]);
    }

    @Test
    void rewardGradientIsMinusSignOfErrorWhereTheClipIsInactive() {
        DistributedOptimizationEnv env = envWithGradient();
        float[] initial = new float[DIM];
        initial[0] = 0.9f;
        initial[1] = 1f;
        initial[2] = -0.9f;
        env.reset(OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[0] = new float[] {0.5f, 0f, -0.1f, 0.2f, 0f}; // clip binds element 0 only
        Transition step = env.step(actions); // sum 2.2 < target 5: d reward / d a = +1
        assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 1f}, step.rewardGradient(0));
        assertArrayEquals(filled(BLOCK, 1f), step.rewardGradient(1));
    }

    @Test
    void rewardGradientIsNegativeAboveTargetAndZeroAtIt() {
        DistributedOptimizationParams params = new DistributedOptimizationParams(4, DIM, -1.0, 50, 0.1);
        DistributedOptimizationEnv above = new DistributedOptimizationEnv(params,
                new VectorOptions(1, true, AutoresetMode.DISABLED));
        above.reset(OptionalLong.empty(), new float[DIM]); // sum 0 > target -1
        float[][] actions = zeroActions(1);
        actions[2] = new float[] {0f, 0f, 0f, 1.5f, -1.5f}; // 1.5 and -1.5 hit the clip
        assertArrayEquals(new float[] {-1f, -1f, -1f, 0f, 0f}, above.step(actions).rewardGradient(2));

        DistributedOptimizationParams atZero = new DistributedOptimizationParams(4, DIM, 0.0, 50, 0.1);
        DistributedOptimizationEnv at = new DistributedOptimizationEnv(atZero,
                new VectorOptions(1, true, AutoresetMode.DISABLED));
        at.reset(OptionalLong.empty(), new float[DIM]);
        Transition step = at.step(zeroActions(1));
        for (int agent = 0; agent < 4; agent++) {
            float[] gradient = step.rewardGradient(agent);
            for (float value : gradient) {
                assertEquals(0, Float.floatToIntBits(value), "sign(0) = +0");
            }
        }
    }

    @Test
    void gradientIsAbsentUnlessAsked() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        env.reset(3);
        assertNull(env.step(zeroActions(1)).rewardGradient(0));
    }

    @Test
    void sameSeedAndActionsGiveTheSameTrajectoryBitForBit() {
        float[][] first = rollout(42);
        float[][] second = rollout(42);
        for (int step = 0; step < first.length; step++) {
            assertArrayEquals(first[step], second[step], "step " + step); // compares float bits
        }
        assertFalse(Arrays.equals(first[0], rollout(43)[0]));
    }

    /** States of 30 steps from a seed, with actions from a fixed random stream. */
    private static float[][] rollout(long seed) {
        DistributedOptimizationEnv env = env(new VectorOptions(3, true, AutoresetMode.SAME_STEP));
        SplittableRandom actionsRandom = new SplittableRandom(99);
        float[][] trajectory = new float[31][];
        trajectory[0] = env.reset(seed).state().clone();
        for (int step = 1; step <= 30; step++) {
            float[][] actions = zeroActions(3);
            for (float[] action : actions) {
                for (int i = 0; i < action.length; i++) {
                    action[i] = (float) actionsRandom.nextGaussian() * 0.3f;
                }
            }
            Transition transition = env.step(actions);
            float[] row = Arrays.copyOf(transition.state(), DIM * 3 + 3 + BLOCK * 3);
            System.arraycopy(transition.reward(0), 0, row, DIM * 3, 3);
            System.arraycopy(transition.rewardGradient(1), 0, row, DIM * 3 + 3, BLOCK * 3);
            trajectory[step] = row;
        }
        return trajectory;
    }

    @Test
    void copyIIsSeededSeedPlusI() {
        DistributedOptimizationEnv vector = env(new VectorOptions(3, false, AutoresetMode.SAME_STEP));
        float[] state = vector.reset(100).state();
        for (int copy = 0; copy < 3; copy++) {
            float[] single = DistributedOptimizationEnv.withDefaults().reset(100 + copy).state();
            assertArrayEquals(single, Arrays.copyOfRange(state, copy * DIM, (copy + 1) * DIM));
        }
    }

    @Test
    void unseededResetContinuesEachCopysStream() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        env.reset(5);
        float[] second = env.reset(OptionalLong.empty(), Map.of()).state().clone();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < DIM; i++) {
            random.nextDouble();
        }
        float[] expected = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            expected[i] = (float) (random.nextDouble() * 2.0 - 1.0);
        }
        assertArrayEquals(expected, second);
    }

    @Test
    void initialParamsAcceptOneRowForAllCopiesOrOneRowPerCopy() {
        DistributedOptimizationEnv env = env(new VectorOptions(2, false, AutoresetMode.SAME_STEP));
        float[] row = filled(DIM, 0.5f);
        assertArrayEquals(filled(2 * DIM, 0.5f), env.reset(OptionalLong.empty(), row).state());
        float[] rows = new float[2 * DIM];
        Arrays.fill(rows, DIM, 2 * DIM, -0.25f);
        assertArrayEquals(rows, env.reset(OptionalLong.empty(), rows).state());
    }

    @Test
    void sameStepAutoresetReportsTheEndingTransitionAndTheNewEpisode() {
        DistributedOptimizationParams params = new DistributedOptimizationParams(4, DIM, 5.0, 2, 0.1);
        DistributedOptimizationEnv env = new DistributedOptimizationEnv(params,
                new VectorOptions(2, false, AutoresetMode.SAME_STEP));
        float[] initial = new float[2 * DIM];
        Arrays.fill(initial, 0, 10, 0.5f); // copy 0 at sum 5: terminates at once; copy 1 at 0
        env.reset(OptionalLong.of(11), initial);
        Transition first = env.step(zeroActions(2));
        assertTrue(first.terminated()[0]);
        assertFalse(first.terminated()[1] || first.truncated()[1]);
        assertEquals(-0f, first.reward(0)[0], 1e-6);
        float[] finalState = first.finalState();
        assertArrayEquals(Arrays.copyOfRange(initial, 0, DIM), Arrays.copyOfRange(finalState, 0, DIM));
        assertArrayEquals(new float[DIM], Arrays.copyOfRange(finalState, DIM, 2 * DIM), "running copy repeats its state");
        float[] redrawn = Arrays.copyOfRange(first.state(), 0, DIM);
        assertArrayEquals(DistributedOptimizationEnv.withDefaults().reset(11).state(), redrawn,
                "copy 0 continues its own stream seeded 11");
        assertEquals(0, first.episodeSteps()[0]);
        assertEquals(5.0, first.info(0)[0], 1e-6, "info describes the ending transition");

        Transition second = env.step(zeroActions(2));
        assertTrue(second.truncated()[1]);
        assertFalse(second.truncated()[0]);
        assertEquals(1, second.episodeSteps()[0]);
        env.reset(OptionalLong.of(1), new float[2 * DIM]);
        assertNull(env.step(zeroActions(2)).finalState(), "no copy ended");
    }

    @Test
    void nextStepAutoresetResetsOnTheFollowingStepIgnoringActions() {
        DistributedOptimizationParams params = new DistributedOptimizationParams(4, DIM, 5.0, 1, 0.1);
        DistributedOptimizationEnv env = new DistributedOptimizationEnv(params,
                new VectorOptions(1, true, AutoresetMode.NEXT_STEP));
        env.reset(OptionalLong.of(3), new float[DIM]);
        Transition ended = env.step(zeroActions(1));
        assertTrue(ended.truncated()[0]);
        assertFalse(ended.autoreset()[0]);
        assertArrayEquals(new float[DIM], ended.state(), "the ended state stays until the next step");
        float[][] ignored = zeroActions(1);
        ignored[0] = filled(BLOCK, 0.7f);
        Transition reset = env.step(ignored);
        assertTrue(reset.autoreset()[0]);
        assertEquals(0f, reset.reward(0)[0]);
        assertFalse(reset.terminated()[0] || reset.truncated()[0]);
        assertEquals(0, reset.episodeSteps()[0]);
        assertArrayEquals(filled(BLOCK, 0f), reset.rewardGradient(0));
        assertArrayEquals(DistributedOptimizationEnv.withDefaults().reset(3).state(), reset.state());
        assertFalse(env.step(zeroActions(1)).autoreset()[0]);
    }

    @Test
    void rejectedCallsLeaveTheEnvironmentUnchanged() {
        DistributedOptimizationEnv env = DistributedOptimizationEnv.withDefaults();
        assertThrows(EpisodeStateException.class, () -> env.step(zeroActions(1)));
        float[] start = env.reset(9).state().clone();

        float[][] nan = zeroActions(1);
        nan[2][3] = Float.NaN;
        EnvArgumentException nanError = assertThrows(EnvArgumentException.class, () -> env.step(nan));
        assertEquals("actions[2].values", nanError.field());
        assertTrue(nanError.getMessage().startsWith("agent_2 value 3"), nanError.getMessage());
        float[][] infinite = zeroActions(1);
        infinite[0][0] = Float.POSITIVE_INFINITY;
        assertThrows(EnvArgumentException.class, () -> env.step(infinite));
        EnvArgumentException count = assertThrows(EnvArgumentException.class, () -> env.step(new float[3][BLOCK]));
        assertEquals("actions", count.field());
        assertTrue(count.getMessage().contains("[agent_0, agent_1, agent_2, agent_3]"), count.getMessage());
        float[][] shortAction = zeroActions(1);
        shortAction[1] = new float[BLOCK - 1];
        assertEquals("actions[1].values",
                assertThrows(EnvArgumentException.class, () -> env.step(shortAction)).field());
        EnvArgumentException option = assertThrows(EnvArgumentException.class,
                () -> env.reset(OptionalLong.of(1), Map.of("initial_params", List.of(0.5))));
        assertEquals("options.initial_params", option.field());
        assertThrows(EnvArgumentException.class,
                () -> env.reset(OptionalLong.of(1), Map.of("initial_params", List.of(Double.NaN))));
        assertThrows(EnvArgumentException.class, () -> env.reset(OptionalLong.empty(), filled(DIM, 1.5f)));
        assertEquals("options.speed",
                assertThrows(EnvArgumentException.class, () -> env.reset(OptionalLong.of(1), Map.of("speed", 1.0))).field());

        Transition step = env.step(zeroActions(1));
        assertArrayEquals(start, step.state());
        assertEquals(1, step.episodeSteps()[0]);
    }

    private static Float[] box(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
