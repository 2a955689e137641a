package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health probe as a container runs it, in a child JVM: one line whatever went wrong, no stack trace. */
class HealthProbeTest {

    @TempDir
    Path dir;

    @Test
    void aServerThatIsNotThereIsReportedInOneLine() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        // a URL as copied from a browser, to a name that does not resolve: gRPC logs a warning with a stack trace
        String target = "http://no-such-host.invalid:" + deadPort;
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EnvServerMain.class.getName(), "health",
                "--target", target, "--timeout-seconds", "3")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(probe.waitFor(30, TimeUnit.SECONDS), "the probe ends");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(1, probe.exitValue(), lines + read(err));
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("UNHEALTHY: UNAVAILABLE: Unable to resolve host no-such-host.invalid"),
                lines.get(0));
        assertEquals("", read(err), "nothing on stderr");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
