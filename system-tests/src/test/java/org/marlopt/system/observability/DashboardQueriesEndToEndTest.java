package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.system.support.ChildProcess;
import org.marlopt.system.support.FreePort;
import org.marlopt.system.support.ProjectFiles;

/**
 * Every panel shows real data: the packaged env server and a short training run of the packaged client
 * run on loopback, a real Prometheus scrapes them every second, and every PromQL expression of every
 * dashboard, with Grafana's macros resolved the way Grafana would, returns at least one series.
 */
class DashboardQueriesEndToEndTest {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    /** What Grafana substitutes for $__rate_interval at a 1 s scrape interval, with margin. */
    private static final Duration RATE_INTERVAL = Duration.ofSeconds(15);
    /** What Grafana substitutes for $__range: the dashboards' default time range. */
    private static final Duration RANGE = Duration.ofMinutes(30);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Training, evaluation and enough scrapes for every rate window must fit in this. */
    private static final Duration DATA_TIMEOUT = Duration.ofSeconds(100);
    /** The client serves /metrics this long after training; the test stops it as soon as it is done. */
    private static final long METRICS_HOLD_SECONDS = DATA_TIMEOUT.toSeconds();
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void everyDashboardQueryReturnsSeriesScrapedFromTheRunningProcesses(@TempDir Path work) throws Exception {
        List<GrafanaDashboard> dashboards = GrafanaDashboard.provisioned();
        int serverMetricsPort = FreePort.onLoopback();
        int clientMetricsPort = FreePort.onLoopback();

        Map<String, String> targets = Map.of(
                "env-server", "127.0.0.1:" + serverMetricsPort,
                "agent-client", "127.0.0.1:" + clientMetricsPort);

        try (ChildProcess server = startEnvServer(work, serverMetricsPort)) {
            int grpcPort = Integer.parseInt(server.awaitOutput(LISTENING, STARTUP_TIMEOUT).group(1));
            try (ChildProcess client = startTrainingClient(work, grpcPort, clientMetricsPort);
                 PrometheusServer prometheus = PrometheusServer.start(
                         Files.createDirectory(work.resolve("prometheus")), targets, STARTUP_TIMEOUT)) {
                prometheus.awaitTargetsUp(targets.keySet(), STARTUP_TIMEOUT);
                Map<GrafanaDashboard.Query, String> empty = awaitSeriesForEveryQuery(dashboards, prometheus, client);
                if (!empty.isEmpty()) {
                    fail(empty.size() + " dashboard queries returned no series"
                            + " (or only NaN where a panel reads a value directly):\n"
                            + empty.entrySet().stream()
                                    .map(e -> "  " + e.getKey() + "\n    sent as: " + e.getValue())
                                    .collect(Collectors.joining("\n"))
                            + "\n" + client.logTail() + "\n" + server.logTail());
                }
                assertVariablesHaveValues(dashboards, prometheus);
            }
        }
    }

    private static ChildProcess startEnvServer(Path work, int metricsPort) throws Exception {
        // A small heap makes the collections jvm_gc_pause_seconds reports happen within the short run.
        return ChildProcess.start("env-server", work.resolve("env-server.log"), List.of(
                ProjectFiles.javaExecutable(), "-Xms32m", "-Xmx128m",
                "-jar", ProjectFiles.runnableJar("env-server").toString(),
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", Integer.toString(metricsPort)));
    }

    private static ChildProcess startTrainingClient(Path work, int grpcPort, int metricsPort) throws Exception {
        return ChildProcess.start("agent-client", work.resolve("agent-client.log"), List.of(
                ProjectFiles.javaExecutable(), "-Dai.djl.offline=true", "-Xmx512m",
                "-jar", ProjectFiles.runnableJar("agent-client").toString(),
                "train",
                "--server", "127.0.0.1:" + grpcPort,
                "--metrics-host", "127.0.0.1", "--metrics-port", Integer.toString(metricsPort),
                "--metrics-hold", Long.toString(METRICS_HOLD_SECONDS),
                "--out", work.resolve("run").toString(),
                // Short but complete: several episodes, periodic checkpoints, then the evaluation.
                "--episodes", "10", "--num-envs", "4", "--checkpoint-every", "5", "--eval-episodes", "10"));
    }

    /**
     * Polls every query until each returns a series. Returns the queries still empty when the time is up
     * (resolved expression by query), or fails at once when the client dies.
     */
    private static Map<GrafanaDashboard.Query, String> awaitSeriesForEveryQuery(
            List<GrafanaDashboard> dashboards, PrometheusServer prometheus, ChildProcess client) throws Exception {
        Map<GrafanaDashboard.Query, String> pending = new LinkedHashMap<>();
        for (GrafanaDashboard dashboard : dashboards) {
            for (GrafanaDashboard.Query query : dashboard.queries()) {
                pending.put(query, PromQl.resolveGrafanaMacros(query.expr(), dashboard.variableNames(),
                        RATE_INTERVAL, RANGE));
            }
        }
        assertTrue(pending.size() > 20, "expected the dashboards' queries, found " + pending.size());
        Instant deadline = Instant.now().plus(DATA_TIMEOUT);
        while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
            Optional<Integer> exit = client.exitCode();
            if (exit.isPresent() && exit.get() != 0) {
                fail("the training client exited with code " + exit.get() + "\n" + client.logTail());
            }
            List<GrafanaDashboard.Query> answered = new ArrayList<>();
            for (Map.Entry<GrafanaDashboard.Query, String> query : pending.entrySet()) {
                if (showsData(query.getValue(), prometheus.query(query.getValue()))) {
                    answered.add(query.getKey());
                }
            }
            answered.forEach(pending::remove);
            if (!pending.isEmpty()) {
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
        return pending;
    }

    /**
     * At least one series; and when the query reads values directly (no rate window, no division, which
     * are NaN while idle), at least one that is a number: a gauge reading NaN shows an empty panel.
     */
    private static boolean showsData(String expr, List<JsonNode> series) {
        boolean readsValuesDirectly = PromQl.rangeSelectors(expr).isEmpty() && !expr.contains(" / ");
        return readsValuesDirectly
                ? series.stream().anyMatch(s -> !"NaN".equals(s.path("value").path(1).asText()))
                : !series.isEmpty();
    }

    /** Each dashboard variable offers values, so its panels are not filtered down to nothing. */
    private static void assertVariablesHaveValues(List<GrafanaDashboard> dashboards, PrometheusServer prometheus)
            throws Exception {
        for (GrafanaDashboard dashboard : dashboards) {
            for (GrafanaDashboard.Variable variable : dashboard.variables()) {
                // A chained variable's query names other variables, which Grafana sends as "All" (.*).
                PromQl.LabelValuesQuery query = PromQl.LabelValuesQuery.parse(PromQl.resolveGrafanaMacros(
                        variable.query(), dashboard.variableNames(), RATE_INTERVAL, RANGE));
                assertFalse(prometheus.labelValues(query.label(), query.selector()).isEmpty(),
                        dashboard.name() + " variable " + variable.name() + " has no values: " + variable.query());
            }
        }
    }
}
