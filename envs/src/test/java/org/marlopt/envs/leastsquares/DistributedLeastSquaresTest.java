package org.marlopt.envs.leastsquares;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.marlopt.envs.EnvChecks.zeroActions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.Part;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.EnvChecks;

class DistributedLeastSquaresTest {

    private static final String ID = DistributedLeastSquares.ID;
    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    /*
     * The hand case: two agents, two rows each, dim 2. A_1 = I, b_1 = (1, 0); A_2 = [[1, 1], [1, -1]],
     * b_2 = (2, 0). Normal equations: G = A_1^T A_1 + A_2^T A_2 = 3 I, h = (1, 0) + (2, 2) = (3, 2),
     * so x* = (1, 2/3); F* = ||(0, 2/3)||^2 + ||(-1/3, 1/3)||^2 = 2/3; F(0) = 5; D = 13/3.
     */
    private static final List<Double> HAND_A = List.of(1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, -1.0);
    private static final List<Double> HAND_B = List.of(1.0, 0.0, 2.0, 0.0);
    private static final double HAND_D = 13.0 / 3;
    private static final Map<String, Object> HAND_PARAMS = Map.of("num_agents", 2, "dim", 2, "rows", 2,
            "message_size", 0);

    private static VectorEnv handEnv(boolean rewardGradient) {
        return REGISTRY.make(ID, HAND_PARAMS, new VectorOptions(1, rewardGradient, AutoresetMode.DISABLED));
    }

    /** Resets to the hand case with starting estimates {@code x0} (null: all 0). */
    private static Transition resetHand(VectorEnv env, List<Double> x0) {
        Map<String, Object> options = new HashMap<>(Map.of("A", HAND_A, "b", HAND_B));
        if (x0 != null) {
            options.put("x0", x0);
        }
        return env.reset(OptionalLong.of(1), options);
    }

    private static double info(VectorEnv env, Transition transition, String key) {
        return transition.info(env.spec().env().infoIndex(key))[0];
    }

    @Test
    void specDeclaresTheDocumentedSpacesInfoAndChannel() {
        EnvSpec spec = REGISTRY.configure(ID, Map.of()).spec();
        assertEquals(8, spec.numAgents());
        AgentSpec agent = spec.agents().get(3);
        assertEquals("agent_3", agent.name());
        assertEquals(new Part(Part.OWN, 0, 8), agent.observationPart(Part.OWN));
        assertEquals(new Part(Part.INBOX, 8, 2 * (1 + 8)), agent.observationPart(Part.INBOX), "ring: 2 neighbours");
        assertEquals(new Part(Part.ACTION, 0, 4), agent.actionPart(Part.ACTION));
        assertEquals(new Part(Part.MESSAGE, 4, 8), agent.actionPart(Part.MESSAGE), "message_size 2 * dim");
        float[] low = agent.actionSpace().low();
        float[] high = agent.actionSpace().high();
        assertEquals(-1f, low[0]);
        assertEquals(1f, high[3]);
        assertEquals(Float.NEGATIVE_INFINITY, low[4], "messages are unbounded");
        assertEquals(Float.POSITIVE_INFINITY, agent.observationSpace().high()[0]);
        assertEquals(0, spec.sharedObservationSpace().size());
        assertEquals(8 * 4 + 4, spec.stateSpace().size());
        assertEquals(200, spec.maxEpisodeSteps());
        assertEquals(List.of("mean_gap", "gap", "consensus_error", "distance_to_optimum", "score", "solved"),
                spec.info().stream().map(InfoSpec::name).toList());
        assertEquals("score", spec.scoreKey());
        assertEquals("solved", spec.successKey());
        assertTrue(spec.rewardGradientAvailable());
        assertEquals("ring", spec.comm().topology());
    }

    @Test
    void resetSolvesTheHandCaseNormalEquations() {
        VectorEnv env = handEnv(false);
        Transition reset = resetHand(env, null);
        float[] state = reset.state();
        assertArrayEquals(new float[] {0, 0, 0, 0}, Arrays.copyOf(state, 4));
        assertEquals(1.0, state[4], 1e-7);
        assertEquals(2.0 / 3, state[5], 1e-7);
        // grad f_i(0) = -2 A_i^T b_i
        assertArrayEquals(new float[] {0, 0, -2, 0}, reset.observation(0));
        assertArrayEquals(new float[] {0, 0, -4, -4}, reset.observation(1));
        assertEquals(1.0, info(env, reset, "mean_gap"), 1e-12);
        assertEquals(1.0, info(env, reset, "gap"), 1e-12);
        assertEquals(0.0, info(env, reset, "score"), 1e-12);
        assertEquals(0.0, info(env, reset, "consensus_error"));
        assertEquals(Math.sqrt(1 + 4.0 / 9), info(env, reset, "distance_to_optimum"), 1e-12);
        assertEquals(0.0, info(env, reset, "solved"));
    }

    @Test
    void infoAndRewardMatchHandComputedGaps() {
        VectorEnv env = handEnv(false);
        // x_1 = (1, 0): F = 0 + ||(1, 1) - (2, 0)||^2 = 2, so F - F* = 4/3; x_2 = 0: F - F* = 13/3
        Transition reset = resetHand(env, List.of(1.0, 0.0, 0.0, 0.0));
        double meanGap = (4.0 / 3 + 13.0 / 3) / 2 / HAND_D;
        assertEquals(17.0 / 26, meanGap, 1e-15);
        assertEquals(meanGap, info(env, reset, "mean_gap"), 1e-12);
        assertEquals(1 - meanGap, info(env, reset, "score"), 1e-12);
        // xbar = (1/2, 0): F(xbar) - F* = 3 ||(-1/2, -2/3)||^2 = 25/12
        assertEquals(25.0 / 12 / HAND_D, info(env, reset, "gap"), 1e-12);
        assertEquals(0.25, info(env, reset, "consensus_error"), 1e-12);
        assertEquals(Math.sqrt(13) / 3, info(env, reset, "distance_to_optimum"), 1e-12);
        assertArrayEquals(new float[] {1, 0, 0, 0}, reset.observation(0), "x_1 solves agent 1's own problem");
        Transition step = env.step(zeroActions(env));
        assertEquals((float) -meanGap, step.reward(0)[0]);
        assertEquals((float) -meanGap, step.reward(1)[0], "the reward is shared");
    }

    @Test
    void rewardIsMinusOneAtZeroAndZeroAtTheOptimum() {
        VectorEnv env = handEnv(false);
        resetHand(env, null);
        Transition atZero = env.step(zeroActions(env));
        assertEquals(-1f, atZero.reward(0)[0]);
        assertEquals(-1f, atZero.reward(1)[0]);

        resetHand(env, List.of(1.0, 2.0 / 3, 1.0, 2.0 / 3));
        Transition atOptimum = env.step(zeroActions(env));
        assertEquals(0f, atOptimum.reward(0)[0], 1e-12);
        assertEquals(1.0, info(env, atOptimum, "score"), 1e-12);
        assertEquals(1.0, info(env, atOptimum, "solved"));

        resetHand(env, null);
        float[][] toOptimum = {{1f, 2f / 3}, {1f, 2f / 3}};
        assertEquals(0f, env.step(toOptimum).reward(0)[0], 1e-6, "one float step away from the optimum");
    }

    @Test
    void stepAddsTheClippedActionToTheAgentsOwnEstimate() {
        Map<String, Object> params = new HashMap<>(HAND_PARAMS);
        params.put("max_step", 0.5);
        VectorEnv env = REGISTRY.make(ID, params, VectorOptions.single());
        resetHand(env, List.of(0.0, 0.0, 1.0, 1.0));
        Transition step = env.step(new float[][] {{0.25f, 3f}, {-1f, 0f}});
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.5f, 1f}, Arrays.copyOf(step.state(), 4));
        assertArrayEquals(new float[] {0.25f, 0.5f}, Arrays.copyOf(step.observation(0), 2));
        assertArrayEquals(new float[] {0.5f, 1f}, Arrays.copyOf(step.observation(1), 2));
    }

    @Test
    void rewardGradientIsTheTeamCostGradientOverND() {
        VectorEnv env = handEnv(true);
        resetHand(env, List.of(1.0, 0.0, 0.0, 0.0));
        Transition step = env.step(zeroActions(env));
        // -(1 / (N D)) 2 G (x_i - x*) = -(3 / 26) 6 (x_i - x*)
        assertArrayEquals(new float[] {0f, 6f / 13}, step.rewardGradient(0), 1e-7f);
        assertArrayEquals(new float[] {9f / 13, 6f / 13}, step.rewardGradient(1), 1e-7f);
    }

    @Test
    void rewardGradientMatchesFiniteDifferencesOfTheReward() {
        Map<String, Object> params = Map.of("num_agents", 4, "dim", 3, "rows", 2, "message_size", 6);
        SplittableRandom random = new SplittableRandom(17);
        VectorEnv probe = REGISTRY.make(ID, params, VectorOptions.single());
        float[][] warmUp = EnvChecks.randomActions(probe, random, 0.5);
        float[][] actions = EnvChecks.randomActions(probe, random, 0.5);
        actions[2][1] = 1.7f; // clipped to max_step 1: its gradient must be 0
        EnvChecks.assertRewardGradientMatchesFiniteDifferences(
                () -> REGISTRY.make(ID, params, new VectorOptions(1, true, AutoresetMode.DISABLED)),
                env -> {
                    env.reset(3);
                    env.step(warmUp);
                },
                actions, 1e-2f, 1e-4);
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        Map<String, Object> params = Map.of("max_episode_steps", 4, "message_delay", 1);
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
    void copyIIsSeededSeedPlusI() {
        float[] batch = REGISTRY.make(ID, Map.of(), new VectorOptions(3, false, null)).reset(100).state().clone();
        int stateSize = 8 * 4 + 4;
        for (int copy = 0; copy < 3; copy++) {
            float[] single = REGISTRY.make(ID, Map.of(), VectorOptions.single()).reset(100 + copy).state();
            assertArrayEquals(single, Arrays.copyOfRange(batch, copy * stateSize, (copy + 1) * stateSize));
        }
    }

    /** Draws x_true, then A, then the noise, each by Box-Muller on pairs of nextDouble, as documented. */
    @Test
    void drawsFollowTheDocumentedOrder() {
        int agents = 3;
        int rows = 2;
        int dim = 3;
        double noise = 0.5;
        SplittableRandom random = new SplittableRandom(9);
        double[] trueSolution = boxMuller(random, dim, 1);
        double[] matrices = boxMuller(random, agents * rows * dim, 1 / Math.sqrt(rows));
        double[] targets = boxMuller(random, agents * rows, noise);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int row = 0; row < agents * rows; row++) {
            for (int k = 0; k < dim; k++) {
                a.add(matrices[row * dim + k]);
                targets[row] += matrices[row * dim + k] * trueSolution[k];
            }
            b.add(targets[row]);
        }
        Map<String, Object> params = Map.of("num_agents", agents, "rows", rows, "dim", dim, "noise", noise);
        VectorEnv drawn = REGISTRY.make(ID, params, VectorOptions.single());
        VectorEnv given = REGISTRY.make(ID, params, VectorOptions.single());
        Transition fromSeed = drawn.reset(9);
        Transition fromOptions = given.reset(OptionalLong.of(0), Map.of("A", a, "b", b));
        assertArrayEquals(fromOptions.state(), fromSeed.state(), 1e-6f);
        for (int agent = 0; agent < agents; agent++) {
            assertArrayEquals(fromOptions.observation(agent), fromSeed.observation(agent), 1e-6f);
        }
    }

    private static double[] boxMuller(SplittableRandom random, int count, double standardDeviation) {
        double[] values = new double[count];
        for (int i = 0; i < count; i += 2) {
            double radius = standardDeviation * Math.sqrt(-2 * Math.log(1 - random.nextDouble()));
            double angle = 2 * Math.PI * random.nextDouble();
            values[i] = radius * Math.cos(angle);
            if (i + 1 < count) {
                values[i + 1] = radius * Math.sin(angle);
            }
        }
        return values;
    }

    @Test
    void observationsAndStateStayInTheDeclaredSpaces() {
        VectorEnv env = REGISTRY.make(ID, Map.of("num_agents", 5, "max_episode_steps", 6, "message_drop_probability",
                0.3), new VectorOptions(4, false, AutoresetMode.SAME_STEP));
        SplittableRandom random = new SplittableRandom(5);
        EnvChecks.assertWithinSpaces(env, env.reset(5));
        for (int step = 0; step < 20; step++) {
            EnvChecks.assertWithinSpaces(env, env.step(EnvChecks.randomActions(env, random, 3)));
        }
    }

    @Test
    void givenProblemDoesNotAdvanceTheRandomStream() {
        VectorEnv env = REGISTRY.make(ID, HAND_PARAMS, VectorOptions.single());
        resetHand(env, null); // seed 1, problem from the options
        float[] next = env.reset(OptionalLong.empty(), Map.of()).state().clone();
        float[] firstDraw = REGISTRY.make(ID, HAND_PARAMS, VectorOptions.single()).reset(1).state();
        assertArrayEquals(firstDraw, next);
    }

    @Test
    void startingEstimatesAloneKeepTheDrawnProblem() {
        VectorEnv env = REGISTRY.make(ID, HAND_PARAMS, VectorOptions.single());
        float[] drawn = env.reset(4).state().clone();
        float[] started = env.reset(OptionalLong.of(4), Map.of("x0", List.of(1, 2, 3, 4))).state();
        assertArrayEquals(new float[] {1, 2, 3, 4}, Arrays.copyOf(started, 4));
        assertArrayEquals(Arrays.copyOfRange(drawn, 4, 6), Arrays.copyOfRange(started, 4, 6), "same x*");
    }

    @Test
    void rejectsMalformedResetOptionsNamingTheKeyAndChangesNothing() {
        VectorEnv env = handEnv(false);
        float[] before = resetHand(env, List.of(0.5, 0.5, 0.5, 0.5)).state().clone();
        List<Double> shortA = HAND_A.subList(0, 7);
        List<Double> nanB = Arrays.asList(1.0, Double.NaN, 2.0, 0.0);
        List<Double> singularA = List.of(1.0, 0.0, 2.0, 0.0, 1.0, 0.0, -1.0, 0.0); // every row along e_1
        assertRejected(env, Map.of("A", HAND_A), "options.b", "go together");
        assertRejected(env, Map.of("b", HAND_B), "options.A", "go together");
        assertRejected(env, Map.of("A", shortA, "b", HAND_B), "options.A", "list of 8 numbers");
        assertRejected(env, Map.of("A", HAND_A, "b", nanB), "options.b", "b[1] is NaN");
        assertRejected(env, Map.of("x0", "zero"), "options.x0", "list of 4 numbers");
        assertRejected(env, Map.of("x0", List.of(1.0, 2.0, 3.0)), "options.x0", "list of 4 numbers");
        assertRejected(env, Map.of("A", singularA, "b", HAND_B), "options.A", "singular");
        Transition step = env.step(zeroActions(env));
        assertArrayEquals(before, step.state(), "the rejected resets changed nothing");
        assertEquals(1, step.episodeSteps()[0]);
    }

    private static void assertRejected(VectorEnv env, Map<String, Object> options, String field, String hint) {
        EnvArgumentException error = assertThrows(EnvArgumentException.class,
                () -> env.reset(OptionalLong.of(2), options));
        assertEquals(field, error.field());
        assertTrue(error.getMessage().contains(hint), error.getMessage());
    }

    @Test
    void rejectsBadParametersNamingTheParameter() {
        EnvArgumentException tooFewRows = assertThrows(EnvArgumentException.class,
                () -> REGISTRY.configure(ID, Map.of("num_agents", 2, "rows", 1, "dim", 3)));
        assertEquals("params.rows", tooFewRows.field());
        assertTrue(tooFewRows.getMessage().contains("raise rows to at least 2"), tooFewRows.getMessage());
        assertEquals(List.of("params.dim", "params.max_step", "params.num_agents", "params.noise",
                        "params.success_gap", "params.topology"),
                List.of(Map.of("dim", 65), Map.of("max_step", 0), Map.of("num_agents", 1), Map.of("noise", -1),
                        Map.of("success_gap", 0), Map.of("topology", "star")).stream()
                        .map(params -> assertThrows(EnvArgumentException.class,
                                () -> REGISTRY.configure(ID, params)).field())
                        .toList());
        assertEquals(2 * 3, REGISTRY.configure(ID, Map.of("num_agents", 3, "rows", 1, "dim", 3)).spec()
                .agents().get(0).observationPart(Part.OWN).size(), "num_agents * rows = dim is enough");
    }

    @Test
    void neverTerminatesEvenAtTheOptimumAndTruncatesAtMaxEpisodeSteps() {
        Map<String, Object> params = new HashMap<>(HAND_PARAMS);
        params.put("max_episode_steps", 3);
        VectorEnv env = REGISTRY.make(ID, params, VectorOptions.single());
        resetHand(env, List.of(1.0, 2.0 / 3, 1.0, 2.0 / 3));
        for (int step = 1; step <= 3; step++) {
            Transition transition = env.step(zeroActions(env));
            assertFalse(transition.terminated()[0]);
            assertEquals(step == 3, transition.truncated()[0], "step " + step);
        }
    }
}
