package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/** prometheus/prometheus.yml is valid for Prometheus and scrapes both compose services. */
class PrometheusConfigTest {

    private static final String CONFIG = "prometheus/prometheus.yml";

    @Test
    void promtoolAcceptsTheConfig() throws Exception {
        // promtool checks syntax and semantics; it does not resolve the compose-only host names.
        ExternalCommand check = ExternalCommand.run(Duration.ofSeconds(60), "promtool", "check", "config", CONFIG);

        assertEquals(0, check.exitCode(), "promtool check config " + CONFIG + ": " + check.describe());
    }

    @Test
    void scrapesEveryReplicaOfBothServicesOnTheirMetricsPorts() throws Exception {
        JsonNode config = new YAMLMapper().readTree(ProjectFiles.file(CONFIG).toFile());

        assertAll(
                () -> assertScrapes(config, "env-server", 9464),
                () -> assertScrapes(config, "agent-client", 9465),
                () -> assertTrue(seconds(config.path("global").path("scrape_interval").asText()) <= 5,
                        "a training run needs a scrape interval of 5s or less"));
    }

    /** DNS service discovery on the compose service name finds every replica of a scaled service. */
    private static void assertScrapes(JsonNode config, String service, int port) {
        JsonNode job = null;
        for (JsonNode candidate : config.path("scrape_configs")) {
            if (service.equals(candidate.path("job_name").asText())) {
                job = candidate;
            }
        }
        assertTrue(job != null, "no scrape job " + service);
        JsonNode discovery = job.path("dns_sd_configs").path(0);
        assertEquals("[\"" + service + "\"]", discovery.path("names").toString(), service + " DNS names");
        assertEquals("A", discovery.path("type").asText(), service + " DNS record type");
        assertEquals(port, discovery.path("port").asInt(), service + " metrics port");
        assertEquals("/metrics", job.path("metrics_path").asText("/metrics"), service + " metrics path");
    }

    private static long seconds(String promDuration) {
        assertTrue(promDuration.matches("\\d+s"), "expected a duration in seconds: " + promDuration);
        return Duration.parse("PT" + promDuration.toUpperCase()).toSeconds();
    }
}
