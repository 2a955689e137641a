package org.marlopt.client.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class ConnectionOptionsTest {

    /** A command with nothing but the connection options, parsed as picocli parses them. */
    static final class Holder {
        @Mixin
        ConnectionOptions connection;
    }

    private static final SessionRequest SEED_SESSION = new SessionRequest("DistributedOptimization-v1", Map.of(), 4,
            true);

    private static ConnectionOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.connection;
    }

    /**
     * Opens a seed session as a command given {@code args} does; whether it is the session package's
     * resilient one (package-private there: its name shows which one EnvClient made).
     */
    private static boolean opensResilientSession(String... args) throws Exception {
        ConnectionOptions options = parse(args);
        try (MetricsServer metrics = options.startMetrics("run", SEED_SESSION.envId());
             EnvEndpoint endpoint = options.endpoint();
             EnvClient client = options.client(endpoint, metrics);
             EnvSession session = client.open(SEED_SESSION)) {
            return session.getClass().getSimpleName().equals("ResilientEnvSession");
        }
    }

    @Test
    void sessionsOnTheJvmsOwnServerKeepNoReplayLog() throws Exception {
        assertFalse(opensResilientSession("--metrics-port", "0"), "an in-JVM server has no outage to ride out");
    }

    @Test
    void sessionsOnAGivenServerRideOutItsOutages() throws Exception {
        try (EnvEndpoint listening = EnvEndpoint.resolveListening(null, 0)) {
            assertTrue(opensResilientSession("--metrics-port", "0", "--server", listening.target()),
                    "a given server may restart");
        }
    }
}
