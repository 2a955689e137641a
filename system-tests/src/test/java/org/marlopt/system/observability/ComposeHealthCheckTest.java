package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The env-server container's health check, run as docker-compose.yml states it against the packaged jar:
 * healthy while the server serves, unhealthy once it is gone, so agent-client's service_healthy gate works.
 */
class ComposeHealthCheckTest {

    private static final String IMAGE_JAR = "/app/env-server.jar";
    private static final String IMAGE_TARGET = "127.0.0.1:50051";
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void healthCheckPassesWhileTheServerServesAndFailsOnceItStops(@TempDir Path work) throws Exception {
        List<String> test = ComposeConfig.strings(
                ComposeConfig.resolve(Map.of()).path("services").path("env-server").path("healthcheck").path("test"));
        assertEquals("CMD", test.get(0), "exec-form health check " + test);
        assertTrue(test.contains(IMAGE_JAR) && test.contains(IMAGE_TARGET), "health check " + test);

        String target;
        ExternalCommand whileServing;
        try (ChildProcess server = ChildProcess.start("env-server", work.resolve("env-server.log"), List.of(
                ProjectFiles.javaExecutable(), "-jar", ProjectFiles.runnableJar("env-server").toString(),
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"))) {
            target = "127.0.0.1:" + server.awaitOutput(LISTENING, TIMEOUT).group(1);
            whileServing = runHere(test, target);
        }
        ExternalCommand afterStop = runHere(test, target);

        assertEquals(0, whileServing.exitCode(), "health check against a serving server: " + whileServing.describe());
        assertTrue(whileServing.output().contains("SERVING"), whileServing.describe());
        assertEquals(1, afterStop.exitCode(), "health check against a stopped server: " + afterStop.describe());
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
        return ExternalCommand.run(ProjectFiles.root(), Map.of(), TIMEOUT, command);
    }
}
