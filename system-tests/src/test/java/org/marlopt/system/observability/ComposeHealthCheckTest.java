package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.system.support.EnvServerProcess;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * Health checks run as docker-compose.yml states them: the env server's against the packaged jar and
 * Prometheus's against a real Prometheus, each passing while the service runs and failing once it is gone, so
 * the service_healthy gates of agent-client and Grafana work.
 */
class ComposeHealthCheckTest {

    private static final String IMAGE_JAR = "/app/env-server.jar";
    private static final String IMAGE_TARGET = "127.0.0.1:50051";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void healthCheckPassesWhileTheServerServesAndFailsOnceItStops() throws Exception {
        List<String> test = ComposeConfig.strings(ComposeConfig.resolve(ComposeConfig.PLAIN)
                .path("services").path("env-server").path("healthcheck").path("test"));
        assertEquals("CMD", test.get(0), "exec-form health check " + test);
        assertTrue(test.contains(IMAGE_JAR) && test.contains(IMAGE_TARGET), "health check " + test);

        String target;
        ExternalCommand whileServing;
        try (EnvServerProcess server = EnvServerProcess.start()) {
            target = server.target();
            whileServing = runHere(test, target);
        }
        ExternalCommand afterStop = runHere(test, target);

        assertEquals(0, whileServing.exitCode(), "health check against a serving server: " + whileServing.describe());
        assertTrue(whileServing.output().contains("SERVING"), whileServing.describe());
        assertEquals(1, afterStop.exitCode(), "health check against a stopped server: " + afterStop.describe());
    }

    /**
     * The Prometheus container's probe, with this machine's wget (the image's is busybox's, with the same -q and
     * -O), against a real Prometheus: it passes while Prometheus runs and fails once it has stopped.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void prometheusProbePassesWhilePrometheusRunsAndFailsOnceItStops(@TempDir Path work) throws Exception {
        List<String> probe = ComposeConfig.strings(ComposeConfig.resolve(ComposeConfig.PLAIN)
                .path("services").path("prometheus").path("healthcheck").path("test"));
        String address;
        ExternalCommand whileRunning;
        try (PrometheusServer prometheus = PrometheusServer.start(work, Map.of(), TIMEOUT)) {
            address = prometheus.address();
            whileRunning = runProbe(probe, address);
        }
        ExternalCommand afterStop = runProbe(probe, address);

        assertEquals(0, whileRunning.exitCode(), "probe against a running Prometheus: " + whileRunning.describe());
        assertNotEquals(0, afterStop.exitCode(), "probe against a stopped Prometheus: " + afterStop.describe());
    }

    /** The probe's command, aimed at {@code address} instead of the container's 127.0.0.1:9090. */
    private static ExternalCommand runProbe(List<String> probe, String address) throws Exception {
        String[] command = probe.subList(1, probe.size()).stream()
                .map(word -> word.replace("127.0.0.1:9090", address))
                .toArray(String[]::new);
        return ExternalCommand.run(TIMEOUT, command);
    }

    /** The image's command with this machine's java and jar, aimed at {@code target}. */
    private static ExternalCommand runHere(List<String> imageCommand, String target) throws Exception {
        String[] command = imageCommand.subList(1, imageCommand.size()).stream()
                .map(word -> switch (word) {
                    case "java" -> ProjectFiles.javaExecutable();
                    case IMAGE_JAR -> ProjectFiles.runnableJar("env-server").toString();
                    case IMAGE_TARGET -> target;
                    default -> word;
                })
                .toArray(String[]::new);
        return ExternalCommand.run(TIMEOUT, command);
    }
}
