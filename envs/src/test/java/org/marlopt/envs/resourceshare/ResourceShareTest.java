package org.marlopt.envs.resourceshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.marlopt.envs.EnvChecks.zeroActions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.Part;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.EnvChecks;

class ResourceShareTest {

    private static final String ID = ResourceShare.ID;
    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final float INFINITY = Float.POSITIVE_INFINITY;

    /*
     * The hand case: two services, b = 1, lambda = (0.25, 0.49), mm1. The square-root allocation
     * gives c* = (0.775, 1.225) and F* = 8/7 (OptimalAllocationTest); the equal split costs
     * 0.25 / 0.75 + 0.49 / 0.51.
     */
    private static final double EQUAL_SPLIT_COST = 1.0 / 3 + 49.0 / 51;
    private static final double OPTIMAL_COST = 8.0 / 7;

    private static VectorEnv handEnv(Map<String, Object> more, boolean rewardGradient) {
        Map<String, Object> params = new HashMap<>(Map.of("num_agents", 2, "arrival_rates", List.of(0.25, 0.49),
                "message_size", 0));
        params.putAll(more);
        return REGISTRY.make(ID, params, new VectorOptions(1, rewardGradient, AutoresetMode.DISABLED));
    }

    private static double info(VectorEnv env, Transition transition, String key) {
        return transition.info(env.spec().env().infoIndex(key))[0];
    }

    @Test
    void specDeclaresTheDocumentedSpacesInfoAndChannel() {
        EnvSpec spec = REGISTRY.configure(ID, Map.of()).spec();
        assertEquals(8, spec.numAgents());
        AgentSpec agent = spec.agents().get(5);
        assertEquals("agent_5", agent.name());
        assertEquals(new Part(Part.OWN, 0, 4), agent.observationPart(Part.OWN));
        assertEquals(new Part(Part.INBOX, 4, 2 * (1 + 2)), agent.observationPart(Part.INBOX), "ring: 2 neighbours");
        float[] low = agent.observationSpace().low();
        float[] high = agent.observationSpace().high();
        assertArrayEquals(new float[] {0, 0, 0, -INFINITY}, Arrays.copyOf(low, 4));
        assertArrayEquals(new float[] {8, 1, INFINITY, INFINITY}, Arrays.copyOf(high, 4));
        assertEquals(BoxSpace.concat(BoxSpace.vector(1, -1f, 1f), BoxSpace.vector(2, -INFINITY, INFINITY)),
                agent.actionSpace(), "action in [-1, 1], then an unbounded message of 2");
        assertEquals(0, spec.sharedObservationSpace().size());
        assertEquals(BoxSpace.concat(BoxSpace.vector(8, 0f, 8f), BoxSpace.vector(8, 0f, 1f)), spec.stateSpace());
        assertEquals(200, spec.maxEpisodeSteps());
        assertEquals(List.of("score", "gap", "cost", "optimal_cost", "solved", "mean_response_time"), infoNames(spec));
        assertEquals("score", spec.scoreKey());
        assertEquals("solved", spec.successKey());
        assertTrue(spec.rewardGradientAvailable());
        assertEquals(List.of("score", "gap", "cost", "optimal_cost", "solved"),
                infoNames(REGISTRY.configure(ID, Map.of("cost", "quadratic")).spec()), "mm1 only: response time");
    }

    private static List<String> infoNames(EnvSpec spec) {
        return spec.info().stream().map(InfoSpec::name).toList();
    }

    @Test
    void resetStartsAtTheEqualSplitAndReportsTheOptimum() {
        VectorEnv env = handEnv(Map.of(), false);
        Transition reset = env.reset(1);
        assertArrayEquals(new float[] {1, 1, 0.25f, 0.49f}, reset.state());
        // [c, lambda, lambda / (c - lambda), -lambda / (c - lambda)^2]
        assertArrayEquals(new float[] {1, 0.25f, 1f / 3, -0.25f / 0.5625f}, reset.observation(0), 1e-7f);
        assertArrayEquals(new float[] {1, 0.49f, 0.49f / 0.51f, -0.49f / (0.51f * 0.51f)}, reset.observation(1),
                1e-6f);
        assertEquals(EQUAL_SPLIT_COST, info(env, reset, "cost"), 1e-14);
        assertEquals(OPTIMAL_COST, info(env, reset, "optimal_cost"), 1e-14);
        assertEquals(1.0, info(env, reset, "gap"), 1e-14);
        assertEquals(0.0, info(env, reset, "score"), 1e-14);
        assertEquals(0.0, info(env, reset, "solved"));
        assertEquals(EQUAL_SPLIT_COST / 0.74, info(env, reset, "mean_response_time"), 1e-14);
    }

    @Test
    void rewardIsMinusOneAtTheEqualSplitAndZeroAtTheOptimum() {
        VectorEnv env = handEnv(Map.of("step_size", 1.0), false);
        env.reset(1);
        Transition stay = env.step(zeroActions(env));
        assertEquals(-1f, stay.reward(0)[0]);
        assertEquals(-1f, stay.reward(1)[0]);
        Transition optimal = env.step(new float[][] {{-0.225f}, {0.225f}});
        assertArrayEquals(new float[] {0.775f, 1.225f}, Arrays.copyOf(optimal.state(), 2), 1e-7f);
        assertEquals(0f, optimal.reward(0)[0], 1e-9);
        assertEquals(OPTIMAL_COST, info(env, optimal, "cost"), 1e-12);
        assertEquals(1.0, info(env, optimal, "solved"));
    }

    @Test
    void stepMovesCapacitiesByStepSizeTimesBudgetAndProjects() {
        VectorEnv env = handEnv(Map.of("budget_per_service", 2.0, "arrival_rates", List.of(0.5, 0.98)), false);
        env.reset(1);
        assertArrayEquals(new float[] {2.1f, 1.9f}, Arrays.copyOf(env.step(new float[][] {{1}, {-1}}).state(), 2),
                "0.05 * b * a");
        assertArrayEquals(new float[] {2.1f, 1.9f}, Arrays.copyOf(env.step(new float[][] {{1}, {1}}).state(), 2),
                "equal moves leave the budget's split as it was");
        assertArrayEquals(new float[] {2.2f, 1.8f}, Arrays.copyOf(env.step(new float[][] {{3}, {-3}}).state(), 2),
                "actions are clipped to [-1, 1]");
    }

    @Test
    void aServicePushedBelowItsFloorIsPinnedThereWithZeroGradient() {
        VectorEnv env = handEnv(Map.of("arrival_rates", List.of(0.25, 0.9), "min_headroom", 0.01, "step_size", 1.0),
                true);
        env.reset(1);
        Transition step = env.step(new float[][] {{1}, {-1}}); // proposes (2, 0); the floor of service 1 is 0.91
        assertArrayEquals(new float[] {1.09f, 0.91f, 0.25f, 0.9f}, step.state(), 1e-7f);
        assertEquals(0f, step.rewardGradient(1)[0], 0f, "pinned on its floor");
        assertEquals(0f, step.rewardGradient(0)[0], 0f, "alone in the free set: nowhere to move to");
    }

    @Test
    void rewardGradientMatchesFiniteDifferencesOfTheReward() {
        for (String cost : List.of("mm1", "quadratic")) {
            Map<String, Object> params = Map.of("num_agents", 5, "cost", cost, "step_size", 0.2);
            SplittableRandom random = new SplittableRandom(8);
            VectorEnv probe = REGISTRY.make(ID, params, VectorOptions.single());
            float[][] warmUp = EnvChecks.randomActions(probe, random, 1);
            float[][] actions = EnvChecks.randomActions(probe, random, 0.8);
            actions[3][0] = 1.5f; // clipped to 1: its gradient must be 0
            EnvChecks.assertRewardGradientMatchesFiniteDifferences(
                    () -> REGISTRY.make(ID, params, new VectorOptions(1, true, AutoresetMode.DISABLED)),
                    env -> {
                        env.reset(6);
                        env.step(warmUp);
                    },
                    actions, 3e-3f, 1e-5);
        }
    }

    @Test
    void rewardGradientMatchesFiniteDifferencesWithAServiceOnItsFloor() {
        Map<String, Object> params = Map.of("num_agents", 4, "arrival_rates", List.of(0.1, 0.5, 0.9, 0.3),
                "min_headroom", 0.01, "step_size", 0.5, "message_size", 0);
        float[][] actions = {{0.3f}, {-0.2f}, {-1f}, {0.1f}}; // service 2 proposes 0.5, below its floor 0.91
        VectorEnv env = REGISTRY.make(ID, params, new VectorOptions(1, true, AutoresetMode.DISABLED));
        env.reset(1);
        Transition step = env.step(actions);
        assertEquals(0.91f, step.state()[2], 1e-7f);
        assertEquals(0f, step.rewardGradient(2)[0]);
        assertTrue(step.rewardGradient(0)[0] != 0f);
        EnvChecks.assertRewardGradientMatchesFiniteDifferences(
                () -> REGISTRY.make(ID, params, new VectorOptions(1, true, AutoresetMode.DISABLED)),
                fresh -> fresh.reset(1), actions, 3e-3f, 1e-5);
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        Map<String, Object> params = Map.of("max_episode_steps", 4, "message_delay", 1, "message_drop_probability",
                0.2, "step_size", 0.5);
        VectorOptions options = new VectorOptions(3, true, AutoresetMode.SAME_STEP);
        List<double[]> first = EnvChecks.rollout(REGISTRY.make(ID, params, options), 42, 12, 7);
        List<double[]> second = EnvChecks.rollout(REGISTRY.make(ID, params, options), 42, 12, 7);
        for (int call = 0; call < first.size(); call++) {
            assertArrayEquals(first.get(call), second.get(call), "call " + call);
        }
        List<double[]> otherSeed = EnvChecks.rollout(REGISTRY.make(ID, params, options), 43, 0, 7);
        assertFalse(Arrays.equals(first.get(0), otherSeed.get(0)));
    }

    @Test
    void copyIDrawsItsRatesFromTheStreamSeededSeedPlusI() {
        Map<String, Object> params = Map.of("num_agents", 3, "budget_per_service", 2.0, "load_min", 0.2,
                "load_max", 0.6);
        float[] state = REGISTRY.make(ID, params, new VectorOptions(2, false, null)).reset(100).state();
        for (int copy = 0; copy < 2; copy++) {
            SplittableRandom random = new SplittableRandom(100 + copy);
            for (int i = 0; i < 3; i++) {
                float rate = (float) ((0.2 + 0.4 * random.nextDouble()) * 2.0);
                assertEquals(rate, state[copy * 6 + 3 + i], "copy " + copy + " service " + i);
            }
        }
    }

    @Test
    void givenArrivalRatesHoldForEveryEpisode() {
        VectorEnv env = handEnv(Map.of(), false);
        float[] first = env.reset(1).state().clone();
        env.step(new float[][] {{1}, {-1}});
        assertArrayEquals(first, env.reset(OptionalLong.of(2), Map.of()).state());
    }

    @Test
    void observationsAndStateStayInTheDeclaredSpaces() {
        for (String cost : List.of("mm1", "quadratic")) {
            VectorEnv env = REGISTRY.make(ID, Map.of("cost", cost, "budget_per_service", 3.0, "step_size", 1.0,
                    "min_headroom", 0.01, "load_min", 0.01, "load_max", 0.99, "max_episode_steps", 7,
                    "topology", "complete"), new VectorOptions(4, false, AutoresetMode.SAME_STEP));
            SplittableRandom random = new SplittableRandom(5);
            EnvChecks.assertWithinSpaces(env, env.reset(5));
            for (int step = 0; step < 20; step++) {
                EnvChecks.assertWithinSpaces(env, env.step(EnvChecks.randomActions(env, random, 2)));
            }
        }
    }

    @Test
    void ignoresResetOptionsItDoesNotTake() {
        float[] plain = handEnv(Map.of(), false).reset(1).state().clone();
        VectorEnv env = handEnv(Map.of(), false);
        assertArrayEquals(plain, env.reset(OptionalLong.of(1), Map.of("arrival_rates", List.of(0.5, 0.5))).state());
    }

    @Test
    void rejectsBadParametersNamingTheParameter() {
        assertRejected(Map.of("load_min", 0.9, "load_max", 0.5), "params.load_min", "must not exceed load_max");
        assertRejected(Map.of("num_agents", 2, "arrival_rates", List.of(0.1, 0.2, 0.3)), "params.arrival_rates",
                "one rate per service");
        assertRejected(Map.of("num_agents", 2, "arrival_rates", List.of(0.5, 1.0), "cost", "quadratic",
                "min_headroom", 0.0), "params.arrival_rates", "arrival_rates[1] = 1.0");
        assertRejected(Map.of("num_agents", 2, "arrival_rates", List.of(0.995, 0.5), "min_headroom", 0.01),
                "params.arrival_rates", "at most (1 - min_headroom) * budget_per_service = 0.99");
        assertRejected(Map.of("num_agents", 2, "arrival_rates", List.of(0.0, 0.5)), "params.arrival_rates", "");
        assertRejected(Map.of("min_headroom", 0.0), "params.min_headroom", "or cost quadratic");
        assertRejected(Map.of("cost", "linear"), "params.cost", "[mm1, quadratic]");
        assertRejected(Map.of("step_size", 0.0), "params.step_size", "");
        assertRejected(Map.of("num_agents", 1), "params.num_agents", "");
        assertRejected(Map.of("success_gap", 2.0), "params.success_gap", "");
        // accepted (configure would throw otherwise): quadratic allows no headroom, so a rate just below b
        REGISTRY.configure(ID, Map.of("num_agents", 2, "arrival_rates", List.of(0.5, 0.999), "cost", "quadratic",
                "min_headroom", 0.0));
    }

    private static void assertRejected(Map<String, Object> params, String field, String hint) {
        EnvArgumentException error = assertThrows(EnvArgumentException.class, () -> REGISTRY.configure(ID, params));
        assertEquals(field, error.field());
        assertTrue(error.getMessage().contains(hint), error.getMessage());
    }

    @Test
    void neverTerminatesEvenAtTheOptimumAndTruncatesAtMaxEpisodeSteps() {
        VectorEnv env = handEnv(Map.of("step_size", 1.0, "max_episode_steps", 3), false);
        env.reset(1);
        float[][] toOptimum = {{-0.225f}, {0.225f}};
        for (int step = 1; step <= 3; step++) {
            Transition transition = env.step(step == 1 ? toOptimum : zeroActions(env));
            assertEquals(1.0, info(env, transition, "solved"));
            assertFalse(transition.terminated()[0]);
            assertEquals(step == 3, transition.truncated()[0], "step " + step);
        }
    }
}
