package org.marlopt.client.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.marlopt.client.DidYouMean;
import org.marlopt.client.metrics.ClientMetrics;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.metrics.ReconnectMetrics;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvParams;
import org.marlopt.client.session.Reconnects;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.security.ClientSecurityOptions;
import org.marlopt.server.OfferedEnvironments;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the env server is, how to reach it (TLS, token), how long to wait for it, and the metrics endpoint. */
public final class ConnectionOptions {

    @Option(names = "--server", paramLabel = "TARGET",
            description = "Env server address: HOST:PORT ([IPV6]:PORT, http://HOST:PORT and grpc://HOST:PORT "
                    + "too); replicas as a list HOST:PORT,HOST:PORT,... or "
                    + "dns:///NAME:PORT (every address of the name), balanced round-robin with health checks "
                    + "(default: $ENV_SERVER_TARGET, or else a server started inside this JVM on a free loopback "
                    + "port).")
    String server;

    @Option(names = "--server-metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Metrics port of the env server started inside this JVM when no server address is "
                    + "given; 0 disables, so it never clashes with a separate server (default: ${DEFAULT-VALUE}).")
    int embeddedServerMetricsPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest wait for any answer of the env server (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--retry-budget", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to keep retrying after the env server goes away (a restart, an outage): "
                    + "sessions are made again and their episodes replayed, so training continues exactly; "
                    + "0 disables retries (default: ${DEFAULT-VALUE}).")
    long retryBudgetSeconds;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9465",
            description = "Serve Prometheus metrics on http://HOST:PORT/metrics; 0 disables; when the port is "
                    + "in use, a free one is taken and named in a warning (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint binds; 0.0.0.0 lets Prometheus on another host or "
                    + "container scrape it (default: ${DEFAULT-VALUE}, this machine only).")
    String metricsHost;

    @Option(names = "--metrics-hold", paramLabel = "SECONDS", defaultValue = "0",
            description = "Keep serving /metrics this long after the job ends, so a scraper sees the final "
                    + "values (default: ${DEFAULT-VALUE}).")
    long metricsHoldSeconds;

    @Mixin
    ClientSecurityOptions security;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id for the metrics' run tag and config.json (default: the output directory name).")
    String runId;

    Duration timeout() {
        if (timeoutSeconds <= 0) {
            throw new IllegalArgumentException("--timeout must be > 0 seconds, got " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    Duration retryBudget() {
        if (retryBudgetSeconds < 0) {
            throw new IllegalArgumentException("--retry-budget must be >= 0 seconds (0 disables retries), got "
                    + retryBudgetSeconds);
        }
        return Duration.ofSeconds(retryBudgetSeconds);
    }

    Duration metricsHold() {
        if (metricsHoldSeconds < 0) {
            throw new IllegalArgumentException("--metrics-hold must be >= 0 seconds, got " + metricsHoldSeconds);
        }
        return Duration.ofSeconds(metricsHoldSeconds);
    }

    /** The meters (tags run, algo: the default algorithm, env) and, unless disabled, the /metrics endpoint. */
    MetricsServer startMetrics(String runId, String envId) throws IOException {
        return startMetrics(runId, envId, Algorithms.DEFAULT);
    }

    /** The run's meters (tags run, algo, env) and, unless disabled, its /metrics endpoint. */
    MetricsServer startMetrics(String runId, String envId, String algorithm) throws IOException {
        return MetricsServer.start(metricsHost, metricsPort, metricsHold(), runId, algorithm, envId, System.err);
    }

    /** The env server this command talks to: the given one, or one started in this JVM. */
    EnvEndpoint endpoint() {
        return EnvEndpoint.resolve(server, embeddedServerMetricsPort);
    }

    /**
     * A client of {@code endpoint} whose calls are metered in {@code metrics}, riding out outages of
     * a given server within --retry-budget. This JVM's own server has no outage to ride out (it stops
     * with the client), so its sessions keep no replay log: no copy of every action, no hash of
     * every answer.
     */
    EnvClient client(EnvEndpoint endpoint, MetricsServer metrics) {
        EnvClient client = endpoint.connect(timeout(), List.of(ClientMetrics.grpcInterceptor(metrics.registry())),
                ClientSecurityFlags.of(security, endpoint));
        Duration budget = retryBudget(); // validated either way
        if (!endpoint.embedded()) {
            client.setReconnects(Reconnects.within(budget, new ReconnectMetrics(metrics.registry())));
        }
        return client;
    }

    /**
     * Checks the environment and its parameters before anything slow starts (the engine, the
     * in-JVM server) when the server will be this JVM's own: its environments are this class
     * path's. A given server is asked once connected.
     */
    void checkEnvironment(String envId, Map<String, String> params) {
        boolean given = server != null && !server.isBlank()
                || System.getenv(EnvEndpoint.TARGET_VARIABLE) != null && !System.getenv(EnvEndpoint.TARGET_VARIABLE)
                .isBlank();
        if (given) {
            return;
        }
        Map<String, EnvironmentInfo> offered = OfferedEnvironments.of(EnvRegistry.discover());
        EnvironmentInfo env = offered.get(envId);
        if (env == null) {
            String hint = DidYouMean.hint(envId, offered.keySet());
            throw new IllegalArgumentException("no environment '" + envId + "'; " + (hint.isEmpty() ? ""
                    : hint + " ") + "the environments are " + offered.keySet());
        }
        EnvParams.parse(env, params);
    }

    void validatePorts() {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0..65535, got " + metricsPort);
        }
        if (embeddedServerMetricsPort < 0 || embeddedServerMetricsPort > 65535) {
            throw new IllegalArgumentException("--server-metrics-port must be 0..65535, got "
                    + embeddedServerMetricsPort);
        }
    }
}
