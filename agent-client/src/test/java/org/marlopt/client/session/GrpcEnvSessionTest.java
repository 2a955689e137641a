package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.ToyEnv;
import org.marlopt.env.Part;
import org.marlopt.env.ScoreReference;

/** Sessions read from the server's spec, and the session's stream discipline, against a real env server. */
class GrpcEnvSessionTest {

    static final String SEED = "DistributedOptimization-v1";
    static final String LEAST_SQUARES = "DistributedLeastSquares-v1";

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    private static EnvSession open(String envId, Map<String, String> params, int copies) {
        return env.client.open(new SessionRequest(envId, params, copies, false));
    }

    private static float[][] actions(EnvSession session, float value) {
        float[][] actions = new float[session.spec().numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[session.spec().numEnvs() * session.spec().actionSize(agent)];
            Arrays.fill(actions[agent], value);
        }
        return actions;
    }

    @Test
    void theSpecGivesEveryAgentsSizesPartsAndTheEnvironmentsKeys() {
        try (EnvSession session = open(LEAST_SQUARES, Map.of("dim", "3", "message_size", "6"), 2)) {
            SessionSpec spec = session.spec();
            assertEquals(8, spec.numAgents());
            assertEquals(2, spec.numEnvs());
            assertEquals(0, spec.sharedSize());
            // own: [x_i, g_i], then a ring inbox of 2 slots of (flag + 6)
            assertEquals(2 * 3 + 2 * 7, spec.observationSize(0));
            assertEquals(new Part(Part.INBOX, 6, 14), spec.agent(0).observationPart(Part.INBOX));
            assertEquals(3 + 6, spec.actionSize(0));
            assertEquals(3, spec.envActionSize(0));
            assertEquals(1f, spec.agent(0).actionSpace().high()[0]);
            assertEquals(Float.POSITIVE_INFINITY, spec.agent(0).actionSpace().high()[3], "messages are unbounded");
            assertEquals("score", spec.scoreKey());
            assertNull(spec.scoreReference(), "the score key normalises it");
            assertEquals("solved", spec.successKey());
            assertEquals(3L, spec.env().params().asMap().get("dim"));
            assertEquals(2.0 / 3, spec.env().comm().graph().weight(0, 1) + spec.env().comm().graph().weight(0, 7), 1e-12,
                    "Metropolis-Hastings weights 1/3 on a ring");
            assertTrue(spec.env().rewardGradientAvailable());
        }
        try (EnvSession session = open(SEED, Map.of(), 1)) {
            assertEquals(20, session.spec().observationSize(3), "the seed's parameters are the shared observation");
            assertEquals(0, session.spec().ownSize(3));
            assertNull(session.spec().scoreKey());
            assertEquals(new ScoreReference("zero", "oracle", "optimum"), session.spec().scoreReference());
        }
    }

    @Test
    void everyAgentHasItsOwnRewardAndInfoKeepsItsDeclaredSizes() {
        try (EnvSession session = open(ToyEnv.ID, Map.of("num_agents", "3"), 2)) {
            session.reset(1);
            assertArrayEquals(new boolean[] {true, true}, session.episodeStart());
            float[][] actions = actions(session, 0.5f);
            session.step(actions);
            assertArrayEquals(new float[] {0.5f, 0.5f}, session.rewards(0));
            assertArrayEquals(new float[] {1.5f, 1.5f}, session.rewards(2));
            assertArrayEquals(new double[] {1.5, 1.5}, session.info("total"));
            assertEquals(6, session.info("actions").length, "3 values per copy");
            assertArrayEquals(new boolean[] {false, false}, session.episodeStart());
            var unknown = assertThrows(IllegalArgumentException.class, () -> session.info("cost"));
            assertTrue(unknown.getMessage().contains("[total, actions]"), unknown.getMessage());
        }
    }

    /** Same-step autoreset: the step that ends an episode returns the new episode, and the final_* fields the end. */
    @Test
    void aCopyThatEndsKeepsWhatItEndedInAsItsFinalObservationAndState() {
        try (EnvSession session = open(SEED, Map.of("max_episode_steps", "1"), 3)) {
            session.reset(7);
            float[] start = session.sharedObservation().clone();
            float[][] actions = actions(session, 0f);
            actions[0][0] = 0.25f; // copy 0, agent 0, parameter 0
            session.step(actions);
            assertArrayEquals(new boolean[] {true, true, true}, session.truncated());
            assertArrayEquals(new boolean[] {true, true, true}, session.episodeStart());
            float[] ended = start.clone();
            ended[0] = Math.max(-1f, Math.min(1f, ended[0] + 0.25f));
            assertArrayEquals(ended, session.finalSharedObservation());
            assertArrayEquals(ended, session.finalState());
            assertFalse(Arrays.equals(ended, session.sharedObservation()), "the new episode starts elsewhere");
            assertArrayEquals(session.sharedObservation(), session.state());
        }
        try (EnvSession session = open(LEAST_SQUARES, Map.of("max_episode_steps", "1", "dim", "2"), 1)) {
            session.reset(7);
            float[][] actions = actions(session, 0f);
            actions[3][0] = 0.5f; // agent 3 moves its estimate x = 0 by (0.5, 0)
            session.step(actions);
            assertEquals(0.5f, session.finalOwnObservation(3)[0], "the episode ended at x_3 = (0.5, 0)");
            assertEquals(0f, session.ownObservation(3)[0], "the new episode starts at x = 0");
            assertEquals(0f, session.finalOwnObservation(2)[0]);
        }
    }

    @Test
    void theServersErrorReplyLeavesTheSessionUsable() {
        try (EnvSession session = open(SEED, Map.of(), 8)) {
            session.reset(1);
            EnvCallException rejected = assertThrows(EnvCallException.class,
                    () -> session.step(actions(session, Float.NaN)));
            assertEquals(Status.Code.INVALID_ARGUMENT, rejected.code(), rejected.getMessage());
            session.step(actions(session, 0f)); // the next answer is this step's, not a stale one
            session.reset(2);
            session.step(actions(session, 0f));
        }
    }

    /**
     * A failure other than the server's error reply (here an interrupt while waiting; a timeout
     * takes the same path) may leave an answer in flight, so the session is broken: later calls
     * fail at once with a clear message instead of reading the previous request's answer.
     */
    @Test
    void aFailedExchangeBreaksTheSessionSoLaterCallsFailFast() {
        try (EnvSession session = open(SEED, Map.of(), 8)) {
            session.reset(1);
            Thread.currentThread().interrupt();
            EnvCallException interrupted;
            try {
                interrupted = assertThrows(EnvCallException.class, () -> session.reset(2));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            }
            assertEquals(Status.Code.CANCELLED, interrupted.code(), interrupted.getMessage());

            EnvCallException step = assertThrows(EnvCallException.class, () -> session.step(actions(session, 0f)));
            assertEquals(Status.Code.FAILED_PRECONDITION, step.code());
            assertTrue(step.getMessage().contains("broken") && step.getMessage().contains("make a new session")
                    && step.getMessage().contains("interrupted"), step.getMessage());
            EnvCallException reset = assertThrows(EnvCallException.class, () -> session.reset(3));
            assertTrue(reset.getMessage().contains("make a new session"), reset.getMessage());
        }
        assertFalse(Thread.currentThread().isInterrupted());
        try (EnvSession fresh = open(SEED, Map.of(), 8)) {
            fresh.reset(1);
            fresh.step(actions(fresh, 0f));
        }
    }

    @Test
    void anUnknownEnvironmentOrParameterFailsBeforeAnythingIsSentWithTheClosestName() {
        var env = assertThrows(IllegalArgumentException.class, () -> open("ResourceShare-v2", Map.of(), 1));
        assertTrue(env.getMessage().contains("did you mean 'ResourceShare-v1'?"), env.getMessage());
        var param = assertThrows(IllegalArgumentException.class, () -> open(SEED, Map.of("paramdim", "8"), 1));
        assertTrue(param.getMessage().contains("did you mean 'param_dim'?"), param.getMessage());
        var combination = assertThrows(EnvCallException.class, () -> open(SEED, Map.of("param_dim", "21"), 1));
        assertEquals(Status.Code.INVALID_ARGUMENT, combination.code(), "the server checks combinations");
    }
}
