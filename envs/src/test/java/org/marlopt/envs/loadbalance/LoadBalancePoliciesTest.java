package org.marlopt.envs.loadbalance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.PolicyDriver;

class LoadBalancePoliciesTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final PolicyCatalog CATALOG = PolicyCatalog.discover();
    private static final List<String> BASELINES =
            List.of("round-robin", "proportional", "jsq", "power-of-two", "least-work-left");
    private static final int COPIES = 8;

    /** jsq-fresh only where every dispatcher sees fresh values (so that a run's evaluation of all policies can run it). */
    @Test
    void theCatalogOffersTheBaselinesForTheMultiModeOnly() {
        EnvSpec multi = REGISTRY.configure(LoadBalance.ID, Map.of()).spec();
        assertEquals(BASELINES, CATALOG.supporting(multi).stream().map(PolicyDefinition::name).toList());
        EnvSpec fresh = REGISTRY.configure(LoadBalance.ID, Map.of("fresh_information", true)).spec();
        List<String> withFresh = new java.util.ArrayList<>(BASELINES);
        withFresh.add(3, JoinShortestQueueFresh.NAME);
        assertEquals(withFresh, CATALOG.supporting(fresh).stream().map(PolicyDefinition::name).toList());
        EnvSpec park = REGISTRY.configure(LoadBalance.ID, Map.of("mode", "park")).spec();
        assertEquals(List.of(), CATALOG.supporting(park));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CATALOG.get("jsq", park).create(park, 1, Map.of()));
        assertTrue(refused.getMessage().contains("params.mode=multi"), refused.getMessage());
    }

    @Test
    void jsqFreshRefusesStaleInformationNamingTheParameter() {
        EnvSpec stale = REGISTRY.configure(LoadBalance.ID, Map.of()).spec();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CATALOG.get("jsq-fresh", stale).create(stale, 1, Map.of()));
        assertTrue(refused.getMessage().contains("params.fresh_information=true"), refused.getMessage());
    }

    @Test
    void eachRuleWeighsWhatItShould() {
        float[] view = {2, 0, 0, 5, /* work */ 9, 4, 3, 1, /* inbox */ 7, 7};
        assertArrayEquals(new float[] {1, 1, 1, 1}, weights(RoundRobin.NAME, view));
        assertArrayEquals(new float[] {0, 1, 1, 0}, weights(JoinShortestQueue.NAME, view), "a tie is split");
        assertArrayEquals(new float[] {0, 0, 0, 1}, weights(LeastWorkLeft.NAME, view));
        float[] proportional = weights(Proportional.NAME, view);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f}, proportional, 1e-7f);
        assertArrayEquals(new float[] {3 / 16f, 6 / 16f, 6 / 16f, 1 / 16f}, weights(PowerOfTwoChoices.NAME, view),
                1e-7f, "ranks 2 and 3 share 5 + 3 sixteenths");
    }

    /** The first dispatcher's weights for its own view, on four servers of rates 0.25 .. 1. */
    private static float[] weights(String policy, float[] view) {
        EnvSpec spec = REGISTRY.configure(LoadBalance.ID, Map.of("service_rates", List.of(0.25, 0.5, 0.75, 1.0),
                "num_dispatchers", 1)).spec();
        TeamPolicy team = CATALOG.get(policy, spec).create(spec, 1, Map.of());
        float[][] actions = {new float[6]};
        team.act(new float[0], new float[][] {view}, new boolean[] {true}, actions);
        assertArrayEquals(new float[] {0, 0}, new float[] {actions[0][4], actions[0][5]}, "no message");
        return java.util.Arrays.copyOf(actions[0], 4);
    }

    /** Mean response time over the jobs completed in {@value #COPIES} default episodes at load 0.9. */
    private static double meanResponseTime(String policy, Map<String, Object> params, long seed) {
        VectorEnv env = REGISTRY.make(LoadBalance.ID, params, new VectorOptions(COPIES, false, null));
        TeamPolicy team = CATALOG.get(policy, env.spec().env()).create(env.spec().env(), COPIES, Map.of());
        PolicyDriver driver = new PolicyDriver(env, team);
        driver.reset(seed);
        for (int step = 1; step < env.spec().env().maxEpisodeSteps(); step++) {
            driver.step();
        }
        driver.step();
        double responseTimes = 0;
        double completed = 0;
        for (int copy = 0; copy < COPIES; copy++) {
            double jobs = driver.info("episode_jobs_completed", copy);
            responseTimes += jobs * driver.info("episode_mean_response_time", copy);
            completed += jobs;
        }
        return responseTimes / completed;
    }

    /**
     * At load 0.9 over three seeds (the same jobs for every policy): the more a rule knows, the
     * shorter the response times, on every seed. Measured means, seeds 1 to 3: round-robin 1750 to
     * 1930, proportional 1300 to 1380, power-of-two 1010 to 1120, least-work-left 740 to 810, jsq
     * 720 to 840, jsq-fresh 670 to 780.
     */
    @Test
    void betterInformedRulesGiveShorterResponseTimes() {
        for (long seed = 1; seed <= 3; seed++) {
            double roundRobin = meanResponseTime(RoundRobin.NAME, Map.of(), seed);
            double proportional = meanResponseTime(Proportional.NAME, Map.of(), seed);
            double powerOfTwo = meanResponseTime(PowerOfTwoChoices.NAME, Map.of(), seed);
            double leastWorkLeft = meanResponseTime(LeastWorkLeft.NAME, Map.of(), seed);
            double jsq = meanResponseTime(JoinShortestQueue.NAME, Map.of(), seed);
            double jsqFresh = meanResponseTime(JoinShortestQueueFresh.NAME, Map.of("fresh_information", true), seed);
            String means = "seed " + seed + ": round-robin " + roundRobin + ", proportional " + proportional
                    + ", power-of-two " + powerOfTwo + ", least-work-left " + leastWorkLeft + ", jsq " + jsq
                    + ", jsq-fresh " + jsqFresh;
            assertTrue(jsq < 0.6 * roundRobin, means);
            assertTrue(jsqFresh < jsq && jsq < powerOfTwo && powerOfTwo < proportional && proportional < roundRobin,
                    means);
            assertTrue(leastWorkLeft < powerOfTwo, means);
        }
    }

    /**
     * Under action_encoding log_weights the rules route by the same proportions: the one-hot and
     * uniform rules exactly, the graded ones up to float rounding of their log-weights.
     */
    @Test
    void logWeightsRouteAsTheWeightsTheyEncode() {
        Map<String, Object> log = Map.of("action_encoding", "log_weights");
        for (String policy : List.of(RoundRobin.NAME, JoinShortestQueue.NAME, LeastWorkLeft.NAME)) {
            assertEquals(meanResponseTime(policy, Map.of(), 1), meanResponseTime(policy, log, 1), policy);
        }
        for (String policy : List.of(Proportional.NAME, PowerOfTwoChoices.NAME)) {
            double linear = meanResponseTime(policy, Map.of(), 1);
            assertEquals(linear, meanResponseTime(policy, log, 1), 0.02 * linear, policy);
        }
        float[] view = {2, 0, 0, 5, 9, 4, 3, 1, 7, 7};
        EnvSpec spec = REGISTRY.configure(LoadBalance.ID, Map.of("service_rates", List.of(0.25, 0.5, 0.75, 1.0),
                "num_dispatchers", 1, "action_encoding", "log_weights", "log_weight_range", 2.0)).spec();
        float[][] actions = {new float[6]};
        CATALOG.get(JoinShortestQueue.NAME, spec).create(spec, 1, Map.of())
                .act(new float[0], new float[][] {view}, new boolean[] {true}, actions);
        assertArrayEquals(new float[] {-1, 1, 1, -1}, java.util.Arrays.copyOf(actions[0], 4), "none at -1");
        CATALOG.get(Proportional.NAME, spec).create(spec, 1, Map.of())
                .act(new float[0], new float[][] {view}, new boolean[] {true}, actions);
        assertArrayEquals(new float[] {(float) (1 + Math.log(0.25) / 2), (float) (1 + Math.log(0.5) / 2),
                (float) (1 + Math.log(0.75) / 2), 1f}, java.util.Arrays.copyOf(actions[0], 4), 1e-6f,
                "1 + ln(w / w_max) / range");
    }

    /**
     * Smooth weighted round robin spaces each server's arrivals out, which random routing with the
     * same weights does not (with the proportional split; equal weights overload the slow servers
     * either way).
     */
    @Test
    void weightedRoundRobinBeatsRandomRoutingWithTheSameWeights() {
        for (long seed = 1; seed <= 3; seed++) {
            double random = meanResponseTime(Proportional.NAME, Map.of(), seed);
            double exact = meanResponseTime(Proportional.NAME, Map.of("routing", "weighted_round_robin"), seed);
            assertTrue(exact < random, "seed " + seed + ": exact " + exact + ", random " + random);
        }
    }
}
