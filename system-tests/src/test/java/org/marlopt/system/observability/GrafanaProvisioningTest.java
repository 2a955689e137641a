package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.marlopt.system.support.ProjectFiles;

/** The Grafana provisioning files and dashboards agree with each other, the compose file and the metric contract. */
class GrafanaProvisioningTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void datasourceProvisioningDeclaresTheFixedUidPointingAtTheComposePrometheus() throws IOException {
        JsonNode datasource = singlePrometheusDatasource();

        assertEquals("prometheus", datasource.path("uid").asText(), "datasource uid");
        URI url = URI.create(datasource.path("url").asText());
        JsonNode prometheusService = composeFile().path("services").path(url.getHost());
        assertFalse(prometheusService.isMissingNode(),
                "datasource url " + url + " does not name a docker-compose.yml service");
        assertEquals(9090, url.getPort(), "datasource url port (Prometheus listens on 9090)");
    }

    @Test
    void dashboardProviderLoadsTheDirectoryComposeMountsTheDashboardsAt() throws IOException {
        List<String> grafanaVolumes = new ArrayList<>();
        composeFile().path("services").path("grafana").path("volumes").forEach(v -> grafanaVolumes.add(v.asText()));
        JsonNode providers = readYaml("grafana/provisioning/dashboards").path("providers");

        assertEquals(1, providers.size(), "dashboard providers");
        String path = providers.get(0).path("options").path("path").asText();
        assertTrue(grafanaVolumes.contains("./grafana/dashboards:" + path + ":ro"),
                "compose mounts ./grafana/dashboards at the provider path " + path + ": " + grafanaVolumes);
        assertTrue(grafanaVolumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"),
                "compose mounts the provisioning directory: " + grafanaVolumes);
    }

    @Test
    void everyDashboardCarriesIdentityRefreshAndTimeRange() throws IOException {
        List<GrafanaDashboard> dashboards = GrafanaDashboard.provisioned();
        assertEquals(Set.of("env-server.json", "training.json"),
                dashboards.stream().map(GrafanaDashboard::name).collect(Collectors.toSet()));

        List<Executable> checks = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (GrafanaDashboard dashboard : dashboards) {
            JsonNode json = dashboard.json();
            String name = dashboard.name();
            checks.add(() -> assertTrue(uids.add(json.path("uid").asText()), name + ": uid missing or not unique"));
            checks.add(() -> assertFalse(json.path("title").asText().isBlank(), name + ": title"));
            checks.add(() -> assertTrue(json.path("schemaVersion").asInt() > 0, name + ": schemaVersion"));
            checks.add(() -> assertFalse(json.path("refresh").asText().isBlank(), name + ": refresh"));
            checks.add(() -> assertFalse(json.path("time").path("from").asText().isBlank(), name + ": time.from"));
            checks.add(() -> assertFalse(json.path("time").path("to").asText().isBlank(), name + ": time.to"));
        }
        assertAll(checks);
    }

    /** Panels query ${datasource} (a rule below), which opens on the provisioned Prometheus. */
    @Test
    void theDatasourceVariableDefaultsToTheProvisionedPrometheus() throws IOException {
        String uid = singlePrometheusDatasource().path("uid").asText();
        List<Executable> checks = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.provisioned()) {
            JsonNode variable = dashboard.variable(DashboardRule.DATASOURCE_VARIABLE);
            checks.add(() -> assertEquals(uid, variable.path("current").path("value").asText(),
                    dashboard.name() + " / variable " + DashboardRule.DATASOURCE_VARIABLE + " default"));
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(DashboardRule.class)
    void everyDashboardFollowsTheRule(DashboardRule rule) throws IOException {
        List<String> violations = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.provisioned()) {
            violations.addAll(rule.violations(dashboard));
        }
        assertTrue(violations.isEmpty(), rule + ":\n" + String.join("\n", violations));
    }

    @Test
    void everyPanelHasAUniqueIdAndAtLeastOneQuery() throws IOException {
        List<Executable> checks = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.provisioned()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.panels()) {
                String where = dashboard.name() + " / panel \"" + panel.path("title").asText() + "\"";
                checks.add(() -> assertTrue(ids.add(panel.path("id").asInt(-1)), where + ": id missing or reused"));
                if (!GrafanaDashboard.isRow(panel)) {
                    checks.add(() -> assertTrue(panel.path("targets").size() > 0, where + ": no query"));
                    panel.path("targets").forEach(target -> checks.add(() -> assertFalse(
                            target.path("expr").asText().isBlank(), where + ": empty expr")));
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void queriesSelectOnlyContractMetricsAndRatesUseTheRateInterval() throws IOException {
        Set<String> contract = MetricContract.seriesNames();
        List<Executable> checks = new ArrayList<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.provisioned()) {
            for (GrafanaDashboard.Query query : dashboard.queries()) {
                Set<String> unknown = new TreeSet<>(PromQl.metricNames(query.expr()));
                unknown.removeAll(contract);
                checks.add(() -> assertTrue(unknown.isEmpty(), query + "\n  selects non-contract metrics " + unknown));
                checks.add(() -> assertTrue(PromQl.rangeSelectors(query.expr()).stream()
                                .allMatch(range -> range.equals("$__rate_interval") || range.equals("$__range")),
                        query + "\n  uses a fixed range instead of $__rate_interval"));
            }
            for (GrafanaDashboard.Variable variable : dashboard.variables()) {
                checks.add(() -> {
                    PromQl.LabelValuesQuery query = PromQl.LabelValuesQuery.parse(variable.query());
                    Set<String> unknown = new TreeSet<>(PromQl.metricNames(query.selector()));
                    unknown.removeAll(contract);
                    assertTrue(unknown.isEmpty(), variable + " selects non-contract metrics " + unknown);
                });
            }
        }
        assertAll(checks);
    }

    @Test
    void everyContractMeterIsShownOnADashboard() throws IOException {
        Set<String> shown = new TreeSet<>();
        for (GrafanaDashboard dashboard : GrafanaDashboard.provisioned()) {
            for (GrafanaDashboard.Query query : dashboard.queries()) {
                PromQl.metricNames(query.expr()).forEach(name -> shown.add(MetricContract.family(name)));
            }
        }
        Set<String> missing = MetricContract.seriesNames().stream().map(MetricContract::family)
                .filter(family -> !shown.contains(family)).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(missing.isEmpty(), "contract meters no dashboard shows: " + missing);
    }

    private static JsonNode singlePrometheusDatasource() throws IOException {
        List<JsonNode> prometheus = new ArrayList<>();
        readYaml("grafana/provisioning/datasources").path("datasources").forEach(ds -> {
            if ("prometheus".equals(ds.path("type").asText())) {
                prometheus.add(ds);
            }
        });
        assertEquals(1, prometheus.size(), "Prometheus datasources provisioned");
        return prometheus.get(0);
    }

    /** The one YAML file in a provisioning directory. */
    private static JsonNode readYaml(String directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(ProjectFiles.root().resolve(directory))) {
            files = listing.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList();
        }
        assertEquals(1, files.size(), "YAML files in " + directory + ": " + files);
        return YAML.readTree(files.get(0).toFile());
    }

    private static JsonNode composeFile() throws IOException {
        return YAML.readTree(ProjectFiles.file("docker-compose.yml").toFile());
    }
}
