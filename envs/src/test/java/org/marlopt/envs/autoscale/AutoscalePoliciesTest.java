package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.env.policy.TeamPolicy;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.PolicyDriver;

/** The hpa and static-peak policies driving the environment. */
class AutoscalePoliciesTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    private static VectorEnv make(Map<String, Object> params) {
        return REGISTRY.make(MicroserviceAutoscale.ID, params, new VectorOptions(1, false, AutoresetMode.DISABLED));
    }

    @Test
    void bothPoliciesAreRegisteredForThisEnvironmentOnly() {
        EnvSpec spec = REGISTRY.configure(MicroserviceAutoscale.ID, Map.of()).spec();
        EnvSpec other = REGISTRY.configure("ResourceShare-v1", Map.of()).spec();
        assertEquals(List.of(HorizontalPodAutoscaler.NAME, StaticPeak.NAME),
                PolicyCatalog.discover().supporting(spec).stream().map(policy -> policy.name()).toList());
        assertTrue(new HorizontalPodAutoscaler().supports(spec));
        assertFalse(new HorizontalPodAutoscaler().supports(other));
        assertFalse(new StaticPeak().supports(other));
    }

    /** Each controller applies the HPA rule to its own service's observation only. */
    @Test
    void theHpaControllerActsOnItsOwnObservation() {
        VectorEnv env = make(Map.of("message_size", 0, "burst_rate", 0.0));
        TeamPolicy hpa = new HorizontalPodAutoscaler().create(env.spec().env(), 1, Map.of());
        Transition transition = env.reset(0);
        float[][] actions = new float[11][1];
        hpa.act(transition.sharedObservation(), observations(transition), new boolean[] {true}, actions);
        MicroserviceAutoscale.Settings settings = MicroserviceAutoscale.Settings.of(env.spec().env().params());
        for (int agent = 0; agent < 11; agent++) {
            float[] own = transition.observation(agent);
            int expected = new HpaRule(0.8, 0.1, 20, 1, 20).desiredReplicas(Math.round(own[0]), Math.round(own[1]),
                    Math.round(own[2]), own[3]);
            assertEquals(expected, settings.desiredReplicas(actions[agent][0]), "agent " + agent);
        }
    }

    private static float[][] observations(Transition transition) {
        float[][] all = new float[11][];
        for (int agent = 0; agent < 11; agent++) {
            all[agent] = transition.observation(agent);
        }
        return all;
    }

    /** Over a compressed day the HPA follows the load: more frontend replicas at the peak than at the start. */
    @Test
    void theHpaScalesTheFrontendWithTheDiurnalLoad() {
        VectorEnv env = make(Map.of("burst_rate", 0.0));
        TeamPolicy hpa = new HorizontalPodAutoscaler().create(env.spec().env(), 1, Map.of());
        PolicyDriver driver = new PolicyDriver(env, hpa);
        driver.reset(0);
        int atStart = 0;
        int atPeak = 0;
        for (int step = 1; step <= 130; step++) {
            Transition transition = driver.step();
            int desired = Math.round(transition.observation(0)[0]);
            assertTrue(desired >= 1 && desired <= 20);
            atStart = step == 5 ? desired : atStart;
            atPeak = step == 130 ? desired : atPeak;
        }
        assertTrue(atPeak >= atStart + 3, "frontend at step 5: " + atStart + ", at the peak: " + atPeak);
    }

    @Test
    void staticPeakHoldsThePeakAllocationAndMeetsTheSloWithoutBursts() {
        VectorEnv env = make(Map.of("burst_rate", 0.0));
        MicroserviceAutoscale.Settings settings = MicroserviceAutoscale.Settings.of(env.spec().env().params());
        int[] peak = StaticPeak.peakAllocation(settings);
        PolicyDriver driver = new PolicyDriver(env, new StaticPeak().create(env.spec().env(), 1, Map.of()));
        driver.reset(0);
        for (int step = 1; step <= 240; step++) {
            Transition transition = driver.step();
            for (int agent = 0; agent < 11; agent++) {
                assertEquals(peak[agent], Math.round(transition.observation(agent)[0]));
            }
        }
        assertEquals(0.0, driver.info("episode_slo_violations", 0),
                "the trough allocation is ready while the peak one starts");
        assertEquals(240 * 0.01 * Arrays.stream(peak).sum(), driver.info("episode_cost", 0), 1e-9);
    }

    @Test
    void badSettingsNameTheSettingAndTheFix() {
        EnvSpec spec = REGISTRY.configure(MicroserviceAutoscale.ID, Map.of()).spec();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new HorizontalPodAutoscaler().create(spec, 1, Map.of("target", 0.5)));
        assertTrue(unknown.getMessage().contains("'target'") && unknown.getMessage().contains("target_utilization"),
                unknown.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new HorizontalPodAutoscaler().create(spec, 1, Map.of("tolerance", -0.1)));
        assertTrue(negative.getMessage().contains("tolerance") && negative.getMessage().contains("default 0.1"),
                negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StaticPeak().create(spec, 1, Map.of("x", 1.0)));
    }
}
