package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The drain and connection age settings: defaults, and negative values refused naming the flag. */
class ServerConfigTest {

    @Test
    void connectionAgeIsOffAndItsGraceIsTheShutdownGraceByDefault() {
        ServerConfig defaults = ServerConfig.defaults();
        assertEquals(Duration.ZERO, defaults.maxConnectionAge());
        assertEquals(defaults.shutdownGrace(), defaults.maxConnectionAgeGrace());
        assertEquals(Duration.ZERO, defaults.drainDelay());
    }

    @Test
    void negativeDurationsAreRefusedNamingTheFlag() {
        Duration negative = Duration.ofSeconds(-1);
        ServerConfig defaults = ServerConfig.defaults();
        assertMessageNames("--max-connection-age-seconds", () -> defaults.withMaxConnectionAge(negative));
        assertMessageNames("--max-connection-age-grace-seconds", () -> defaults.withMaxConnectionAgeGrace(negative));
        assertMessageNames("--drain-delay-seconds", () -> defaults.withDrainDelay(negative));
    }

    @Test
    void theCommandLineRefusesANegativeValueBeforeStarting() {
        for (String flag : new String[] {"--max-connection-age-seconds", "--max-connection-age-grace-seconds",
                "--drain-delay-seconds"}) {
            StringWriter err = new StringWriter();
            int exit = new CommandLine(new EnvServerMain()).setErr(new PrintWriter(err))
                    .execute("--port", "0", "--metrics-port", "0", flag, "-1");
            assertEquals(2, exit, err.toString());
            assertTrue(err.toString().contains(flag), err.toString());
        }
    }

    @Test
    void aWrongTypeFlagGetsOneLineAndWhereTheUsageIsNotTheWholeUsage() {
        StringWriter err = new StringWriter();
        int exit = EnvServerMain.commandLine().setErr(new PrintWriter(err)).execute("--port", "abc");
        List<String> lines = err.toString().lines().toList();
        assertEquals(2, exit, err.toString());
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("error: ") && lines.get(0).contains("--port")
                && lines.get(0).contains("abc"), err.toString());
        assertEquals("see: env-server --help", lines.get(1));
    }

    private static void assertMessageNames(String flag, Runnable make) {
        String message = assertThrows(IllegalArgumentException.class, make::run).getMessage();
        assertTrue(message.contains(flag) && message.contains("must not be negative"), message);
    }
}
