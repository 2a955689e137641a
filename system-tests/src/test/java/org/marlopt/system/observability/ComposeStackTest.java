package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.marlopt.system.support.ExternalCommand;

/**
 * docker-compose.yml, alone and under docker-compose.secure.yml, validated and resolved by `docker-compose config`
 * (no Docker engine runs here): the {@link ComposeRule}s hold on both, plus what only the plain stack states.
 */
class ComposeStackTest {

    /** The file as resolved with the default environment. */
    private static JsonNode config;

    @BeforeAll
    static void resolveWithDefaults() throws Exception {
        config = ComposeConfig.resolve(ComposeConfig.PLAIN);
    }

    static Stream<Arguments> rulesOnEveryFileSet() {
        return ComposeConfig.FILE_SETS.stream()
                .flatMap(files -> Arrays.stream(ComposeRule.values()).map(rule -> Arguments.of(files, rule)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rulesOnEveryFileSet")
    void everyFileSetFollowsTheRule(List<String> files, ComposeRule rule) throws Exception {
        List<String> violations = rule.violations(ComposeConfig.resolve(files));
        assertTrue(violations.isEmpty(), files + " breaks " + rule + ":\n  " + String.join("\n  ", violations));
    }

    /**
     * Without the variable, or with it empty, Compose refuses to start anything: no admin/admin fallback, and
     * the secure overlay adds no default either.
     */
    @Test
    void composeRefusesToResolveWithoutAGrafanaAdminPassword() throws Exception {
        List<ExternalCommand> refused = List.of(
                ComposeConfig.config(ComposeConfig.PLAIN, Map.of()),
                ComposeConfig.config(ComposeConfig.SECURE, Map.of()),
                ComposeConfig.config(ComposeConfig.PLAIN, Map.of(ComposeConfig.PASSWORD_VARIABLE, "")));
        assertAll(refused.stream().map(command -> (Executable) () -> {
            assertNotEquals(0, command.exitCode(), command.describe());
            assertTrue(command.output().contains("set " + ComposeConfig.PASSWORD_VARIABLE), command.describe());
        }));
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
                () -> assertEquals(List.of("-jar", "/app/env-server.jar", "health", "--target", "127.0.0.1:50051",
                                "--timeout-seconds", "8"),
                        probe.subList(Math.max(0, probe.size() - 7), probe.size()), "health check command " + probe),
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

    /** Runs go to the ./runs bind mount (a rule above); the time series and Grafana's state to named volumes. */
    @Test
    void prometheusAndGrafanaDataLiveInNamedVolumes() {
        JsonNode services = config.path("services");
        Set<String> declared = new TreeSet<>();
        config.path("volumes").fieldNames().forEachRemaining(declared::add);

        assertAll(
                () -> assertTrue(mounts(services.path("prometheus")).contains("prometheus-data:/prometheus:rw")),
                () -> assertTrue(mounts(services.path("grafana")).contains("grafana-data:/var/lib/grafana:rw")),
                () -> assertEquals(Set.of("grafana-data", "prometheus-data"), declared, "declared volumes"));
    }

    /** docs/observability.md's scaling recipe: empty host-port variables leave Docker to pick free ports. */
    @Test
    void emptyHostPortVariablesLetEnvServerReplicasShareTheHost() throws Exception {
        JsonNode envServer = ComposeConfig.resolve(ComposeConfig.PLAIN, Map.of(
                ComposeConfig.PASSWORD_VARIABLE, ComposeConfig.TEST_PASSWORD,
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
