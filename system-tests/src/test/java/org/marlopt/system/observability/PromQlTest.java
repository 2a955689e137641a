package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL reading the dashboard tests rely on. */
class PromQlTest {

    @Test
    void metricNamesSkipFunctionsKeywordsLabelsAndNumbers() {
        String expr = "histogram_quantile(0.99, sum by (le, method) ("
                + "rate(grpc_server_processing_duration_seconds_bucket"
                + "{application=\"env-server\", method=~\"Step|Reset\"}[$__rate_interval]))) "
                + "/ on (method) group_left sum without (instance) (x_total offset 5m) > bool 1e3 or vector(0)";

        assertEquals(Set.of("grpc_server_processing_duration_seconds_bucket", "x_total"), PromQl.metricNames(expr));
    }

    @Test
    void labelValuesInsideStringsAreNotMetricNames() {
        assertEquals(Set.of("marl_episodes_total"),
                PromQl.metricNames("sum(marl_episodes_total{outcome=\"solved\", run=~\"a_{1}|b\"})"));
    }

    @Test
    void macrosAndVariablesResolveToWhatGrafanaSendsForAll() {
        String resolved = PromQl.resolveGrafanaMacros(
                "increase(a{run=~\"$run\", env=~\"${env}\", r=~\"$runner\"}[$__range]) / rate(a[$__rate_interval])",
                List.of("run", "env"), Duration.ofSeconds(15), Duration.ofMinutes(30));

        assertEquals("increase(a{run=~\".*\", env=~\".*\", r=~\"$runner\"}[1800s]) / rate(a[15s])", resolved);
    }

    @Test
    void rangeSelectorsAreListedInOrder() {
        assertEquals(List.of("$__rate_interval", "5m"),
                PromQl.rangeSelectors("rate(a{le=\"[x]\"}[$__rate_interval]) + rate(b[5m])"));
    }

    @Test
    void labelValuesQueriesNeedASelectorAndALabel() {
        String selector = "marl_env_sessions_active{application=\"env-server\"}";

        assertEquals(new PromQl.LabelValuesQuery(selector, "instance"),
                PromQl.LabelValuesQuery.parse("label_values(" + selector + ", instance)"));
        assertThrows(IllegalArgumentException.class, () -> PromQl.LabelValuesQuery.parse("label_values(instance)"));
    }

    @Test
    void selectorsNameTheirMatchersRangeAndTheFunctionTheyAreTheArgumentOf() {
        assertEquals(List.of(
                        new PromQl.Selector("a_total", "{path=\"/}\"}", "5m", "rate"),
                        new PromQl.Selector("b_count", "", "", "sum"),
                        new PromQl.Selector("c", "", "", "")),
                PromQl.selectors("sum by (run) (rate(a_total{path=\"/}\"} [5m])) / sum without (le) (b_count) + c"));
    }

    @Test
    void aggregationsListTheLabelsTheyGroupBy() {
        assertEquals(List.of(
                        new PromQl.Aggregation("sum", "by", List.of("le", "run")),
                        new PromQl.Aggregation("max", "", List.of())),
                PromQl.aggregations("histogram_quantile(0.5, sum by (le, run) (rate(x_max[1m]))) + max(y{a=\"sum(\"})"));
    }

    @Test
    void onlyADivisionOutsideStringsMakesARatio() {
        assertTrue(PromQl.isRatio("rate(a_sum[1m]) / rate(a_count[1m])"));
        assertFalse(PromQl.isRatio("rate(a_total{path=\"/metrics\"}[1m])"));
    }
}
