package org.marlopt.env.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.Part;
import org.marlopt.env.VectorOptions;

/** The message channel through the vector layer: 4 agents on a ring, messages of 2 values. */
class MessageChannelTest {

    private static final EnvRegistry REGISTRY = new EnvRegistry(List.of(new CounterEnv()));
    private static final int AGENTS = 4;

    private static BatchedVectorEnv ring(int delay, double dropProbability) {
        Map<String, Object> params = new HashMap<>(Map.of("num_agents", AGENTS, "message_size", 2,
                "message_delay", delay, "message_drop_probability", dropProbability, "max_episode_steps", 100));
        return REGISTRY.make(CounterEnv.ID, params, new VectorOptions(1, false, AutoresetMode.DISABLED));
    }

    /** Agent i moves by 0 and sends [step * 10 + i, -i]. */
    private static float[][] messages(int step) {
        float[][] actions = new float[AGENTS][];
        for (int agent = 0; agent < AGENTS; agent++) {
            actions[agent] = new float[] {0f, step * 10 + agent, -agent};
        }
        return actions;
    }

    /** The inbox slots of {@code agent}: [flag, m0, m1] per in-neighbour. */
    private static float[] inbox(BatchedVectorEnv env, Transition transition, int agent) {
        AgentSpec spec = env.spec().env().agents().get(agent);
        Part inbox = spec.observationPart(Part.INBOX);
        return Arrays.copyOfRange(transition.observation(agent), inbox.offset(), inbox.end());
    }

    @Test
    void theSpecDeclaresInboxAndMessageParts() {
        AgentSpec agent = ring(0, 0).spec().env().agents().get(0);
        assertEquals(List.of(new Part(Part.OWN, 0, 1), new Part(Part.INBOX, 1, 6)), agent.observationParts());
        assertEquals(List.of(new Part(Part.ACTION, 0, 1), new Part(Part.MESSAGE, 1, 2)), agent.actionParts());
        assertEquals(7, agent.observationSpace().size());
    }

    @Test
    void aMessageReachesExactlyTheOutNeighboursInTheStepItWasSent() {
        BatchedVectorEnv env = ring(0, 0);
        Transition reset = env.reset(1);
        assertArrayEquals(new float[6], inbox(env, reset, 0), "a reset empties the inbox");
        Transition step = env.step(messages(1));
        // on a ring of 4, agent 0 hears agents 1 and 3, in increasing index
        assertArrayEquals(new float[] {1, 11, -1, 1, 13, -3}, inbox(env, step, 0));
        assertArrayEquals(new float[] {1, 10, 0, 1, 12, -2}, inbox(env, step, 1));
        assertArrayEquals(new float[] {1, 11, -1, 1, 13, -3}, inbox(env, step, 2));
    }

    @Test
    void messagesAreClippedIntoTheMessageBounds() {
        BatchedVectorEnv env = ring(0, 0);
        env.reset(1);
        Transition step = env.step(messages(50)); // agent 1 sends 501, above the bound 100
        assertEquals(100f, inbox(env, step, 0)[1]);
    }

    @Test
    void aDelayedMessageArrivesThatManyStepsLater() {
        BatchedVectorEnv env = ring(1, 0);
        env.reset(1);
        assertArrayEquals(new float[6], inbox(env, env.step(messages(1)), 0), "nothing sent a step earlier");
        assertArrayEquals(new float[] {1, 11, -1, 1, 13, -3}, inbox(env, env.step(messages(2)), 0));
        env.reset(1);
        assertArrayEquals(new float[6], inbox(env, env.step(messages(3)), 0), "a reset drops what was in flight");
    }

    @Test
    void lostMessagesLeaveAnEmptySlotAndDropsAreReproducibleUnderTheSeed() {
        BatchedVectorEnv lossy = ring(0, 1.0);
        lossy.reset(1);
        assertArrayEquals(new float[6], inbox(lossy, lossy.step(messages(1)), 0));

        float[] firstRun = dropPattern(ring(0, 0.5));
        assertArrayEquals(firstRun, dropPattern(ring(0, 0.5)));
        assertNotEquals(0f, sum(firstRun), "some arrive");
        assertNotEquals(firstRun.length, sum(firstRun), "some are lost");
    }

    private static float[] dropPattern(BatchedVectorEnv env) {
        env.reset(42);
        float[] flags = new float[40];
        for (int step = 0; step < 20; step++) {
            float[] inbox = inbox(env, env.step(messages(step)), 0);
            flags[2 * step] = inbox[0];
            flags[2 * step + 1] = inbox[3];
        }
        return flags;
    }

    private static float sum(float[] values) {
        float sum = 0;
        for (float value : values) {
            sum += value;
        }
        return sum;
    }
}
