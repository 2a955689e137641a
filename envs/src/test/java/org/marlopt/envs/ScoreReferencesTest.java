package org.marlopt.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.envs.seed.DistributedOptimization;

/** How every environment normalises its returns: a score key, or reference policies that exist. */
class ScoreReferencesTest {

    private static final EnvRegistry REGISTRY = EnvRegistry.discover();
    private static final PolicyCatalog CATALOG = PolicyCatalog.discover();

    @Test
    void theEnvironmentsWithoutAScoreKeyDeclareTheirReferences() {
        assertEquals(new ScoreReference("zero", "oracle", "optimum"), reference("DistributedOptimization-v1"));
        assertEquals(new ScoreReference("proportional", "least-work-left", "reference"), reference("LoadBalance-v1"));
        assertEquals(new ScoreReference("zero", "static-peak", "reference"), reference("MicroserviceAutoscale-v1"));
        assertNull(reference("ResourceShare-v1"), "its score key normalises it");
        assertNull(reference("DistributedLeastSquares-v1"), "its score key normalises it");
    }

    @Test
    void everyEnvironmentIsNormalisedOneWayWithPoliciesThatApply() {
        for (EnvDefinition definition : REGISTRY.definitions()) {
            EnvSpec spec = REGISTRY.configure(definition.id(), Map.of()).spec();
            ScoreReference reference = spec.scoreReference();
            assertTrue(spec.scoreKey() != null ^ reference != null,
                    definition.id() + " needs exactly one of a score key and a score reference");
            if (reference != null) {
                assertApplies(reference.naivePolicy(), spec);
                assertApplies(reference.optimumPolicy(), spec);
            }
        }
    }

    @Test
    void loadBalanceParkModeDeclaresNoneAsNoClassicalPolicyDrivesIt() {
        assertNull(REGISTRY.configure("LoadBalance-v1", Map.of("mode", "park")).spec().scoreReference());
    }

    private static ScoreReference reference(String envId) {
        return REGISTRY.configure(envId, Map.of()).spec().scoreReference();
    }

    /** A client-side reference ("zero"; "oracle" on the seed), or a catalog policy that supports the spec. */
    private static void assertApplies(String policy, EnvSpec spec) {
        if (policy.equals(ScoreReference.ZERO)
                || policy.equals(ScoreReference.ORACLE) && spec.envId().equals(DistributedOptimization.ID)) {
            return;
        }
        List<String> supporting = CATALOG.supporting(spec).stream().map(PolicyDefinition::name).toList();
        assertTrue(supporting.contains(policy), spec.envId() + " names policy '" + policy
                + "', which is not among those that support its default spec: " + supporting);
    }
}
