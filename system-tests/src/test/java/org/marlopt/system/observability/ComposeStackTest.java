package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, validated and resolved by `docker-compose config` (no Docker engine runs here). */
class ComposeStackTest {

    /** The file as resolved with the default environment. */
    private static JsonNode config;

    @BeforeAll
    static void resolveWithDefaults() throws Exception {
        config = ComposeConfig.resolve(Map.of());
    }

    @Test
    void dockerComposeAcceptsTheFileAndResolvesTheFourServices() {
        JsonNode services = config.path("services");

        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(Set.of("env-server", "agent-client", "prometheus", "grafana")), names);
    }

    @Test
    void thirdPartyImagesArePinnedToExactVersions() {
        JsonNode services = config.path("services");

        String prometheus = services.path("prometheus").path("image").asText();
        String grafana = services.path("grafana").path("image").asText();

        assertAll(
                () -> assertTrue(prometheus.matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+"), "image " + prometheus),
                () -> assertTrue(grafana.matches("grafana/grafana:\\d+\\.\\d+\\.\\d+"), "image " + grafana));
    }

    @Test
    void clientStartsOnlyOnceTheEnvServerPassesItsGrpcHealthCheck() {
        JsonNode services = config.path("services");
        List<String> probe = ComposeConfig.strings(services.path("env-server").path("healthcheck").path("test"));

        assertAll(
                () -> assertEquals("service_healthy",
                        services.path("agent-client").path("depends_on").path("env-server").path("condition").asText()),
                () -> assertEquals(List.of("-jar", "/app/env-server.jar", "health", "--target", "127.0.0.1:50051"),
                        probe.subList(Math.max(0, probe.size() - 5), probe.size()), "health check command " + probe),
                () -> assertEquals("CMD", probe.isEmpty() ? "" : probe.get(0), "health check form " + probe),
                () -> assertEquals("env-server:50051",
                        services.path("agent-client").path("environment").path("ENV_SERVER_TARGET").asText()));
    }

    @Test
    void grafanaPrometheusAndMetricsAreReachableOnTheirUsualPorts() {
        JsonNode services = config.path("services");

        assertAll(
                () -> assertTrue(publishedPorts(services.path("grafana")).contains("127.0.0.1:3000:3000/tcp")),
                () -> assertTrue(publishedPorts(services.path("prometheus")).contains("127.0.0.1:9090:9090/tcp")),
                () -> assertTrue(publishedPorts(services.path("env-server")).contains("127.0.0.1:9464:9464/tcp")),
                () -> assertTrue(publishedPorts(services.path("env-server")).contains("127.0.0.1:50051:50051/tcp")),
                () -> assertTrue(publishedPorts(services.path("agent-client")).contains("127.0.0.1:9465:9465/tcp")));
    }

    /** A run writes its outputs and its checkpoint/ directory under --out, which must be in the volume. */
    @Test
    void runOutputsCheckpointsAndPrometheusDataLiveInNamedVolumes() {
        JsonNode services = config.path("services");
        Set<String> declared = new TreeSet<>();
        config.path("volumes").fieldNames().forEachRemaining(declared::add);
        List<String> trainCommand = ComposeConfig.strings(services.path("agent-client").path("command"));
        int out = trainCommand.indexOf("--out");

        assertAll(
                () -> assertTrue(mounts(services.path("agent-client")).contains("agent-runs:/app/runs:rw")),
                () -> assertTrue(out >= 0 && trainCommand.get(out + 1).startsWith("/app/runs/"),
                        "the training run writes into the agent-runs volume: " + trainCommand),
                () -> assertTrue(mounts(services.path("prometheus")).contains("prometheus-data:/prometheus:rw")),
                () -> assertTrue(declared.containsAll(Set.of("agent-runs", "prometheus-data")),
                        "declared volumes " + declared));
    }

    /** docs/observability.md's scaling recipe: empty host-port variables leave Docker to pick free ports. */
    @Test
    void emptyHostPortVariablesLetEnvServerReplicasShareTheHost() throws Exception {
        JsonNode envServer = ComposeConfig.resolve(Map.of(
                "ENV_SERVER_HOST_PORT", "", "ENV_SERVER_METRICS_HOST_PORT", "")).path("services").path("env-server");

        assertEquals(Set.of("127.0.0.1::50051/tcp", "127.0.0.1::9464/tcp"), new TreeSet<>(publishedPorts(envServer)));
    }

    private static List<String> publishedPorts(JsonNode service) {
        return ComposeConfig.strings(service.path("ports"));
    }

    private static List<String> mounts(JsonNode service) {
        return ComposeConfig.strings(service.path("volumes"));
    }
}
