package org.marlopt.system.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.marlopt.system.support.ChildProcess;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.FreePort;

/** A real Prometheus (the Debian package) on a free 127.0.0.1 port, scraping loopback targets every second. */
final class PrometheusServer implements AutoCloseable {

    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProcess process;
    private final URI baseUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private PrometheusServer(ChildProcess process, URI baseUri) {
        this.process = process;
        this.baseUri = baseUri;
    }

    /**
     * Starts Prometheus with one static job per entry of {@code targetsByJob} (job name to host:port) and
     * waits until it is ready.
     */
    static PrometheusServer start(Path workDir, Map<String, String> targetsByJob, Duration readyTimeout)
            throws IOException, InterruptedException {
        ExternalCommand.requireOnPath("prometheus");
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, scrapeConfig(targetsByJob));
        int port = FreePort.onLoopback();
        ChildProcess process = ChildProcess.start("prometheus", workDir.resolve("prometheus.log"), List.of(
                "prometheus",
                "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.path=" + workDir.resolve("data")));
        PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady(readyTimeout);
            return server;
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    private static String scrapeConfig(Map<String, String> targetsByJob) {
        StringBuilder yaml = new StringBuilder()
                .append("global:\n")
                .append("  scrape_interval: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("  scrape_timeout: ").append(SCRAPE_INTERVAL.toSeconds()).append("s\n")
                .append("scrape_configs:\n");
        targetsByJob.forEach((job, target) -> yaml
                .append("  - job_name: ").append(job).append('\n')
                .append("    static_configs:\n")
                .append("      - targets: ['").append(target).append("']\n"));
        return yaml.toString();
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                HttpResponse<String> response = http.send(request(baseUri.resolve("/-/ready")),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // retried below until the deadline
            }
            if (process.exitCode().isPresent() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Prometheus is not ready\n" + process.logTail());
            }
            Thread.sleep(200);
        }
    }

    /** Waits until Prometheus has scraped every job's target successfully. */
    void awaitTargetsUp(Collection<String> jobs, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> health = targetHealthByJob();
        while (!jobs.stream().allMatch(job -> "up".equals(health.get(job)))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("targets not up within " + timeout + ": " + health
                        + "\n" + process.logTail());
            }
            Thread.sleep(SCRAPE_INTERVAL.toMillis());
            health.putAll(targetHealthByJob());
        }
    }

    /** The health ("up", "down", "unknown") and last scrape error of every active target, by job name. */
    private Map<String, String> targetHealthByJob() throws IOException, InterruptedException {
        Map<String, String> health = new TreeMap<>();
        get("/api/v1/targets?state=active").path("activeTargets").forEach(target -> health.put(
                target.path("labels").path("job").asText(),
                target.path("health").asText() + (target.path("lastError").asText().isEmpty()
                        ? "" : " (" + target.path("lastError").asText() + ")")));
        return health;
    }

    /** The series an instant PromQL query returns now. */
    List<JsonNode> query(String promQl) throws IOException, InterruptedException {
        JsonNode data = get("/api/v1/query?query=" + encode(promQl));
        List<JsonNode> series = new ArrayList<>();
        data.path("result").forEach(series::add);
        return series;
    }

    /** The values of {@code label} on series matching {@code selector} (Grafana's label_values). */
    List<String> labelValues(String label, String selector) throws IOException, InterruptedException {
        JsonNode data = get("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(selector));
        List<String> values = new ArrayList<>();
        data.forEach(value -> values.add(value.asText()));
        return values;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(baseUri.resolve(pathAndQuery)),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + pathAndQuery
                    + ": " + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.path("data");
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** host:port of the HTTP API. */
    String address() {
        return baseUri.getAuthority();
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
