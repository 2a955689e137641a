package org.marlopt.envs.loadbalance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.EnvChecks;

/** Mode park against Park's park/envs/load_balance/load_balance.py and server.py, worked by hand. */
class ParkModeTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    private static double info(VectorEnv env, Transition transition, String key) {
        return transition.info(env.spec().env().infoIndex(key))[0];
    }

    private static float[][] choose(int server) {
        float[] scores = new float[2];
        scores[server] = 1f;
        return new float[][] {scores};
    }

    /*
     * Servers of rate 1 and 0.3; three jobs: A at 0 of size 2, B at 3 of size 2, C at 6 of size 5.
     * A to server 1 runs floor(2 / 0.3) = 6: 0..6. B to server 1 waits. At 6 A finishes as C
     * arrives: Park pops the arrival first, so the decision sees A running with no work left and B
     * queued with its whole size 2 (had A completed first, B would run for 6 and show 6 * 0.3 = 1.8).
     * C goes to server 0 (5 units, 6..11), the stream ends and the system drains: B runs 6..12.
     * Rewards: -(1 job x 3), -(2 jobs x 3), -(C 5 + B 6) = -11; return -20 = -(6 + 9 + 5), the
     * response times of A, B and C.
     */
    @Test
    void threeJobsFollowParksEventOrderByHand() {
        ScriptedJobs jobs = new ScriptedJobs(new double[] {0, 3, 6}, new double[] {2, 2, 5}, new int[3]);
        BatchedVectorEnv env = jobs.environment(Map.of("mode", "park", "service_rates", List.of(1.0, 0.3),
                "num_stream_jobs", 3));
        assertArrayEquals(new float[] {0, 0, 2}, env.reset(0).observation(0));

        Transition first = env.step(choose(1));
        assertEquals(-3, first.reward(0)[0]);
        assertArrayEquals(new float[] {0, (float) ((6 - 3) * 0.3), 2}, first.observation(0));

        Transition second = env.step(choose(1));
        assertEquals(-6, second.reward(0)[0]);
        assertArrayEquals(new float[] {0, 2, 5}, second.observation(0), "A done but not yet popped; B queued whole");
        assertEquals(2, info(env, second, "jobs_in_system"));
        assertFalse(second.terminated()[0]);

        Transition last = env.step(choose(0));
        assertEquals(-11, last.reward(0)[0]);
        assertTrue(last.terminated()[0], "Park's done: no events left and no incoming job");
        assertArrayEquals(new float[] {0, 0, 0}, last.observation(0));
        assertEquals(3, info(env, last, "jobs_completed"), "the drain completes all three");
        assertEquals(20, info(env, last, "episode_time_in_system"));
        assertEquals(20 / 3.0, info(env, last, "episode_mean_response_time"), 1e-12);
        assertEquals(0, info(env, last, "jobs_in_system"));
    }

    @Test
    void theActionsArgmaxIsTheServerLowestIndexOnTies() {
        assertEquals(2, ParkLoadBalanceCopy.argmax(new float[] {0.1f, 0.5f, 0.9f, 0.2f}));
        assertEquals(1, ParkLoadBalanceCopy.argmax(new float[] {0.1f, 0.7f, 0.7f, 0.7f}));
        assertEquals(0, ParkLoadBalanceCopy.argmax(new float[] {0f, 0f, 0f}));
    }

    /** Park's documented property: the rewards sum to minus the total time of all jobs in the system. */
    @Test
    void aDefaultEpisodeIsParksThousandJobsAndItsReturnIsMinusTheirTotalResponseTime() {
        VectorEnv env = REGISTRY.make("LoadBalance-v1", Map.of("mode", "park"), VectorOptions.single());
        env.reset(4);
        SplittableRandom random = new SplittableRandom(4);
        double episodeReturn = 0;
        Transition step = null;
        for (int decision = 1; decision <= 1000; decision++) {
            step = env.step(EnvChecks.randomActions(env, random, 1));
            EnvChecks.assertWithinSpaces(env, step);
            episodeReturn += step.reward(0)[0];
            assertEquals(decision == 1000, step.terminated()[0], "decision " + decision);
        }
        assertEquals(1000, info(env, step, "episode_jobs_completed"));
        double totalResponse = 1000 * info(env, step, "episode_mean_response_time");
        assertEquals(-totalResponse, episodeReturn, 1e-4 * totalResponse);
        assertEquals(totalResponse, info(env, step, "episode_time_in_system"), 1e-9 * totalResponse);
    }
}
