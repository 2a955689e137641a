package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link ComposeRule} fails on the resolved docker-compose.yml with one thing broken, so none passes
 * vacuously, and the unbroken file passes each rule.
 */
class ComposeRuleMutationTest {

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("Grafana without a health check", ComposeRule.EVERY_SERVICE_HAS_A_HEALTH_CHECK,
                        edit(services -> object(services, "grafana").remove("healthcheck"))),
                Arguments.of("Prometheus's health check disabled", ComposeRule.EVERY_SERVICE_HAS_A_HEALTH_CHECK,
                        edit(services -> object(services, "prometheus", "healthcheck").put("disable", true))),
                Arguments.of("Prometheus probed on another port", ComposeRule.HEALTH_CHECKS_PROBE_EACH_SERVICES_OWN_ENDPOINT,
                        edit(services -> replaceWord(services.path("prometheus").path("healthcheck").path("test"),
                                "http://127.0.0.1:9090/-/healthy", "http://127.0.0.1:9091/-/healthy"))),
                Arguments.of("trainer metrics moved but not its probe",
                        ComposeRule.HEALTH_CHECKS_PROBE_EACH_SERVICES_OWN_ENDPOINT,
                        edit(services -> replaceWord(services.path("agent-client").path("command"), "9465", "9466"))),
                Arguments.of("env-server probe aimed elsewhere", ComposeRule.HEALTH_CHECKS_PROBE_EACH_SERVICES_OWN_ENDPOINT,
                        edit(services -> replaceWord(services.path("env-server").path("healthcheck").path("test"),
                                "127.0.0.1:50051", "127.0.0.1:50052"))),
                Arguments.of("Grafana starts once Prometheus merely started", ComposeRule.DEPENDENTS_WAIT_FOR_HEALTHY_SERVICES,
                        edit(services -> object(services, "grafana", "depends_on", "prometheus")
                                .put("condition", "service_started"))),
                Arguments.of("trainer does not wait for the env server", ComposeRule.DEPENDENTS_WAIT_FOR_HEALTHY_SERVICES,
                        edit(services -> object(services, "agent-client").remove("depends_on"))),
                Arguments.of("admin password defaulted", ComposeRule.GRAFANA_ADMIN_PASSWORD_IS_GIVEN_NOT_DEFAULTED,
                        edit(services -> object(services, "grafana", "environment")
                                .put("GF_SECURITY_ADMIN_PASSWORD", "admin"))),
                Arguments.of("password file that is no mounted secret",
                        ComposeRule.GRAFANA_ADMIN_PASSWORD_IS_GIVEN_NOT_DEFAULTED,
                        edit(services -> {
                            ObjectNode environment = object(services, "grafana", "environment");
                            environment.remove("GF_SECURITY_ADMIN_PASSWORD");
                            environment.put("GF_SECURITY_ADMIN_PASSWORD__FILE", "/run/secrets/grafana-admin-password");
                        })),
                Arguments.of("env server without a memory limit", ComposeRule.EVERY_SERVICE_HAS_CPU_AND_MEMORY_LIMITS,
                        edit(services -> object(services, "env-server", "deploy", "resources", "limits").remove("memory"))),
                Arguments.of("Grafana without limits", ComposeRule.EVERY_SERVICE_HAS_CPU_AND_MEMORY_LIMITS,
                        edit(services -> object(services, "grafana").remove("deploy"))),
                Arguments.of("runs in a named volume", ComposeRule.TRAINER_WRITES_RUNS_TO_THE_RUNS_BIND_MOUNT,
                        edit(services -> object(services, "agent-client").putArray("volumes").add("agent-runs:/runs:rw"))),
                Arguments.of("trainer writes outside /runs", ComposeRule.TRAINER_WRITES_RUNS_TO_THE_RUNS_BIND_MOUNT,
                        edit(services -> replaceWord(services.path("agent-client").path("command"), "/runs/compose",
                                "/app/runs/compose"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theRuleCatchesTheMutation(String description, ComposeRule rule, Consumer<JsonNode> mutation) throws Exception {
        JsonNode config = ComposeConfig.resolve(ComposeConfig.PLAIN);
        assertEquals(List.of(), rule.violations(config), "the unbroken file must pass " + rule);

        mutation.accept(config);

        assertFalse(rule.violations(config).isEmpty(), rule + " missed: " + description);
    }

    /** A mutation of the resolved model, given as an edit of its services. */
    private static Consumer<JsonNode> edit(Consumer<JsonNode> servicesEdit) {
        return config -> servicesEdit.accept(config.path("services"));
    }

    private static ObjectNode object(JsonNode node, String... path) {
        JsonNode at = node;
        for (String field : path) {
            at = at.path(field);
        }
        assertTrue(at.isObject(), "no object at " + String.join(".", path));
        return (ObjectNode) at;
    }

    private static void replaceWord(JsonNode array, String from, String to) {
        assertTrue(array.isArray(), "not a list: " + array);
        ArrayNode words = (ArrayNode) array;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).asText().equals(from)) {
                words.set(i, words.textNode(to));
                return;
            }
        }
        throw new AssertionError(from + " not in " + words);
    }
}
