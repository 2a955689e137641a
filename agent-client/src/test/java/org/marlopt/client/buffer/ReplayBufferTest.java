package org.marlopt.client.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;

/**
 * The replay buffer on the seed with 2 agents owning one parameter each, target 0 and 2-step
 * episodes: copy 0 cancels its parameters (terminates at once), copy 1 stands still (truncated
 * after 2 steps). The state is the parameter vector, which is also the shared observation.
 */
class ReplayBufferTest {

    static EnvServerFixture env;

    @BeforeAll
    static void startServer() throws IOException {
        env = new EnvServerFixture();
    }

    @AfterAll
    static void stopServer() {
        env.close();
    }

    private static EnvSession session() {
        return env.client.open(new SessionRequest("DistributedOptimization-v1", Map.of("num_agents", "2",
                "param_dim", "2", "target", "0", "max_episode_steps", "2", "success_threshold", "0.01"), 2, false));
    }

    /** Copy 0 cancels its parameters with its agents' actions (target 0 reached), copy 1 stands still. */
    private static float[][] cancelInCopyZero(float[] state) {
        return new float[][] {{-state[0], 0f}, {-state[1], 0f}};
    }

    /** Two steps: copy 0 terminates in the first, copy 1 is truncated in the second. */
    private static ReplayBuffer twoSteps(EnvSession session, float[] start) {
        ReplayBuffer buffer = new ReplayBuffer(session.spec(), 10);
        buffer.observe(session);
        float[][] actions = cancelInCopyZero(start);
        session.step(actions);
        buffer.add(session, actions);
        assertTrue(session.terminated()[0] && !session.truncated()[0], "copy 0 terminated");
        assertFalse(session.terminated()[1] || session.truncated()[1], "copy 1 goes on");
        buffer.observe(session);
        float[][] zero = {{0f, 0f}, {0f, 0f}};
        session.step(zero);
        buffer.add(session, zero);
        assertTrue(session.truncated()[1] && !session.terminated()[1], "copy 1 truncated");
        assertFalse(Arrays.equals(start, 2, 4, session.state(), 2, 4), "copy 1 was reset");
        return buffer;
    }

    @Test
    void anEndedEpisodeBootstrapsFromItsFinalStateAndOnlyTerminationIsTermination() {
        try (EnvSession session = session()) {
            session.reset(7);
            float[] start = session.state().clone();
            ReplayBuffer buffer = twoSteps(session, start);
            assertEquals(4, buffer.size());
            ReplayBuffer.Batch batch = buffer.newBatch(64);
            buffer.sample(new SplittableRandom(1), batch);
            int terminated = 0;
            int truncatedCopy = 0;
            for (int row = 0; row < 64; row++) {
                float[] state = Arrays.copyOfRange(batch.states(), 2 * row, 2 * row + 2);
                float[] next = Arrays.copyOfRange(batch.nextStates(), 2 * row, 2 * row + 2);
                if (batch.terminated()[row] == 1f) {
                    terminated++;
                    assertArrayEquals(Arrays.copyOfRange(start, 0, 2), state);
                    assertArrayEquals(new float[] {0f, 0f}, next, 1e-6f, "the state copy 0 ended in, not its reset");
                    assertArrayEquals(new float[] {-start[0], -start[1]}, Arrays.copyOfRange(batch.actions(),
                            2 * row, 2 * row + 2), "the joint action, agent by agent");
                    assertEquals(0f, batch.rewards()[2 * row], 1e-6f);
                } else {
                    assertArrayEquals(state, next, "standing still: the next state is the one the copy ended in");
                    truncatedCopy += Arrays.equals(state, Arrays.copyOfRange(start, 2, 4)) ? 1 : 0;
                }
                for (int agent = 0; agent < 2; agent++) {
                    int at = (agent * 64 + row) * 2;
                    assertArrayEquals(state, Arrays.copyOfRange(batch.observations(), at, at + 2));
                    assertArrayEquals(next, Arrays.copyOfRange(batch.nextObservations(), at, at + 2));
                }
            }
            assertTrue(terminated > 0 && truncatedCopy > 0 && terminated + truncatedCopy < 64,
                    "all kinds sampled: " + terminated + " terminated, " + truncatedCopy + " of copy 1");
        }
    }

    @Test
    void samplingIsDeterminedByTheSeedAndSurvivesSaveAndRestore() {
        try (EnvSession session = session(); NDManager manager = NDManager.newBaseManager()) {
            session.reset(11);
            ReplayBuffer buffer = twoSteps(session, session.state().clone());
            ReplayBuffer restored = new ReplayBuffer(session.spec(), 10);
            restored.restore(buffer.save(manager));
            ReplayBuffer.Batch first = buffer.newBatch(32);
            ReplayBuffer.Batch again = restored.newBatch(32);
            ReplayBuffer.Batch other = buffer.newBatch(32);
            buffer.sample(new SplittableRandom(5), first);
            restored.sample(new SplittableRandom(5), again);
            buffer.sample(new SplittableRandom(6), other);
            assertArrayEquals(first.states(), again.states());
            assertArrayEquals(first.nextObservations(), again.nextObservations());
            assertArrayEquals(first.terminated(), again.terminated());
            assertFalse(Arrays.equals(first.states(), other.states()), "another seed, another batch");
        }
    }
}
