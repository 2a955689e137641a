package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.env.InfoSpec;

/** A session split into shards answers bit for bit as one session over all copies. */
class ShardedEnvSessionTest {

    /** Reward gradients, an info key per agent, a lossy message channel, short episodes (autoresets). */
    static final SessionRequest REQUEST = new SessionRequest("DistributedLeastSquares-v1",
            Map.of("max_episode_steps", "6", "message_drop_probability", "0.3"), 7, true);

    static EnvServerFixture env;
    static EnvClient sharded;

    @BeforeAll
    static void start() throws IOException {
        env = new EnvServerFixture();
        sharded = EnvClient.connect(env.target(), Duration.ofSeconds(30), List.of());
        sharded.setShards(3);
    }

    @AfterAll
    static void stop() {
        sharded.close();
        env.close();
    }

    @Test
    void shardsSplitTheCopiesContiguouslyBySizesDifferingByAtMostOne() {
        assertArrayEquals(new int[] {0, 3, 5, 7}, ShardedEnvSession.firstCopies(7, 3));
        assertArrayEquals(new int[] {0, 2, 4, 6}, ShardedEnvSession.firstCopies(6, 3));
        assertArrayEquals(new int[] {0, 1, 2}, ShardedEnvSession.firstCopies(2, 2));
    }

    @Test
    void threeShardsAnswerAsOneSessionOverManySteps() {
        try (EnvSession one = env.client.open(REQUEST); EnvSession three = sharded.open(REQUEST)) {
            assertInstanceOf(ShardedEnvSession.class, three);
            assertTrue(one.spec().sameEnv(three.spec()));
            assertEquals(one.spec().numEnvs(), three.spec().numEnvs());
            assertEquals(3, env.server.activeSessions() - 1, "one stream per shard");
            SplittableRandom random = new SplittableRandom(5);
            for (long seed : new long[] {11, 1234}) {
                one.reset(seed);
                three.reset(seed);
                assertSame(one, three, "reset " + seed);
                for (int step = 0; step < 20; step++) {
                    float[][] actions = randomActions(one.spec(), random);
                    one.step(actions);
                    three.step(actions);
                    assertSame(one, three, "step " + step + " after reset " + seed);
                }
            }
        }
    }

    @Test
    void aShardCountAboveTheCopiesIsClampedToOneShardPerCopy() {
        SessionRequest two = new SessionRequest(REQUEST.envId(), REQUEST.params(), 2, false);
        int before = env.server.activeSessions();
        try (EnvSession session = sharded.open(two)) {
            assertEquals(2, session.spec().numEnvs());
            assertEquals(before + 2, env.server.activeSessions());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sharded.requireShardsAtMost(2, "the training session (numEnvs)"));
        assertTrue(e.getMessage().contains("--shards 1..2"), e.getMessage());
    }

    @Test
    void wrongActionsAreRefusedBeforeAnyShardSteps() {
        try (EnvSession three = sharded.open(REQUEST)) {
            three.reset(1);
            float[][] actions = randomActions(three.spec(), new SplittableRandom(1));
            actions[1] = new float[actions[1].length - 1];
            assertThrows(IllegalArgumentException.class, () -> three.step(actions));
            three.step(randomActions(three.spec(), new SplittableRandom(1))); // still usable
        }
    }

    private static float[][] randomActions(SessionSpec spec, SplittableRandom random) {
        float[][] actions = new float[spec.numAgents()][];
        for (int agent = 0; agent < actions.length; agent++) {
            actions[agent] = new float[spec.numEnvs() * spec.actionSize(agent)];
            for (int i = 0; i < actions[agent].length; i++) {
                actions[agent][i] = (float) random.nextDouble(-1.5, 1.5);
            }
        }
        return actions;
    }

    private static void assertSame(EnvSession expected, EnvSession actual, String when) {
        SessionSpec spec = expected.spec();
        assertArrayEquals(expected.sharedObservation(), actual.sharedObservation(), when);
        assertArrayEquals(expected.finalSharedObservation(), actual.finalSharedObservation(), when);
        assertArrayEquals(expected.state(), actual.state(), when);
        assertArrayEquals(expected.finalState(), actual.finalState(), when);
        assertArrayEquals(expected.terminated(), actual.terminated(), when);
        assertArrayEquals(expected.truncated(), actual.truncated(), when);
        assertArrayEquals(expected.episodeStart(), actual.episodeStart(), when);
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            assertArrayEquals(expected.ownObservation(agent), actual.ownObservation(agent), when);
            assertArrayEquals(expected.finalOwnObservation(agent), actual.finalOwnObservation(agent), when);
            assertArrayEquals(expected.rewards(agent), actual.rewards(agent), when);
            assertArrayEquals(expected.rewardGradient(agent), actual.rewardGradient(agent), when);
        }
        for (InfoSpec key : spec.env().info()) {
            assertArrayEquals(expected.info(key.name()), actual.info(key.name()), when + ", info " + key.name());
        }
    }
}
