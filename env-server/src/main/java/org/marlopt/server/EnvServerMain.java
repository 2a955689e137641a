package org.marlopt.server;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.marlopt.bench.EnvBenchmark;
import org.marlopt.bench.EnvLoad;
import org.marlopt.bench.PeerBenchmark;
import org.marlopt.env.EnvRegistry;
import org.marlopt.logging.Logs;
import org.marlopt.security.ServerSecurity;
import org.marlopt.security.ServerSecurityOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.marlopt.cli.OneLineParseErrors;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Command line of the env server jar: runs the server, or a subcommand. */
@Command(name = "env-server",
        mixinStandardHelpOptions = true,
        versionProvider = EnvServerMain.Version.class,
        description = "Serves multi-agent environments over gRPC (marlopt.env.v2.EnvService), with "
                + "grpc.health.v1 health, server reflection and Prometheus metrics; optional TLS, mutual TLS and "
                + "bearer tokens (docs/security.md).",
        subcommands = {HealthCommand.class, EnvBenchmark.class, EnvLoad.class, PeerBenchmark.class},
        sortOptions = false)
public final class EnvServerMain implements Callable<Integer> {

    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every "
                    + "interface, as in a container: then see docs/security.md).")
    String host;

    @Option(names = "--port", defaultValue = "${env:ENV_SERVER_PORT:-50051}",
            description = "gRPC port; 0 picks a free one. Env ENV_SERVER_PORT. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--metrics-port", defaultValue = "${env:ENV_SERVER_METRICS_PORT:-9464}",
            description = "Port of the Prometheus /metrics endpoint; 0 disables it. "
                    + "Env ENV_SERVER_METRICS_PORT. Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--max-sessions", defaultValue = "1024",
            description = "Most sessions open at once; Make beyond it fails with RESOURCE_EXHAUSTED. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(names = "--max-num-envs", defaultValue = "4096",
            description = "Largest num_envs one session may ask for. Default: ${DEFAULT-VALUE}.")
    int maxNumEnvs;

    @Option(names = "--session-ttl-seconds", defaultValue = "600",
            description = "Idle sessions are closed after this many seconds. Default: ${DEFAULT-VALUE}.")
    long sessionTtlSeconds;

    @Option(names = "--max-message-bytes", defaultValue = "16777216",
            description = "Largest incoming message accepted, in bytes; Make also refuses sessions "
                    + "whose estimated Step response would exceed it. Default: ${DEFAULT-VALUE}.")
    int maxMessageBytes;

    @Option(names = "--claim-timeout-seconds", defaultValue = "30",
            description = "A session made by unary Make and not used (Reset, Step or Close) within this "
                    + "many seconds is closed. Default: ${DEFAULT-VALUE}.")
    long claimTimeoutSeconds;

    @Option(names = "--memory-budget-bytes",
            description = "Heap the sessions may take together, as priced at Make from their spec; a Make "
                    + "beyond it fails with RESOURCE_EXHAUSTED. Default: 50%% of the max heap (-Xmx).")
    Long memoryBudgetBytes;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "10",
            description = "On SIGTERM, after the drain delay, in-flight calls get this long to finish. "
                    + "Default: ${DEFAULT-VALUE}.")
    long shutdownGraceSeconds;

    @Option(names = "--drain-delay-seconds", defaultValue = "0",
            description = "On SIGTERM, keep serving this long after readiness turns NOT_SERVING, so load "
                    + "balancers and clients notice first (Kubernetes: a few seconds). Default: ${DEFAULT-VALUE}.")
    long drainDelaySeconds;

    @Option(names = "--max-connection-age-seconds", defaultValue = "0",
            description = "Send a connection this old a GOAWAY, so its client reconnects and re-resolves the "
                    + "server's name (finding new replicas); 0: never. Default: ${DEFAULT-VALUE}.")
    long maxConnectionAgeSeconds;

    @Option(names = "--max-connection-age-grace-seconds",
            description = "Calls on a connection past its age may run this long before the connection is "
                    + "closed under them. Default: the shutdown grace.")
    Long maxConnectionAgeGraceSeconds;

    @Option(names = "--busy-poll",
            description = "Spin the network event loop instead of sleeping (Linux epoll): lower latency per "
                    + "call for one core kept busy. For a replica with a dedicated core serving clients that "
                    + "step few copies per call. Default: off.")
    boolean busyPoll;

    @Mixin
    ServerSecurityOptions securityOptions;

    public static void main(String[] args) {
        Logs.init();
        int exitCode = commandLine().execute(args);
        if (!SHUTTING_DOWN.get()) { // System.exit during shutdown hooks would block forever
            System.exit(exitCode);
        }
    }

    /** The command line {@code main} runs: a line that does not parse gets one line of error, not the usage. */
    static CommandLine commandLine() {
        return new CommandLine(new EnvServerMain()).setParameterExceptionHandler(new OneLineParseErrors());
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ServerConfig config;
        ServerSecurity security;
        try {
            config = new ServerConfig(host, port, maxSessions, maxNumEnvs,
                    Duration.ofSeconds(sessionTtlSeconds), maxMessageBytes, metricsPort,
                    Duration.ofSeconds(shutdownGraceSeconds), busyPoll, Duration.ofSeconds(claimTimeoutSeconds),
                    memoryBudgetBytes == null ? ServerConfig.defaultMemoryBudgetBytes() : memoryBudgetBytes,
                    Duration.ofSeconds(maxConnectionAgeSeconds),
                    Duration.ofSeconds(maxConnectionAgeGraceSeconds == null ? shutdownGraceSeconds
                            : maxConnectionAgeGraceSeconds),
                    Duration.ofSeconds(drainDelaySeconds));
            security = securityOptions.security();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        EnvServer server;
        try {
            server = EnvServer.start(config, EnvRegistry.discover(), security);
        } catch (IOException | RuntimeException e) { // runtime: TLS files gRPC cannot use (a mismatched key)
            System.err.println("cannot start the server on " + host + ":" + port + " (metrics port "
                    + metricsPort + "): " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SHUTTING_DOWN.set(true);
            server.close();
        }, "env-server-shutdown"));
        System.out.println("listening on port " + server.port());
        System.out.flush();
        server.awaitTermination();
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"env-server " + ServerVersion.get() + ", protocol "
                    + EnvRequestHandler.PROTOCOL_VERSION};
        }
    }
}
