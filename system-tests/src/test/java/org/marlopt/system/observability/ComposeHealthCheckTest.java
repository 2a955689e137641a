package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.marlopt.system.support.EnvServerProcess;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * The env-server container's health check, run as docker-compose.yml states it against the packaged jar:
 * healthy while the server serves, unhealthy once it is gone, so agent-client's service_healthy gate works.
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
