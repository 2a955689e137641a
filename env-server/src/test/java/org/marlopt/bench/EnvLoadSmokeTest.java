package org.marlopt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;
import picocli.CommandLine;

/** A tiny run of the load command against a server on 127.0.0.1: every answer verified, a report printed. */
class EnvLoadSmokeTest {

    @Test
    void aSmallLoadVerifiesEveryAnswerAndReports() throws Exception {
        try (EnvServer server = EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withMetricsPort(0).withShutdownGrace(Duration.ofSeconds(1)))) {
            StringWriter out = new StringWriter();
            CommandLine command = new CommandLine(new EnvLoad());
            command.setOut(new PrintWriter(out));
            int exit = command.execute("--target", "127.0.0.1:" + server.port(), "--clients", "4",
                    "--steps-per-client", "200", "--num-envs", "3");
            String report = out.toString();
            assertEquals(0, exit, report);
            assertTrue(report.contains("load: 4 clients x 200 steps of DistributedOptimization-v1 (num_envs 3)"), report);
            assertTrue(report.contains("mismatches: 0") && report.contains("errors: none"), report);
            assertTrue(report.matches("(?s).*latency: p50 \\d+ us, p99 \\d+ us.*"), report);
            assertEquals(0, server.activeSessions(), "every client closed its session");
        }
    }
}
