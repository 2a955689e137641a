package org.marlopt.envs.loadbalance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.EnvChecks;

class LoadBalanceTest {

    private static final String ID = LoadBalance.ID;
    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    private static double info(VectorEnv env, Transition transition, String key) {
        return transition.info(env.spec().env().infoIndex(key))[0];
    }

    /** One dispatcher's weights, message included, as the only agent's action. */
    private static float[][] weights(float... weights) {
        return new float[][] {weights};
    }

    @Test
    void specDeclaresTheDocumentedSpacesAndInfo() {
        EnvSpec spec = REGISTRY.configure(ID, Map.of()).spec();
        assertEquals(4, spec.numAgents());
        assertEquals("dispatcher_3", spec.agents().get(3).name());
        assertEquals(20, spec.agents().get(0).envActionSize() + 10, "action: 10 weights");
        assertEquals(20 + 2 * (1 + 2), spec.agents().get(0).observationSpace().size(),
                "10 queue lengths, 10 works, then the ring inbox of 2 neighbours' 2-value messages");
        assertEquals(20, spec.stateSpace().size());
        assertEquals(500, spec.maxEpisodeSteps());
        assertEquals(List.of("mean_response_time", "p99_response_time", "jobs_completed", "jobs_in_system",
                "episode_mean_response_time", "episode_p99_response_time", "episode_jobs_completed",
                "episode_time_in_system", "utilisation"), spec.info().stream().map(InfoSpec::name).toList());
        assertEquals(10, spec.info().get(LoadBalance.UTILISATION).size());
        EnvSpec park = REGISTRY.configure(ID, Map.of("mode", "park")).spec();
        assertEquals(1, park.numAgents());
        assertEquals(11, park.agents().get(0).observationSpace().size(), "10 works and the job size, no inbox");
        assertEquals(1000, park.maxEpisodeSteps());
    }

    @Test
    void theSameSeedGivesTheSameEpisodeAndAnotherSeedAnother() {
        VectorEnv env = REGISTRY.make(ID, Map.of(), new VectorOptions(3, false, null));
        List<double[]> first = EnvChecks.rollout(env, 7, 200, 1);
        List<double[]> again = EnvChecks.rollout(env, 7, 200, 1);
        List<double[]> other = EnvChecks.rollout(env, 8, 200, 1);
        for (int step = 0; step < first.size(); step++) {
            assertArrayEquals(first.get(step), again.get(step), "step " + step);
        }
        assertFalse(Arrays.equals(first.get(200), other.get(200)), "seed 8 gives another episode");
    }

    /*
     * The hand case: one server of rate 0.5, epochs of 4. Job 1 arrives at 1 with size 2 (service
     * 4: it runs 1..5), job 2 at 2 with size 1 (service 2: it waits, then runs 5..7), job 3 at 13
     * with size 3 (runs 13..19).
     *   epoch [0, 4): jobs x time 3 + 2 = 5; at 4 two jobs, work 7 - 4 = 3; busy 1..4: 0.75
     *   epoch [4, 8): 1 + 3 = 4; job 1 done (response 4), job 2 done (5); busy 4..7: 0.75
     *   epoch [8, 12): nothing
     *   epoch [12, 16): 3; one job with work 3 left; busy 13..16: 0.75
     *   epoch [16, 20): 3; job 3 done (response 6)
     */
    @Test
    void oneServerFollowsFifoByHand() {
        ScriptedJobs jobs = new ScriptedJobs(new double[] {1, 2, 13}, new double[] {2, 1, 3}, new int[] {0, 0, 0});
        BatchedVectorEnv env = jobs.environment(Map.of("service_rates", List.of(0.5), "num_dispatchers", 1,
                "epoch", 4.0, "message_size", 0));
        env.reset(0);
        double[][] expected = {
            // reward, jobs_in_system, work, utilisation, jobs_completed, mean_response_time, p99
            {-5, 2, 3, 0.75, 0, 0, 0},
            {-4, 0, 0, 0.75, 2, 4.5, 5},
            {0, 0, 0, 0, 0, 0, 0},
            {-3, 1, 3, 0.75, 0, 0, 0}};
        for (double[] epoch : expected) {
            Transition step = env.step(weights(1f));
            assertEquals(epoch[0], step.reward(0)[0], 1e-9);
            assertEquals(epoch[1], info(env, step, "jobs_in_system"));
            assertEquals(epoch[1], step.observation(0)[0], "queue length");
            assertEquals(epoch[2], step.observation(0)[1], 1e-9, "unfinished work");
            assertEquals(epoch[3], step.info(LoadBalance.UTILISATION)[0], 1e-12);
            assertEquals(epoch[4], info(env, step, "jobs_completed"));
            assertEquals(epoch[5], info(env, step, "mean_response_time"), 1e-12);
            assertEquals(epoch[6], info(env, step, "p99_response_time"), "nearest rank: the larger of two");
        }
        Transition last = env.step(weights(1f));
        assertEquals(12 + 3, info(env, last, "episode_time_in_system"), 1e-9, "5 + 4 + 0 + 3, then 16..19");
        assertEquals(3, info(env, last, "episode_jobs_completed"), "job 3 left at 19");
        assertEquals((4 + 5 + 6) / 3.0, info(env, last, "episode_mean_response_time"), 1e-12);
    }

    @Test
    void weightedRoundRobinSpreadsJobsExactlyByTheWeights() {
        double[] times = {1, 2, 3, 4, 5, 6};
        double[] sizes = new double[6];
        Arrays.fill(sizes, 1e6);
        ScriptedJobs jobs = new ScriptedJobs(times, sizes, new int[6]);
        Map<String, Object> params = Map.of("service_rates", List.of(1.0, 1.0, 1.0), "num_dispatchers", 1,
                "epoch", 10.0, "message_size", 0, "routing", "weighted_round_robin");
        BatchedVectorEnv env = jobs.environment(params);
        env.reset(0);
        assertArrayEquals(new float[] {2, 2, 2}, Arrays.copyOf(env.step(weights(1f, 1f, 1f)).state(), 3),
                "equal weights: exact round robin");
        env.reset(0);
        assertArrayEquals(new float[] {4, 2, 0}, Arrays.copyOf(env.step(weights(1f, 0.5f, 0f)).state(), 3),
                "weights 2 : 1 : 0: a, b, a, a, b, a");
    }

    /** Dispatcher k sees fresh values of the servers j = k mod K and the previous epoch's of the others. */
    @Test
    void aDispatcherSeesOnlyItsOwnServersFresh() {
        VectorEnv env = REGISTRY.make(ID, Map.of("message_size", 0, "load", 0.95), VectorOptions.single());
        SplittableRandom random = new SplittableRandom(3);
        float[] previous = env.reset(3).state().clone();
        int staleDiffers = 0;
        for (int step = 0; step < 300; step++) {
            Transition transition = env.step(EnvChecks.randomActions(env, random, 1));
            float[] fresh = transition.state();
            for (int k = 0; k < 4; k++) {
                float[] seen = transition.observation(k);
                for (int j = 0; j < 10; j++) {
                    float[] expected = j % 4 == k ? fresh : previous;
                    assertEquals(expected[j], seen[j], "dispatcher " + k + " queue of server " + j);
                    assertEquals(expected[10 + j], seen[10 + j], "dispatcher " + k + " work of server " + j);
                }
            }
            staleDiffers += fresh[0] != previous[0] ? 1 : 0;
            previous = fresh.clone();
        }
        assertTrue(staleDiffers > 20, "the check needs values that change: " + staleDiffers);
        VectorEnv full = REGISTRY.make(ID, Map.of("message_size", 0, "fresh_information", true),
                VectorOptions.single());
        full.reset(3);
        for (int step = 0; step < 50; step++) {
            Transition transition = full.step(EnvChecks.randomActions(full, random, 1));
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(transition.state(), transition.observation(k), "fresh_information");
            }
        }
    }

    /*
     * One server of rate 1, Pareto sizes of shape 4 and scale 1 (E[S] = 4/3, E[S^2] = 2), load 0.5:
     * an M/G/1 queue with lambda = 0.375. Pollaczek-Khinchine: W = E[S] + lambda E[S^2] / (2 (1 - rho))
     * = 4/3 + 0.75 = 2.0833; Little: L = lambda W = 0.78125.
     */
    @Test
    void oneServerMatchesPollaczekKhinchineAndLittlesLaw() {
        VectorEnv env = REGISTRY.make(ID, Map.of("service_rates", List.of(1.0), "num_dispatchers", 1,
                "job_size_shape", 4.0, "job_size_scale", 1.0, "load", 0.5, "epoch", 10.0, "message_size", 0,
                "max_episode_steps", 30_000), VectorOptions.single());
        env.reset(11);
        float[][] uniform = EnvChecks.zeroActions(env);
        Transition last = null;
        for (int step = 0; step < 30_000; step++) {
            last = env.step(uniform);
        }
        double horizon = 300_000;
        double meanResponse = info(env, last, "episode_mean_response_time");
        double meanInSystem = info(env, last, "episode_time_in_system") / horizon;
        double arrivalRate = info(env, last, "episode_jobs_completed") / horizon;
        assertEquals(0.375, arrivalRate, 0.375 * 0.02);
        assertEquals(2.0833, meanResponse, 2.0833 * 0.05);
        assertEquals(0.78125, meanInSystem, 0.78125 * 0.05);
        assertEquals(arrivalRate * meanResponse, meanInSystem, meanInSystem * 0.01, "Little's law");
    }

    @Test
    void badParametersNameTheFieldAndTheFix() {
        assertRejected(Map.of("num_dispatchers", 11), "params.num_dispatchers", "lower num_dispatchers");
        assertRejected(Map.of("load", 1.2), "params.load", "[0.01, 0.99]");
        assertRejected(Map.of("routing", "least_connections"), "params.routing", "weighted_round_robin");
        assertRejected(Map.of("service_rates", List.of()), "params.service_rates", "1");
    }

    private static void assertRejected(Map<String, Object> params, String field, String hint) {
        EnvArgumentException error = assertThrows(EnvArgumentException.class, () -> REGISTRY.configure(ID, params));
        assertEquals(field, error.field());
        assertTrue(error.getMessage().contains(hint), error.getMessage());
    }

    @Test
    void aStepDoesNotAllocateInSteadyState() {
        VectorEnv env = REGISTRY.make(ID, Map.of("max_episode_steps", 1_000_000), new VectorOptions(4, false, null));
        env.reset(5);
        float[][] actions = EnvChecks.randomActions(env, new SplittableRandom(5), 1);
        for (int step = 0; step < 20_000; step++) {
            env.step(actions);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int step = 0; step < 1_000; step++) {
            env.step(actions);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4_096, "1000 steps allocated " + allocated + " bytes");
    }
}
