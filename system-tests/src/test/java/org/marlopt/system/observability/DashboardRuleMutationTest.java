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
import org.marlopt.system.support.ProjectFiles;

/**
 * Every {@link DashboardRule} fails on a provisioned dashboard with one thing broken, so none passes vacuously,
 * and the unbroken dashboard passes each rule.
 */
class DashboardRuleMutationTest {

    private static final String TRAINING = "training.json";
    private static final String ENV_SERVER = "env-server.json";

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("a target on the fixed uid", TRAINING, DashboardRule.EVERY_QUERY_USES_THE_DATASOURCE_VARIABLE,
                        edit(json -> ((ObjectNode) target(json, "Episode return", 1).path("datasource"))
                                .put("uid", "prometheus"))),
                Arguments.of("a panel on the fixed uid", ENV_SERVER, DashboardRule.EVERY_QUERY_USES_THE_DATASOURCE_VARIABLE,
                        edit(json -> ((ObjectNode) panel(json, "Uptime").path("datasource")).put("uid", "prometheus"))),
                Arguments.of("no datasource variable", ENV_SERVER, DashboardRule.EVERY_QUERY_USES_THE_DATASOURCE_VARIABLE,
                        edit(json -> removeVariable(json, "datasource"))),
                Arguments.of("a raw counter on a stat", TRAINING, DashboardRule.COUNTERS_ARE_SHOWN_AS_RATES_OR_INCREASES,
                        setExpr("Env steps in the time range", 0,
                                "sum by (run) (marl_train_env_steps_total{run=~\"$run\", instance=~\"$instance\"})")),
                Arguments.of("a raw histogram count", ENV_SERVER, DashboardRule.COUNTERS_ARE_SHOWN_AS_RATES_OR_INCREASES,
                        setExpr("Completed calls per second by method and status", 0,
                                "sum by (method) (grpc_server_processing_duration_seconds_count)")),
                Arguments.of("env steps/s in a plain unit", TRAINING, DashboardRule.RATES_HAVE_A_RATE_UNIT,
                        setUnit("Env steps / s", "short")),
                Arguments.of("a counter rate in a plain unit", ENV_SERVER, DashboardRule.RATES_HAVE_A_RATE_UNIT,
                        setUnit("Resets per second by env", "short")),
                Arguments.of("pauses/s taking the max's seconds override", ENV_SERVER, DashboardRule.RATES_HAVE_A_RATE_UNIT,
                        edit(json -> ((ObjectNode) panel(json, "GC pauses per second and longest pause")
                                .path("fieldConfig").path("overrides").get(0).path("matcher")).put("options", "A"))),
                Arguments.of("no instance variable", TRAINING, DashboardRule.TRAINING_DASHBOARD_FILTERS_BY_INSTANCE,
                        edit(json -> removeVariable(json, "instance"))),
                Arguments.of("instance values from a server metric", TRAINING,
                        DashboardRule.TRAINING_DASHBOARD_FILTERS_BY_INSTANCE,
                        edit(json -> variableQuery(json, "instance")
                                .put("query", "label_values(marl_env_sessions_active, instance)"))),
                Arguments.of("a query ignoring the instance", TRAINING, DashboardRule.TRAINING_DASHBOARD_FILTERS_BY_INSTANCE,
                        setExpr("Loss per agent", 0, "marl_agent_loss{run=~\"$run\"}")),
                Arguments.of("client latency merged over runs", TRAINING, DashboardRule.TRAINING_SERIES_ARE_SPLIT_BY_RUN,
                        setExpr("Client call latency p50 / p99 by run and method", 0,
                                "histogram_quantile(0.5, sum by (le, method) (rate(grpc_client_processing_duration_seconds_bucket"
                                        + "{run=~\"$run\", instance=~\"$instance\"}[$__rate_interval])))")),
                Arguments.of("client calls summed without by", TRAINING, DashboardRule.TRAINING_SERIES_ARE_SPLIT_BY_RUN,
                        setExpr("Client calls per second by run, method and status", 0,
                                "sum(rate(grpc_client_processing_duration_seconds_count"
                                        + "{run=~\"$run\", instance=~\"$instance\"}[$__rate_interval]))")),
                Arguments.of("a legend without the run", TRAINING, DashboardRule.TRAINING_SERIES_ARE_SPLIT_BY_RUN,
                        edit(json -> ((ObjectNode) target(json, "Client calls per second by run, method and status", 0))
                                .put("legendFormat", "{{method}} {{statusCode}}"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void theRuleCatchesTheMutation(String description, String file, DashboardRule rule, Consumer<JsonNode> mutation)
            throws Exception {
        GrafanaDashboard dashboard = GrafanaDashboard.read(ProjectFiles.root().resolve("grafana/dashboards/" + file));
        assertEquals(List.of(), rule.violations(dashboard), "the unbroken dashboard must pass " + rule);

        mutation.accept(dashboard.json());

        assertFalse(rule.violations(dashboard).isEmpty(), rule + " missed: " + description);
    }

    /** Gives a lambda its type where Arguments.of would take it as a bare Object. */
    private static Consumer<JsonNode> edit(Consumer<JsonNode> edit) {
        return edit;
    }

    private static Consumer<JsonNode> setExpr(String panelTitle, int target, String expr) {
        return json -> ((ObjectNode) target(json, panelTitle, target)).put("expr", expr);
    }

    private static Consumer<JsonNode> setUnit(String panelTitle, String unit) {
        return json -> ((ObjectNode) panel(json, panelTitle).path("fieldConfig").path("defaults")).put("unit", unit);
    }

    private static JsonNode panel(JsonNode json, String title) {
        GrafanaDashboard dashboard = new GrafanaDashboard(null, json);
        return dashboard.panels().stream().filter(panel -> title.equals(panel.path("title").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no panel \"" + title + "\""));
    }

    private static JsonNode target(JsonNode json, String panelTitle, int index) {
        JsonNode target = panel(json, panelTitle).path("targets").path(index);
        assertTrue(target.isObject(), "panel \"" + panelTitle + "\" has no target " + index);
        return target;
    }

    private static void removeVariable(JsonNode json, String name) {
        ArrayNode variables = (ArrayNode) json.path("templating").path("list");
        for (int i = 0; i < variables.size(); i++) {
            if (name.equals(variables.get(i).path("name").asText())) {
                variables.remove(i);
                return;
            }
        }
        throw new AssertionError("no variable " + name);
    }

    private static ObjectNode variableQuery(JsonNode json, String name) {
        return (ObjectNode) new GrafanaDashboard(null, json).variable(name).path("query");
    }
}
