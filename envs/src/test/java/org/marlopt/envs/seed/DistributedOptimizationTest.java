package org.marlopt.envs.seed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.EpisodeStateException;
import org.marlopt.env.VectorEnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;

/**
 * The seed environment through the registry, as every client meets it. Ported from env-server's
 * DistributedOptimizationEnvTest and DistributedOptimizationParamsTest: the behaviour is the
 * old one (same draws, rewards, gradients, termination and autoreset), except that the
 * parameter vector is now the shared observation and agents have no own observation.
 */
class DistributedOptimizationTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final String ID = DistributedOptimization.ID;
    private static final int DIM = 20;
    private static final int BLOCK = 5;

    private static VectorEnv env(Map<String, ?> params, VectorOptions options) {
        return REGISTRY.make(ID, params, options);
    }

    private static VectorEnv withDefaults() {
        return env(Map.of(), VectorOptions.single());
    }

    private static VectorEnv envWithGradient() {
        return env(Map.of(), new VectorOptions(1, true, AutoresetMode.DISABLED));
    }

    /** Reset with the "initial_params" option: one row for every copy, or one row per copy. */
    private static Transition reset(VectorEnv env, OptionalLong seed, float[] initial) {
        List<Double> values = new ArrayList<>();
        for (float value : initial) {
            values.add((double) value);
        }
        return env.reset(seed, Map.of("initial_params", values));
    }

    private static float[][] zeroActions(int numEnvs) {
        return new float[4][numEnvs * BLOCK];
    }

    private static float[] filled(int size, float value) {
        float[] values = new float[size];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void defaultsAreTheSeedSetting() {
        VectorEnvSpec spec = env(Map.of(), new VectorOptions(1, false, null)).spec();
        assertEquals("DistributedOptimization-v1", spec.envId());
        assertEquals(List.of("agent_0", "agent_1", "agent_2", "agent_3"),
                spec.env().agents().stream().map(AgentSpec::name).toList());
        assertEquals(DIM, spec.env().sharedObservationSpace().size());
        assertEquals(0, spec.env().agents().get(0).observationSpace().size(), "the vector is shared, not own");
        assertEquals(BLOCK, spec.env().agents().get(2).actionSpace().size());
        assertEquals(DIM, spec.env().stateSpace().size());
        assertEquals(50, spec.env().maxEpisodeSteps());
        assertEquals(Map.of("num_agents", 4L, "param_dim", 20L, "target", 5.0, "max_episode_steps", 50L,
                "success_threshold", 0.1), spec.env().params().asMap());
        assertEquals(AutoresetMode.DISABLED, spec.options().autoresetMode());
        assertFalse(spec.env().comm().enabled());
        assertTrue(spec.env().rewardGradientAvailable());
        assertEquals("solved", spec.env().successKey());
    }

    @Test
    void configureGivesTheSpecOfEveryVectorEnvMadeFromIt() {
        Map<String, Integer> params = Map.of("num_agents", 2, "param_dim", 6);
        VectorOptions options = new VectorOptions(3, true, AutoresetMode.SAME_STEP);
        ConfiguredEnv configured = REGISTRY.configure(ID, params);
        VectorEnv env = new BatchedVectorEnv(configured, options);
        assertEquals(configured.spec(), env.spec().env());
        assertEquals(env(params, options).spec(), env.spec());
        assertEquals(3, configured.spec().agents().get(1).envActionSize());
        assertThrows(EnvArgumentException.class, () -> REGISTRY.configure(ID, Map.of("num_agents", 0)));
    }

    @Test
    void resetDrawsUniformlyInTheBoxAndTheVectorIsTheSharedObservation() {
        Transition reset = withDefaults().reset(7);
        float[] state = reset.state();
        assertEquals(DIM, state.length);
        for (float value : state) {
            assertTrue(value >= -1f && value <= 1f, "value " + value + " outside [-1, 1]");
        }
        assertTrue(Arrays.stream(box(state)).distinct().count() > 15, "draws should differ");
        assertArrayEquals(state, reset.sharedObservation());
        for (int agent = 0; agent < 4; agent++) {
            assertEquals(0, reset.observation(agent).length);
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
    void drawsAreTheSeedsNextDoubleTimesTwoMinusOne() {
        float[] state = withDefaults().reset(7).state();
        SplittableRandom random = new SplittableRandom(7);
        float[] expected = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            expected[j] = (float) (random.nextDouble() * 2.0 - 1.0);
        }
        assertArrayEquals(expected, state);
    }

    @Test
    void eachAgentMovesOnlyItsOwnBlockAndRewardIsNegativeDistance() {
        VectorEnv env = withDefaults();
        reset(env, OptionalLong.empty(), new float[DIM]);
        float[][] actions = zeroActions(1);
        actions[1] = filled(BLOCK, 0.25f);
        Transition step = env.step(actions);
        float[] expected = new float[DIM];
        Arrays.fill(expected, 5, 10, 0.25f);
        assertArrayEquals(expected, step.state());
        assertArrayEquals(expected, step.sharedObservation());
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
        VectorEnv env = withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 5, 0.9f);
        Arrays.fill(initial, 5, 10, -0.9f);
        reset(env, OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[0] = new float[] {0.5f, 0.1f, -2.5f, 100f, 0f};
        actions[1] = new float[] {-0.5f, -0.1f, 2.5f, -1e30f, 0f};
        float[] state = env.step(actions).state();
        assertArrayEquals(new float[] {1f, 1f, -1f, 1f, 0.9f}, Arrays.copyOfRange(state, 0, 5));
        assertArrayEquals(new float[] {-1f, -1f, 1f, -1f, -0.9f}, Arrays.copyOfRange(state, 5, 10));
    }

    @Test
    void terminatesWhenDistanceFallsBelowThreshold() {
        VectorEnv env = withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 10, 0.5f); // sum 5.0 after the step below moves it to 4.95
        reset(env, OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[3][0] = -0.05f;
        Transition step = env.step(actions);
        assertEquals(0.05, step.info(1)[0], 1e-6);
        assertTrue(step.terminated()[0]);
        assertFalse(step.truncated()[0]);
        assertEquals(1.0, step.info(2)[0], "solved");
        EpisodeStateException after = assertThrows(EpisodeStateException.class, () -> env.step(zeroActions(1)));
        assertTrue(after.getMessage().contains("Reset"), after.getMessage());
    }

    @Test
    void distanceAtOrAboveThresholdDoesNotTerminate() {
        VectorEnv env = withDefaults();
        float[] initial = new float[DIM];
        Arrays.fill(initial, 0, 10, 0.48f); // sum 4.8: distance 0.2
        reset(env, OptionalLong.empty(), initial);
        assertFalse(env.step(zeroActions(1)).terminated()[0]);
    }

    @Test
    void truncatesAtMaxEpisodeSteps() {
        VectorEnv env = withDefaults();
        reset(env, OptionalLong.empty(), new float[DIM]); // sum 0, far from 5 with zero actions
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
        VectorEnv env = envWithGradient();
        float[] initial = new float[DIM];
        initial[0] = 0.9f;
        initial[1] = 1f;
        initial[2] = -0.9f;
        reset(env, OptionalLong.empty(), initial);
        float[][] actions = zeroActions(1);
        actions[0] = new float[] {0.5f, 0f, -0.1f, 0.2f, 0f}; // clip binds element 0 only
        Transition step = env.step(actions); // sum 2.2 < target 5: d reward / d a = +1
        assertArrayEquals(new float[] {0f, 1f, 1f, 1f, 1f}, step.rewardGradient(0));
        assertArrayEquals(filled(BLOCK, 1f), step.rewardGradient(1));
    }

    @Test
    void rewardGradientIsNegativeAboveTargetAndZeroAtIt() {
        VectorEnv above = env(Map.of("target", -1.0), new VectorOptions(1, true, AutoresetMode.DISABLED));
        reset(above, OptionalLong.empty(), new float[DIM]); // sum 0 > target -1
        float[][] actions = zeroActions(1);
        actions[2] = new float[] {0f, 0f, 0f, 1.5f, -1.5f}; // 1.5 and -1.5 hit the clip
        assertArrayEquals(new float[] {-1f, -1f, -1f, 0f, 0f}, above.step(actions).rewardGradient(2));

        VectorEnv at = env(Map.of("target", 0.0), new VectorOptions(1, true, AutoresetMode.DISABLED));
        reset(at, OptionalLong.empty(), new float[DIM]);
        Transition step = at.step(zeroActions(1));
        for (int agent = 0; agent < 4; agent++) {
            for (float value : step.rewardGradient(agent)) {
                assertEquals(0, Float.floatToIntBits(value), "sign(0) = +0");
            }
        }
    }

    @Test
    void gradientIsAbsentUnlessAsked() {
        VectorEnv env = withDefaults();
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
        VectorEnv env = env(Map.of(), new VectorOptions(3, true, AutoresetMode.SAME_STEP));
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
        VectorEnv vector = env(Map.of(), new VectorOptions(3, false, AutoresetMode.SAME_STEP));
        float[] state = vector.reset(100).state();
        for (int copy = 0; copy < 3; copy++) {
            float[] single = withDefaults().reset(100 + copy).state();
            assertArrayEquals(single, Arrays.copyOfRange(state, copy * DIM, (copy + 1) * DIM));
        }
    }

    @Test
    void unseededResetContinuesEachCopysStream() {
        VectorEnv env = withDefaults();
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
        VectorEnv env = env(Map.of(), new VectorOptions(2, false, AutoresetMode.SAME_STEP));
        float[] row = filled(DIM, 0.5f);
        assertArrayEquals(filled(2 * DIM, 0.5f), reset(env, OptionalLong.empty(), row).state());
        float[] rows = new float[2 * DIM];
        Arrays.fill(rows, DIM, 2 * DIM, -0.25f);
        assertArrayEquals(rows, reset(env, OptionalLong.empty(), rows).state());
    }

    @Test
    void sameStepAutoresetReportsTheEndingTransitionAndTheNewEpisode() {
        VectorEnv env = env(Map.of("max_episode_steps", 2), new VectorOptions(2, false, AutoresetMode.SAME_STEP));
        float[] initial = new float[2 * DIM];
        Arrays.fill(initial, 0, 10, 0.5f); // copy 0 at sum 5: terminates at once; copy 1 at 0
        reset(env, OptionalLong.of(11), initial);
        Transition first = env.step(zeroActions(2));
        assertTrue(first.terminated()[0]);
        assertFalse(first.terminated()[1] || first.truncated()[1]);
        assertEquals(-0f, first.reward(0)[0], 1e-6);
        float[] finalState = first.finalState();
        assertArrayEquals(Arrays.copyOfRange(initial, 0, DIM), Arrays.copyOfRange(finalState, 0, DIM));
        assertArrayEquals(new float[DIM], Arrays.copyOfRange(finalState, DIM, 2 * DIM), "running copy repeats its state");
        assertArrayEquals(finalState, first.finalSharedObservation());
        float[] redrawn = Arrays.copyOfRange(first.state(), 0, DIM);
        assertArrayEquals(withDefaults().reset(11).state(), redrawn, "copy 0 continues its own stream seeded 11");
        assertEquals(0, first.episodeSteps()[0]);
        assertEquals(5.0, first.info(0)[0], 1e-6, "info describes the ending transition");

        Transition second = env.step(zeroActions(2));
        assertTrue(second.truncated()[1]);
        assertFalse(second.truncated()[0]);
        assertEquals(1, second.episodeSteps()[0]);
        reset(env, OptionalLong.of(1), new float[2 * DIM]);
        assertNull(env.step(zeroActions(2)).finalState(), "no copy ended");
    }

    @Test
    void nextStepAutoresetResetsOnTheFollowingStepIgnoringActions() {
        VectorEnv env = env(Map.of("max_episode_steps", 1), new VectorOptions(1, true, AutoresetMode.NEXT_STEP));
        reset(env, OptionalLong.of(3), new float[DIM]);
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
        assertArrayEquals(withDefaults().reset(3).state(), reset.state());
        assertFalse(env.step(zeroActions(1)).autoreset()[0]);
    }

    @Test
    void rejectedCallsLeaveTheEnvironmentUnchanged() {
        VectorEnv env = withDefaults();
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
        assertThrows(EnvArgumentException.class, () -> reset(env, OptionalLong.empty(), filled(DIM, 1.5f)));

        Transition step = env.step(zeroActions(1));
        assertArrayEquals(start, step.state());
        assertEquals(1, step.episodeSteps()[0]);
    }

    @Test
    void missingParametersTakeTheSeedDefaults() {
        assertEquals(Map.of("num_agents", 4L, "param_dim", 20L, "target", 5.0, "max_episode_steps", 50L,
                "success_threshold", 0.1), REGISTRY.configure(ID, Map.of()).spec().params().asMap());
        assertEquals(Map.of("num_agents", 2L, "param_dim", 20L, "target", 3.0, "max_episode_steps", 50L,
                "success_threshold", 0.1),
                REGISTRY.configure(ID, Map.of("num_agents", 2.0, "target", 3.0)).spec().params().asMap());
    }

    @Test
    void rejectsBadValuesNamingTheParameter() {
        EnvArgumentException divisible = rejected(Map.of("param_dim", 21.0));
        assertEquals("params.param_dim", divisible.field());
        assertTrue(divisible.getMessage().contains("divisible by num_agents"), divisible.getMessage());
        assertEquals("params.num_agents", rejected(Map.of("num_agents", 0.0)).field());
        assertEquals("params.param_dim", rejected(Map.of("param_dim", -4.0)).field());
        assertEquals("params.max_episode_steps", rejected(Map.of("max_episode_steps", 0.0)).field());
        assertEquals("params.target", rejected(Map.of("target", Double.NaN)).field());
        assertEquals("params.target", rejected(Map.of("target", Double.POSITIVE_INFINITY)).field());
        assertEquals("params.success_threshold", rejected(Map.of("success_threshold", 0.0)).field());
        assertEquals("params.num_agents", rejected(Map.of("num_agents", 2.5)).field());
        assertEquals("params.param_dim", rejected(Map.of("param_dim", 1e12)).field());
        EnvArgumentException unknown = rejected(Map.of("speed", 1.0));
        assertEquals("params.speed", unknown.field());
        assertTrue(unknown.getMessage().contains("num_agents"), "lists the accepted names");
    }

    private static EnvArgumentException rejected(Map<String, Double> params) {
        return assertThrows(EnvArgumentException.class, () -> REGISTRY.configure(ID, params));
    }

    @Test
    void registryRejectsUnknownIds() {
        EnvArgumentException unknown = assertThrows(EnvArgumentException.class, () -> REGISTRY.get("CartPole-v1"));
        assertEquals("env_id", unknown.field());
        assertTrue(unknown.getMessage().contains("DistributedOptimization-v1"));
    }

    private static Float[] box(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
