package org.marlopt.system.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.marlopt.system.kubernetes.KubernetesChecks.Check;
import org.marlopt.system.kubernetes.KubernetesChecks.Problems;
import org.marlopt.system.kubernetes.KubernetesManifests.Manifests;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * deploy/kubernetes, every overlay: rendered by kustomize (kubectl kustomize) when kubectl is on PATH,
 * else read from the resource files (see {@link KubernetesManifests}: the fallback checks less), every
 * object parsed strictly into its Kubernetes model, then checked against the others, the CLIs, the
 * Dockerfile, docker-compose.yml and grafana/.
 */
class KubernetesManifestsTest {

    private static final Map<String, Manifests> LOADED = new HashMap<>();

    static Stream<String> overlays() throws Exception {
        List<String> overlays = KubernetesManifests.overlays(ProjectFiles.root());
        assertEquals(List.of("dev", "production"), overlays, "the overlays docs/scaling.md describes");
        return overlays.stream();
    }

    static synchronized Manifests manifests(String overlay) throws Exception {
        Manifests manifests = LOADED.get(overlay);
        if (manifests == null) {
            manifests = KubernetesManifests.load(ProjectFiles.root(), overlay);
            LOADED.put(overlay, manifests);
        }
        return manifests;
    }

    private static void assertClean(String overlay, Check check) throws Exception {
        Manifests manifests = manifests(overlay);
        Problems problems = new Problems(manifests);
        check.run(manifests, problems, ProjectFiles.root());
        assertTrue(problems.isEmpty(), () -> problems.toString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectIsAKnownKindWithOnlyKnownFields(String overlay) throws Exception {
        Manifests manifests = manifests(overlay); // load() parses strictly and throws on the first problem
        assertTrue(manifests.objects().size() >= 8, overlay + ": " + manifests.objects().size() + " objects");
        if (manifests.rendered()) {
            assertTrue(manifests.objects().stream().anyMatch(o -> o.getKind().equals("ConfigMap")),
                    overlay + ": the generated ConfigMaps are rendered");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void selectorsMatchThePods(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::selectorsMatchThePods);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void serviceTargetPortsNameContainerPorts(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::serviceTargetPortsNameContainerPorts);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void envServerProbesAreGrpcHealthChecks(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::envServerProbesAreGrpcHealthChecks);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasRequestsAndLimits(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::everyContainerHasRequestsAndLimits);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void jvmMemoryFitsTheMemoryLimit(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::jvmMemoryFitsTheMemoryLimit);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void terminationGraceCoversDrainAndShutdown(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::terminationGraceCoversDrainAndShutdown);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunLockedDown(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::podsRunLockedDown);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void prometheusAnnotationsPointAtTheMetricsPort(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::prometheusAnnotationsPointAtTheMetricsPort);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void prometheusDiscoversPodsWithItsOwnPermissions(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::prometheusDiscoversPodsWithItsOwnPermissions);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void trainerJobWritesToItsVolumeClaimAndFindsEveryReplica(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::trainerJobWritesToItsVolumeClaimAndFindsEveryReplica);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void dashboardsConfigMapHoldsEveryDashboardVerbatim(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::dashboardsConfigMapHoldsEveryDashboardVerbatim);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void imagesAreTaggedAsComposeBuildsThem(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::imagesAreTaggedAsComposeBuildsThem);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void networkPoliciesLetOnlyTrainersAndPrometheusIn(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::networkPoliciesLetOnlyTrainersAndPrometheusIn);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void autoscalerOwnsTheReplicaCountAndBudgetLeavesCapacity(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::autoscalerOwnsTheReplicaCountAndBudgetLeavesCapacity);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyObjectIsInTheNamespace(String overlay) throws Exception {
        assertClean(overlay, KubernetesChecks::everyObjectIsInTheNamespace);
    }

    @Test
    void devRunsOneReplicaWithoutAutoscalerAndProductionThreeWithAutoscalerAndBudget() throws Exception {
        assumeTrue(KubernetesManifests.kustomizeAvailable(), "the overlays' patches need kustomize (kubectl)");
        Manifests dev = manifests("dev");
        assertEquals(1, dev.get(Deployment.class, "env-server").getSpec().getReplicas(), "dev replicas");
        assertTrue(dev.all(HorizontalPodAutoscaler.class).isEmpty(), "dev has no autoscaler");
        assertTrue(dev.all(PodDisruptionBudget.class).isEmpty(), "dev has no disruption budget");

        Manifests production = manifests("production");
        assertNull(production.get(Deployment.class, "env-server").getSpec().getReplicas(), "the autoscaler owns the count");
        HorizontalPodAutoscaler hpa = production.get(HorizontalPodAutoscaler.class, "env-server");
        assertTrue(hpa.getSpec().getMinReplicas() >= 3, "production runs at least 3 replicas");
        assertFalse(production.all(PodDisruptionBudget.class).isEmpty(), "production has a disruption budget");
        assertFalse(production.get(Deployment.class, "env-server").getSpec().getTemplate().getSpec()
                .getTopologySpreadConstraints().isEmpty(), "production spreads the replicas over the nodes");
    }

    /**
     * Debian's promtool is built without Kubernetes discovery, so the check swaps kubernetes_sd_configs for a
     * static target; the relabelling rules (keepequal and the rest) are what it validates.
     */
    @Test
    void promtoolAcceptsThePrometheusConfigRelabelling(@TempDir Path dir) throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode config = yaml.readTree(ProjectFiles.file(KubernetesManifests.DEPLOY
                + "/components/observability/prometheus.yml").toFile());
        for (JsonNode job : config.path("scrape_configs")) {
            assertTrue(job.has("kubernetes_sd_configs"), "every job discovers pods");
            var object = (com.fasterxml.jackson.databind.node.ObjectNode) job;
            object.remove("kubernetes_sd_configs");
            object.putArray("static_configs").addObject().putArray("targets").add("127.0.0.1:9464");
        }
        Path file = dir.resolve("prometheus.yml");
        yaml.writeValue(file.toFile(), config);
        ExternalCommand check = ExternalCommand.run(Duration.ofSeconds(60), "promtool", "check", "config", file.toString());
        assertEquals(0, check.exitCode(), check.describe());
    }

    /** The strict parsing itself can fail: a misspelt field and an unknown kind. */
    @Test
    void strictParsingRefusesUnknownFieldsAndKinds() throws Exception {
        String deployment = Files.readString(ProjectFiles.file(KubernetesManifests.DEPLOY + "/base/env-server-deployment.yaml"));
        JsonNode misspelt = KubernetesManifests.yamlDocuments(deployment.replace("readinessProbe:", "readinesProbe:")).get(0);
        AssertionError unknownField = assertThrows(AssertionError.class, () -> KubernetesManifests.parse(misspelt, "test"));
        assertTrue(unknownField.getMessage().contains("containers[0].readinesProbe"), unknownField.getMessage());

        JsonNode nested = KubernetesManifests.yamlDocuments(deployment.replace("service: liveness", "servce: liveness")).get(0);
        AssertionError nestedField = assertThrows(AssertionError.class, () -> KubernetesManifests.parse(nested, "test"));
        assertTrue(nestedField.getMessage().contains("grpc.servce"), nestedField.getMessage());

        JsonNode oldApi = KubernetesManifests.yamlDocuments(deployment.replace("apiVersion: apps/v1", "apiVersion: extensions/v1beta1")).get(0);
        AssertionError unknownKind = assertThrows(AssertionError.class, () -> KubernetesManifests.parse(oldApi, "test"));
        assertTrue(unknownKind.getMessage().contains("extensions/v1beta1/Deployment"), unknownKind.getMessage());
    }
}
