package org.marlopt.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;

/** The classical policies as a whole: registration, and that each agent decides from its own view. */
class ClassicalPoliciesTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final PolicyCatalog CATALOG = PolicyCatalog.discover();

    @Test
    void theCatalogOffersEachEnvironmentItsAlgorithms() {
        assertEquals(List.of("gradient-tracking", "dgd", "extra"), names("DistributedLeastSquares-v1"));
        assertEquals(List.of("center-free", "equal-split"), names("ResourceShare-v1"));
        assertEquals(List.of("round-robin", "proportional", "jsq", "power-of-two", "least-work-left"),
                names("LoadBalance-v1"));
        assertEquals(List.of("hpa", "static-peak"), names("MicroserviceAutoscale-v1"));
        assertEquals(List.of(), names("DistributedOptimization-v1"));
    }

    @Test
    void aPolicyThatDoesNotApplySaysWhatItNeeds() {
        EnvSpec smallMessages = REGISTRY.configure("DistributedLeastSquares-v1", Map.of("message_size", 4)).spec();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> CATALOG.get("gradient-tracking", smallMessages).create(smallMessages, 1, Map.of()));
        assertTrue(refused.getMessage().contains("needs message_size >= 8"), refused.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CATALOG.get("admm", smallMessages));
        assertTrue(unknown.getMessage().contains("use one of [dgd, extra]"), unknown.getMessage());
    }

    private static List<String> names(String envId) {
        return CATALOG.supporting(REGISTRY.configure(envId, Map.of()).spec()).stream().map(PolicyDefinition::name)
                .toList();
    }

    /**
     * Two copies of a policy see the same episode; one of them gets every other agent's
     * observation (own data and inbox) replaced by noise at every step. The chosen agent's
     * actions must not change; replacing its own view must change them. Messages are lost at
     * random so that the controllers' memory of their neighbours is exercised too.
     */
    @ParameterizedTest
    @CsvSource({
        "DistributedLeastSquares-v1, gradient-tracking",
        "DistributedLeastSquares-v1, dgd",
        "DistributedLeastSquares-v1, extra",
        "ResourceShare-v1, center-free",
        "LoadBalance-v1, jsq",
        "LoadBalance-v1, power-of-two",
        "LoadBalance-v1, least-work-left"})
    void anAgentsActionsDependOnItsOwnViewOnly(String envId, String policyName) {
        BatchedVectorEnv env = REGISTRY.make(envId, Map.of("message_drop_probability", 0.3), VectorOptions.single());
        EnvSpec spec = env.spec().env();
        PolicyDefinition definition = CATALOG.get(policyName, spec);
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            TeamPolicy reference = definition.create(spec, 1, Map.of());
            TeamPolicy probe = definition.create(spec, 1, Map.of());
            float[][] referenceActions = EnvChecks.zeroActions(env);
            float[][] probeActions = EnvChecks.zeroActions(env);
            SplittableRandom noise = new SplittableRandom(agent);
            Transition transition = env.reset(0);
            for (int step = 0; step < 30; step++) {
                float[][] observations = observations(transition, spec.numAgents());
                float[][] othersScrambled = observations(transition, spec.numAgents());
                for (int other = 0; other < spec.numAgents(); other++) {
                    if (other != agent) {
                        scramble(othersScrambled[other], noise);
                    }
                }
                boolean[] episodeStart = {step == 0};
                reference.act(transition.sharedObservation(), observations, episodeStart, referenceActions);
                probe.act(transition.sharedObservation(), othersScrambled, episodeStart, probeActions);
                assertArrayEquals(referenceActions[agent], probeActions[agent], policyName + " agent " + agent
                        + " step " + step);
                transition = env.step(referenceActions);
            }
            float[][] ownScrambled = observations(transition, spec.numAgents());
            scramble(ownScrambled[agent], noise);
            probe.act(transition.sharedObservation(), ownScrambled, new boolean[] {false}, probeActions);
            reference.act(transition.sharedObservation(), observations(transition, spec.numAgents()),
                    new boolean[] {false}, referenceActions);
            assertFalse(Arrays.equals(referenceActions[agent], probeActions[agent]), policyName + " agent " + agent
                    + " ignores its own view");
        }
    }

    private static float[][] observations(Transition transition, int numAgents) {
        float[][] copies = new float[numAgents][];
        for (int agent = 0; agent < numAgents; agent++) {
            copies[agent] = transition.observation(agent).clone();
        }
        return copies;
    }

    private static void scramble(float[] observation, SplittableRandom noise) {
        for (int i = 0; i < observation.length; i++) {
            observation[i] = (float) noise.nextDouble(-5, 5);
        }
    }
}
