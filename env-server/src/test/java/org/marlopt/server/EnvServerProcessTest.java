package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;

/** The command line in a child JVM: port from ENV_SERVER_PORT, the announced port, SIGTERM. */
class EnvServerProcessTest {

    @Test
    void announcesItsPortServesAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                EnvServerMain.class.getName(), "--host", "127.0.0.1", "--metrics-port", "0",
                "--drain-delay-seconds", "1", "--max-connection-age-seconds", "60"))
                .redirectError(log.toFile());
        builder.environment().put("ENV_SERVER_PORT", "0");
        Process process = builder.start();
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = stdout.readLine();
            Matcher announced = Pattern.compile("listening on port (\\d+)").matcher(String.valueOf(line));
            assertTrue(announced.matches(), "first stdout line: " + line);
            int port = Integer.parseInt(announced.group(1));
            assertTrue(port > 0);

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                assertEquals("v2", EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getProtocolVersion());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server exits after SIGTERM");
            String logged = Files.readString(log);
            assertTrue(logged.contains("drain: readiness NOT_SERVING, liveness stays SERVING; serving on for the PT1S "
                    + "drain delay"), logged);
            assertTrue(logged.contains("env server stopped"), "shut down through close()");
        } finally {
            process.destroyForcibly();
        }
    }
}
