package org.marlopt.system.observability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What every provisioned dashboard must guarantee, read statically from its JSON. Each rule lists its violations,
 * naming the dashboard, panel or variable and the fix; none means the rule holds. The last two hold the training
 * dashboard to its filters: one trainer, one run.
 */
enum DashboardRule {

    /** Panels follow the dashboard's datasource picker, so the dashboards work against any Prometheus. */
    EVERY_QUERY_USES_THE_DATASOURCE_VARIABLE {
        @Override
        void check(GrafanaDashboard dashboard, List<String> violations) {
            JsonNode variable = dashboard.variable(DATASOURCE_VARIABLE);
            if (!"datasource".equals(variable.path("type").asText())
                    || !"prometheus".equals(variable.path("query").asText())) {
                violations.add(dashboard.name() + ": needs the variable " + DATASOURCE_VARIABLE
                        + " of type datasource with query prometheus, has " + variable);
            }
            for (JsonNode panel : dashboard.panels()) {
                if (!GrafanaDashboard.isRow(panel)) {
                    String where = GrafanaDashboard.describe(dashboard, panel);
                    requireVariableUid(panel, where, violations);
                    panel.path("targets").forEach(target -> requireVariableUid(target,
                            where + " target " + target.path("refId").asText(), violations));
                }
            }
            for (JsonNode queryVariable : dashboard.json().path("templating").path("list")) {
                if ("query".equals(queryVariable.path("type").asText())) {
                    requireVariableUid(queryVariable, dashboard.name() + " / variable "
                            + queryVariable.path("name").asText(), violations);
                }
            }
        }
    },

    /** A raw counter only climbs; what a reader wants is how fast, or how much in a window. */
    COUNTERS_ARE_SHOWN_AS_RATES_OR_INCREASES {
        @Override
        void check(GrafanaDashboard dashboard, List<String> violations) {
            for (GrafanaDashboard.Query query : dashboard.queries()) {
                for (PromQl.Selector selector : PromQl.selectors(query.expr())) {
                    boolean windowed = COUNTER_FUNCTIONS.contains(selector.function()) && !selector.range().isEmpty();
                    if (selector.isCounter() && !windowed) {
                        violations.add(query + "\n  shows the counter " + selector.metric() + " raw: wrap it in "
                                + "rate(...[$__rate_interval]) or increase(...[$__rate_interval])");
                    }
                }
            }
        }
    },

    /** Events per second read as such: a throughput unit (ops, reqps, ...) or a custom "suffix: .../s". */
    RATES_HAVE_A_RATE_UNIT {
        @Override
        void check(GrafanaDashboard dashboard, List<String> violations) {
            for (JsonNode panel : dashboard.panels()) {
                for (JsonNode target : panel.path("targets")) {
                    String refId = target.path("refId").asText();
                    String unit = GrafanaDashboard.unitOf(panel, refId);
                    if (showsEventsPerSecond(target.path("expr").asText()) && !isRateUnit(unit)) {
                        violations.add(GrafanaDashboard.describe(dashboard, panel) + " target " + refId
                                + " shows events per second in the unit '" + unit + "': use e.g. ops, reqps or "
                                + "\"suffix: steps/s\" (an override by refId where targets differ)");
                    }
                }
            }
        }
    },

    /** Several trainers (compose run --use-aliases) are told apart by their Prometheus instance. */
    TRAINING_DASHBOARD_FILTERS_BY_INSTANCE {
        @Override
        boolean appliesTo(GrafanaDashboard dashboard) {
            return isTraining(dashboard);
        }

        @Override
        void check(GrafanaDashboard dashboard, List<String> violations) {
            JsonNode variable = dashboard.variable(INSTANCE_VARIABLE);
            String query = variable.path("query").path("query").asText(variable.path("query").asText());
            boolean overClientMetric;
            try {
                PromQl.LabelValuesQuery labelValues = PromQl.LabelValuesQuery.parse(query);
                Set<String> metrics = PromQl.metricNames(labelValues.selector());
                overClientMetric = labelValues.label().equals(INSTANCE_VARIABLE) && !metrics.isEmpty()
                        && MetricContract.clientSeriesNames().containsAll(metrics);
            } catch (IllegalArgumentException notLabelValues) {
                overClientMetric = false;
            }
            if (!overClientMetric) {
                violations.add(dashboard.name() + ": needs the query variable " + INSTANCE_VARIABLE
                        + " = label_values(<a client metric>, instance), has '" + query + "'");
            }
            for (GrafanaDashboard.Query each : dashboard.queries()) {
                for (PromQl.Selector selector : PromQl.selectors(each.expr())) {
                    if (!selector.matchers().contains(INSTANCE_FILTER)) {
                        violations.add(each + "\n  selects " + selector.metric() + " without " + INSTANCE_FILTER);
                    }
                }
            }
        }
    },

    /** Runs never blend: every aggregation keeps the run label and every legend names the run. */
    TRAINING_SERIES_ARE_SPLIT_BY_RUN {
        @Override
        boolean appliesTo(GrafanaDashboard dashboard) {
            return isTraining(dashboard);
        }

        @Override
        void check(GrafanaDashboard dashboard, List<String> violations) {
            for (JsonNode panel : dashboard.panels()) {
                for (JsonNode target : panel.path("targets")) {
                    String where = GrafanaDashboard.describe(dashboard, panel) + " target "
                            + target.path("refId").asText();
                    for (PromQl.Aggregation aggregation : PromQl.aggregations(target.path("expr").asText())) {
                        if (!aggregation.modifier().equals("by") || !aggregation.labels().contains("run")) {
                            violations.add(where + ": " + aggregation + " merges runs; aggregate by (run, ...)");
                        }
                    }
                    String legend = target.path("legendFormat").asText();
                    if (!legend.isEmpty() && !legend.contains("{{run}}")) {
                        violations.add(where + ": the legend '" + legend + "' does not name the {{run}}");
                    }
                }
            }
        }
    };

    static final String DATASOURCE_VARIABLE = "datasource";
    static final String INSTANCE_VARIABLE = "instance";
    static final String TRAINING = "training.json";
    private static final String DATASOURCE_UID = "${" + DATASOURCE_VARIABLE + "}";
    private static final String INSTANCE_FILTER = "instance=~\"$" + INSTANCE_VARIABLE + "\"";
    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "increase");
    /** Grafana's throughput units. */
    private static final Set<String> RATE_UNITS = Set.of("cps", "ops", "reqps", "rps", "wps", "iops", "eps", "mps",
            "recps", "rowsps");

    /** This rule's violations in {@code dashboard}; empty when it holds or does not apply. */
    List<String> violations(GrafanaDashboard dashboard) {
        List<String> violations = new ArrayList<>();
        if (appliesTo(dashboard)) {
            check(dashboard, violations);
        }
        return violations;
    }

    boolean appliesTo(GrafanaDashboard dashboard) {
        return true;
    }

    abstract void check(GrafanaDashboard dashboard, List<String> violations);

    private static boolean isTraining(GrafanaDashboard dashboard) {
        return dashboard.name().equals(TRAINING);
    }

    private static void requireVariableUid(JsonNode node, String where, List<String> violations) {
        String uid = node.path("datasource").path("uid").asText();
        if (!DATASOURCE_UID.equals(uid)) {
            violations.add(where + ": datasource uid must be " + DATASOURCE_UID + ", is '" + uid + "'");
        }
    }

    /** A per-second rate of events (a counter of events, or a gauge named per second), not a ratio of rates. */
    private static boolean showsEventsPerSecond(String expr) {
        return !PromQl.isRatio(expr) && PromQl.selectors(expr).stream().anyMatch(selector ->
                selector.metric().endsWith("_per_second")
                        || selector.function().equals("rate") && selector.metric().matches(".*_(total|count)"));
    }

    private static boolean isRateUnit(String unit) {
        return RATE_UNITS.contains(unit) || unit.startsWith("suffix:") && unit.endsWith("/s");
    }
}
