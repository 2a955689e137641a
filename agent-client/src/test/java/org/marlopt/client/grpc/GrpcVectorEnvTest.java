package org.marlopt.client.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.marlopt.client.job.Sessions;
import org.marlopt.client.train.TrainConfig;

/** The session's stream discipline against a real env server on loopback. */
class GrpcVectorEnvTest {

    static final TrainConfig CONFIG = TrainConfig.defaults().with(Map.of("numEnvs", 8));

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    private static float[] actions(GrpcVectorEnv session, float value) {
        float[] actions = new float[session.dims().numAgents() * session.dims().numEnvs() * session.dims().actionSize()];
        Arrays.fill(actions, value);
        return actions;
    }

    @Test
    void theServersErrorReplyLeavesTheSessionUsable() {
        try (GrpcVectorEnv session = Sessions.training(env.client, CONFIG)) {
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
        try (GrpcVectorEnv session = Sessions.training(env.client, CONFIG)) {
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
        try (GrpcVectorEnv fresh = Sessions.training(env.client, CONFIG)) {
            fresh.reset(1);
            fresh.step(actions(fresh, 0f));
        }
    }
}
