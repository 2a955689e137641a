package org.marlopt.system.kubernetes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.marlopt.system.kubernetes.KubernetesChecks.Check;
import org.marlopt.system.kubernetes.KubernetesChecks.Problems;
import org.marlopt.system.kubernetes.KubernetesManifests.Manifests;
import org.marlopt.system.support.ProjectFiles;

/**
 * Every check of {@link KubernetesManifestsTest} fails on a copy of deploy/kubernetes (and grafana/) with one
 * thing broken, so none of them passes vacuously. Each case renders the production overlay of the copy the way
 * the real test does (kustomize, or the fallback).
 */
class KubernetesManifestsMutationTest {

    private static final String BASE = KubernetesManifests.DEPLOY + "/base/";
    private static final String PRODUCTION = KubernetesManifests.DEPLOY + "/overlays/production/";
    private static final String OBSERVABILITY = KubernetesManifests.DEPLOY + "/components/observability/";

    record Mutation(String file, String from, String to, Check check) {
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("Service selects other pods", new Mutation(BASE + "env-server-service.yaml",
                        "  selector:\n    app.kubernetes.io/name: env-server", "  selector:\n    app.kubernetes.io/name: env-srv",
                        KubernetesChecks::selectorsMatchThePods)),
                Arguments.of("PDB selects other pods", new Mutation(PRODUCTION + "env-server-pdb.yaml",
                        "app.kubernetes.io/name: env-server\nEOF", "", KubernetesChecks::selectorsMatchThePods)),
                Arguments.of("Service targets an undeclared port", new Mutation(BASE + "env-server-service.yaml",
                        "targetPort: grpc", "targetPort: grpc-x", KubernetesChecks::serviceTargetPortsNameContainerPorts)),
                Arguments.of("Service not headless", new Mutation(BASE + "env-server-service.yaml",
                        "  clusterIP: None\n", "", KubernetesChecks::serviceTargetPortsNameContainerPorts)),
                Arguments.of("readiness asks the wrong service", new Mutation(BASE + "env-server-deployment.yaml",
                        "service: marlopt.env.v2.EnvService", "service: marlopt.env.v1.EnvService",
                        KubernetesChecks::envServerProbesAreGrpcHealthChecks)),
                Arguments.of("readiness on the wrong port", new Mutation(BASE + "env-server-deployment.yaml",
                        "port: 50051\n              service: marlopt", "port: 50052\n              service: marlopt",
                        KubernetesChecks::envServerProbesAreGrpcHealthChecks)),
                Arguments.of("readiness slower than the drain delay", new Mutation(BASE + "env-server-deployment.yaml",
                        "periodSeconds: 2\n            timeoutSeconds: 2\n            failureThreshold: 2",
                        "periodSeconds: 5\n            timeoutSeconds: 2\n            failureThreshold: 2",
                        KubernetesChecks::envServerProbesAreGrpcHealthChecks)),
                Arguments.of("a container without a memory limit", new Mutation(BASE + "trainer-job.yaml",
                        "            limits:\n              cpu: \"2\"\n              memory: 2Gi",
                        "            limits:\n              cpu: \"2\"", KubernetesChecks::everyContainerHasRequestsAndLimits)),
                Arguments.of("heap too large for the limit", new Mutation(BASE + "env-server-deployment.yaml",
                        "-Xmx640m", "-Xmx960m", KubernetesChecks::jvmMemoryFitsTheMemoryLimit)),
                Arguments.of("grace shorter than drain + shutdown", new Mutation(BASE + "env-server-deployment.yaml",
                        "terminationGracePeriodSeconds: 40", "terminationGracePeriodSeconds: 25",
                        KubernetesChecks::terminationGraceCoversDrainAndShutdown)),
                Arguments.of("a writable root file system", new Mutation(BASE + "trainer-job.yaml",
                        "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", KubernetesChecks::podsRunLockedDown)),
                Arguments.of("runAsUser is not the image's user", new Mutation(BASE + "env-server-deployment.yaml",
                        "runAsUser: 10001", "runAsUser: 1000", KubernetesChecks::podsRunLockedDown)),
                Arguments.of("metrics annotation on another port", new Mutation(BASE + "env-server-deployment.yaml",
                        "prometheus.io/port: \"9464\"", "prometheus.io/port: \"9465\"",
                        KubernetesChecks::prometheusAnnotationsPointAtTheMetricsPort)),
                Arguments.of("Prometheus without pod permissions", new Mutation(OBSERVABILITY + "prometheus-rbac.yaml",
                        "verbs: [get, list, watch]", "verbs: [get]", KubernetesChecks::prometheusDiscoversPodsWithItsOwnPermissions)),
                Arguments.of("the Job mounts a claim that does not exist", new Mutation(BASE + "trainer-job.yaml",
                        "claimName: trainer-runs", "claimName: trainer-run",
                        KubernetesChecks::trainerJobWritesToItsVolumeClaimAndFindsEveryReplica)),
                Arguments.of("the trainer writes outside its volume", new Mutation(BASE + "trainer-job.yaml",
                        "- /runs/k8s", "- /app/runs/k8s", KubernetesChecks::trainerJobWritesToItsVolumeClaimAndFindsEveryReplica)),
                Arguments.of("the trainer dials a Service that does not exist", new Mutation(BASE + "trainer-job.yaml",
                        "dns:///env-server:50051", "dns:///env:50051",
                        KubernetesChecks::trainerJobWritesToItsVolumeClaimAndFindsEveryReplica)),
                Arguments.of("a dashboard left out of the ConfigMap", new Mutation("grafana/kustomization.yaml",
                        "      - dashboards/training.json\n", "", KubernetesChecks::dashboardsConfigMapHoldsEveryDashboardVerbatim)),
                Arguments.of("an image tag other than compose's", new Mutation(BASE + "kustomization.yaml",
                        "  - name: marlopt/env-server\n    newTag: 0.1.0-SNAPSHOT", "  - name: marlopt/env-server\n    newTag: 0.0.9",
                        KubernetesChecks::imagesAreTaggedAsComposeBuildsThem)),
                Arguments.of("the trainer shut out of the env server", new Mutation(BASE + "env-server-networkpolicy.yaml",
                        "app.kubernetes.io/component: trainer", "app.kubernetes.io/component: trainers",
                        KubernetesChecks::networkPoliciesLetOnlyTrainersAndPrometheusIn)),
                Arguments.of("gRPC open to every pod", new Mutation(BASE + "env-server-networkpolicy.yaml",
                        "        - podSelector:\n            matchLabels:\n              app.kubernetes.io/component: trainer",
                        "        - namespaceSelector: {}", KubernetesChecks::networkPoliciesLetOnlyTrainersAndPrometheusIn)),
                Arguments.of("the autoscaler targets another Deployment", new Mutation(PRODUCTION + "env-server-hpa.yaml",
                        "    name: env-server\n  minReplicas", "    name: env-servers\n  minReplicas",
                        KubernetesChecks::autoscalerOwnsTheReplicaCountAndBudgetLeavesCapacity)),
                Arguments.of("the budget allows two replicas down", new Mutation(PRODUCTION + "env-server-pdb.yaml",
                        "maxUnavailable: 1", "maxUnavailable: 2",
                        KubernetesChecks::autoscalerOwnsTheReplicaCountAndBudgetLeavesCapacity)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theCheckFailsOnTheBrokenCopy(String description, Mutation mutation, @TempDir Path copy) throws Exception {
        Path root = ProjectFiles.root();
        copyTree(root.resolve(KubernetesManifests.DEPLOY), copy.resolve(KubernetesManifests.DEPLOY));
        copyTree(root.resolve("grafana"), copy.resolve("grafana"));
        copyTree(root.resolve("docker"), copy.resolve("docker"));
        Files.copy(root.resolve("docker-compose.yml"), copy.resolve("docker-compose.yml"));

        Manifests intact = KubernetesManifests.load(copy, "production");
        Problems before = new Problems(intact);
        mutation.check().run(intact, before, copy);
        assertTrue(before.isEmpty(), "the intact copy already fails: " + before);

        Path file = copy.resolve(mutation.file());
        String text = Files.readString(file);
        String broken = mutation.from().endsWith("\nEOF")
                ? breakSelector(text, mutation.from().substring(0, mutation.from().length() - 4))
                : text.replace(mutation.from(), mutation.to());
        assertNotEquals(text, broken, "the mutation '" + mutation.from() + "' matches nothing in " + mutation.file());
        Files.writeString(file, broken);

        Manifests manifests = KubernetesManifests.load(copy, "production");
        Problems problems = new Problems(manifests);
        mutation.check().run(manifests, problems, copy);
        assertFalse(problems.isEmpty(), description + ": the check did not notice");
    }

    /** The PDB mutation: its selector's last label changed, wherever it sits. */
    private static String breakSelector(String text, String label) {
        int at = text.lastIndexOf(label);
        return text.substring(0, at) + label.replace("env-server", "env-srv") + text.substring(at + label.length());
    }

    /** Strict parsing fails the load itself on a misspelt field. */
    @Test
    void aMisspeltFieldFailsTheLoad(@TempDir Path copy) throws Exception {
        Path root = ProjectFiles.root();
        copyTree(root.resolve(KubernetesManifests.DEPLOY), copy.resolve(KubernetesManifests.DEPLOY));
        copyTree(root.resolve("grafana"), copy.resolve("grafana"));
        Path file = copy.resolve(BASE + "trainer-job.yaml");
        Files.writeString(file, Files.readString(file).replace("backoffLimit:", "backOffLimit:"));
        AssertionError error = assertThrows(AssertionError.class, () -> KubernetesManifests.load(copy, "production"));
        assertTrue(error.getMessage().contains("backOffLimit"), error.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

}
