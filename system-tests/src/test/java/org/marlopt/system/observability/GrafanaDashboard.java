package org.marlopt.system.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.marlopt.system.support.ProjectFiles;

/** A provisioned Grafana dashboard JSON file, read as the tests need it. */
record GrafanaDashboard(Path file, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One PromQL target of a panel. */
    record Query(String dashboard, String panel, String refId, String expr) {
        @Override
        public String toString() {
            return dashboard + " / panel \"" + panel + "\" / " + refId + ": " + expr;
        }
    }

    /** A templating variable whose values come from a query. */
    record Variable(String dashboard, String name, String query) {
    }

    static GrafanaDashboard read(Path file) throws IOException {
        return new GrafanaDashboard(file, JSON.readTree(file.toFile()));
    }

    /** The dashboards Grafana provisions: every JSON file in grafana/dashboards. */
    static List<GrafanaDashboard> provisioned() throws IOException {
        List<GrafanaDashboard> dashboards = new ArrayList<>();
        try (var files = java.nio.file.Files.list(ProjectFiles.root().resolve("grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(read(file));
            }
        }
        return dashboards;
    }

    String name() {
        return file.getFileName().toString();
    }

    /** Every panel, including the panels nested in (collapsed) rows. */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(json.path("panels"), panels);
        return panels;
    }

    private static void collectPanels(JsonNode list, List<JsonNode> into) {
        for (JsonNode panel : list) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    static boolean isRow(JsonNode panel) {
        return "row".equals(panel.path("type").asText());
    }

    /** Every PromQL expression of every panel target. */
    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(name(), panel.path("title").asText(), target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** The query variables, whose query is either a plain string or Grafana's {query: ...} object. */
    List<Variable> variables() {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : json.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                variables.add(new Variable(name(), variable.path("name").asText(),
                        query.isTextual() ? query.asText() : query.path("query").asText()));
            }
        }
        return variables;
    }

    /** The templating variable called {@code name}, or a missing node. */
    JsonNode variable(String name) {
        for (JsonNode variable : json.path("templating").path("list")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        return MissingNode.getInstance();
    }

    /** The unit Grafana shows target {@code refId} of {@code panel} in: its refId override, else the default. */
    static String unitOf(JsonNode panel, String refId) {
        JsonNode fieldConfig = panel.path("fieldConfig");
        for (JsonNode override : fieldConfig.path("overrides")) {
            JsonNode matcher = override.path("matcher");
            if ("byFrameRefID".equals(matcher.path("id").asText()) && refId.equals(matcher.path("options").asText())) {
                for (JsonNode property : override.path("properties")) {
                    if ("unit".equals(property.path("id").asText())) {
                        return property.path("value").asText();
                    }
                }
            }
        }
        return fieldConfig.path("defaults").path("unit").asText();
    }

    static String describe(GrafanaDashboard dashboard, JsonNode panel) {
        return dashboard.name() + " / panel \"" + panel.path("title").asText() + "\"";
    }

    /** The names of all variables, query-based or not, that expressions may reference. */
    List<String> variableNames() {
        List<String> names = new ArrayList<>();
        json.path("templating").path("list").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }
}
