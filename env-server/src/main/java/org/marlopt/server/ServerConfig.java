package org.marlopt.server;

import java.time.Duration;

/**
 * Settings of an {@link EnvServer}. {@link #defaults()} are the command line's defaults.
 *
 * @param host address the gRPC port binds ("0.0.0.0" for every interface, "127.0.0.1" for this
 *     machine only)
 * @param port gRPC port; 0 picks a free one ({@link EnvServer#port()} tells which)
 * @param maxSessions most sessions open at once; Make beyond it is RESOURCE_EXHAUSTED
 * @param maxNumEnvs largest num_envs one session may ask for
 * @param sessionTtl a session idle this long is closed
 * @param maxMessageBytes largest incoming message accepted (enforced by gRPC); outgoing ones
 *     are not checked when sent, but Make refuses a session whose estimated largest Step
 *     response would exceed it
 * @param metricsPort port of the Prometheus /metrics endpoint (same host); 0 disables it
 * @param shutdownGrace how long {@link EnvServer#close()}, after the drain delay, lets in-flight
 *     calls finish before it cancels them
 * @param busyPoll spin the network event loop instead of sleeping in epoll_wait (Linux): lower
 *     per-call latency for one core's worth of CPU; see {@link BusyPollTransport}
 * @param claimTimeout a session made by unary Make and not used (Reset, Step or Close) within
 *     this long is closed: its Make answer may never have reached anyone
 * @param memoryBudgetBytes heap the sessions may take together, as priced at Make; a Make beyond
 *     it is RESOURCE_EXHAUSTED. {@link #defaultMemoryBudgetBytes()} by default
 * @param maxConnectionAge a connection older than this gets a GOAWAY, so its client reconnects and
 *     re-resolves the server's name (finding new replicas); zero: connections live forever. Netty only
 * @param maxConnectionAgeGrace how long calls on a connection past its age may still run before
 *     the connection is closed under them
 * @param drainDelay how long {@link EnvServer#close()} keeps serving normally after readiness
 *     turns NOT_SERVING, so load balancers and clients notice before the listener closes
 */
public record ServerConfig(
        String host,
        int port,
        int maxSessions,
        int maxNumEnvs,
        Duration sessionTtl,
        int maxMessageBytes,
        int metricsPort,
        Duration shutdownGrace,
        boolean busyPoll,
        Duration claimTimeout,
        long memoryBudgetBytes,
        Duration maxConnectionAge,
        Duration maxConnectionAgeGrace,
        Duration drainDelay) {

    public static final int DEFAULT_PORT = 50051;
    public static final int DEFAULT_METRICS_PORT = 9464;
    /** The share of the max heap (-Xmx) the default memory budget gives sessions. */
    public static final double DEFAULT_MEMORY_BUDGET_SHARE = 0.5;

    public ServerConfig {
        requireRange("port", port, 0, 65535);
        requireRange("metricsPort", metricsPort, 0, 65535);
        requireRange("maxSessions", maxSessions, 1, Integer.MAX_VALUE);
        requireRange("maxNumEnvs", maxNumEnvs, 1, Integer.MAX_VALUE);
        requireRange("maxMessageBytes", maxMessageBytes, 1024, Integer.MAX_VALUE);
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("sessionTtl must be positive, got " + sessionTtl);
        }
        if (claimTimeout.isNegative() || claimTimeout.isZero()) {
            throw new IllegalArgumentException("claimTimeout must be positive, got " + claimTimeout);
        }
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memoryBudgetBytes must be positive, got " + memoryBudgetBytes);
        }
        requireNotNegative("shutdownGrace", "--shutdown-grace-seconds", shutdownGrace);
        requireNotNegative("maxConnectionAge", "--max-connection-age-seconds", maxConnectionAge);
        requireNotNegative("maxConnectionAgeGrace", "--max-connection-age-grace-seconds", maxConnectionAgeGrace);
        requireNotNegative("drainDelay", "--drain-delay-seconds", drainDelay);
    }

    /**
     * 127.0.0.1:50051 (unreachable from other machines until told otherwise), 1024 sessions, num_envs up to 4096, 10 min TTL, 16 MiB messages, metrics on
     * 9464, no busy polling, a 30 s claim timeout, half the max heap for sessions, a 10 s shutdown
     * grace, no connection age limit (its grace: 10 s, as the shutdown grace), no drain delay.
     */
    public static ServerConfig defaults() {
        Duration shutdownGrace = Duration.ofSeconds(10);
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, 1024, 4096, Duration.ofMinutes(10),
                16 * 1024 * 1024, DEFAULT_METRICS_PORT, shutdownGrace, false,
                Duration.ofSeconds(30), defaultMemoryBudgetBytes(), Duration.ZERO, shutdownGrace, Duration.ZERO);
    }

    /** {@link #DEFAULT_MEMORY_BUDGET_SHARE} of this JVM's max heap. */
    public static long defaultMemoryBudgetBytes() {
        return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_MEMORY_BUDGET_SHARE);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMaxSessions(int maxSessions) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMaxNumEnvs(int maxNumEnvs) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withSessionTtl(Duration sessionTtl) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMaxMessageBytes(int maxMessageBytes) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMetricsPort(int metricsPort) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withShutdownGrace(Duration shutdownGrace) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withBusyPoll(boolean busyPoll) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withClaimTimeout(Duration claimTimeout) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMemoryBudgetBytes(long memoryBudgetBytes) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMaxConnectionAge(Duration maxConnectionAge) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withMaxConnectionAgeGrace(Duration maxConnectionAgeGrace) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    public ServerConfig withDrainDelay(Duration drainDelay) {
        return new ServerConfig(host, port, maxSessions, maxNumEnvs, sessionTtl, maxMessageBytes, metricsPort, shutdownGrace,
                busyPoll, claimTimeout, memoryBudgetBytes, maxConnectionAge, maxConnectionAgeGrace, drainDelay);
    }

    private static void requireNotNegative(String name, String flag, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " (" + flag + ") must not be negative, got "
                    + value.toMillis() / 1000.0 + " s");
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
