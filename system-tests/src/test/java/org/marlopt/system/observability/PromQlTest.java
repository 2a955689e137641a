package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
