package org.marlopt.server;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.marlopt.env.EnvRegistry;
import org.marlopt.metrics.EnvServerMetrics;
import org.marlopt.metrics.JvmMetrics;
import org.marlopt.metrics.PrometheusEndpoint;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.security.ServerSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment server: EnvService with the standard health and reflection services, session
 * expiry and Prometheus metrics. {@link #close()} shuts down gracefully. It serves the
 * environments of an {@link EnvRegistry}: by default those on the class path
 * ({@link EnvRegistry#discover()}), or any a caller passes.
 */
public final class EnvServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnvServer.class);
    /**
     * Health service name for liveness: SERVING from start until the process stops, also while
     * draining. Readiness is {@link EnvServiceGrpc#SERVICE_NAME} and "" (all services).
     */
    public static final String LIVENESS = "liveness";
    /** Status codes the server returns besides OK; their error counters start at 0. */
    private static final List<Status.Code> ERROR_CODES = List.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.CANCELLED, Status.Code.INTERNAL);

    private final Server server;
    private final ServerConfig config;
    private final HealthStatusManager health;
    private final ScheduledExecutorService sweeper;
    private final PrometheusMeterRegistry meterRegistry;
    private final JvmMetrics jvmMetrics;
    private final PrometheusEndpoint metricsEndpoint;
    private final SessionStore sessions;
    /** The busy-polling event loops when the config asked for them, else null. */
    private final BusyPollTransport busyPoll;
    private final InteractStreams streams;
    private final CallTracker envCalls;
    private boolean closed;

    private EnvServer(Server server, ServerConfig config, HealthStatusManager health,
            ScheduledExecutorService sweeper, PrometheusMeterRegistry meterRegistry,
            JvmMetrics jvmMetrics, PrometheusEndpoint metricsEndpoint, SessionStore sessions,
            BusyPollTransport busyPoll, InteractStreams streams, CallTracker envCalls) {
        this.server = server;
        this.config = config;
        this.health = health;
        this.sweeper = sweeper;
        this.meterRegistry = meterRegistry;
        this.jvmMetrics = jvmMetrics;
        this.metricsEndpoint = metricsEndpoint;
        this.sessions = sessions;
        this.busyPoll = busyPoll;
        this.streams = streams;
        this.envCalls = envCalls;
    }

    /** Starts a Netty server on {@code config.host():config.port()} serving the discovered environments. */
    public static EnvServer start(ServerConfig config) throws IOException {
        return start(config, EnvRegistry.discover());
    }

    /** Starts a plaintext Netty server on {@code config.host():config.port()} serving {@code registry}'s environments. */
    public static EnvServer start(ServerConfig config, EnvRegistry registry) throws IOException {
        return start(config, registry, ServerSecurity.NONE);
    }

    /** Starts a Netty server on {@code config.host():config.port()}, exposed as {@code security} says. */
    public static EnvServer start(ServerConfig config, EnvRegistry registry, ServerSecurity security)
            throws IOException {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(config.host(), config.port()), security.credentials())
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .flowControlWindow(4 * 1024 * 1024);
        if (!config.maxConnectionAge().isZero()) {
            builder.maxConnectionAge(config.maxConnectionAge().toNanos(), TimeUnit.NANOSECONDS)
                    .maxConnectionAgeGrace(config.maxConnectionAgeGrace().toNanos(), TimeUnit.NANOSECONDS);
        }
        BusyPollTransport busyPoll = config.busyPoll() ? BusyPollTransport.applyTo(builder) : null;
        try {
            return startOn(builder, config, registry, security, WireCoding.BULK, busyPoll);
        } catch (IOException | RuntimeException e) {
            if (busyPoll != null) {
                busyPoll.close();
            }
            throw e;
        }
    }

    /**
     * Starts on a caller's builder, such as an in-process one in tests. The builder's port and
     * transport are the builder's own; {@code config.port()}, {@code config.host()} and
     * {@code config.busyPoll()} are not used for it. Replies are encoded as
     * {@link WireCoding#forBuilder} picks for the builder.
     *
     * @throws UncheckedIOException when the server or the metrics endpoint cannot bind
     */
    public static EnvServer start(ServerBuilder<?> builder, ServerConfig config, EnvRegistry registry) {
        return start(builder, config, registry, ServerSecurity.NONE);
    }

    /**
     * As {@link #start(ServerBuilder, ServerConfig, EnvRegistry)}, with {@code security}'s
     * authentication and reflection setting; its TLS is the builder's business.
     */
    public static EnvServer start(ServerBuilder<?> builder, ServerConfig config, EnvRegistry registry,
            ServerSecurity security) {
        return start(builder, config, registry, security, WireCoding.forBuilder(builder));
    }

    /** As {@link #start(ServerBuilder, ServerConfig, EnvRegistry, ServerSecurity)}, coding messages as {@code coding} says. */
    public static EnvServer start(ServerBuilder<?> builder, ServerConfig config, EnvRegistry registry,
            ServerSecurity security, WireCoding coding) {
        try {
            return startOn(builder, config, registry, security, coding, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the env server: " + e.getMessage(), e);
        }
    }

    private static EnvServer startOn(ServerBuilder<?> builder, ServerConfig config, EnvRegistry registry,
            ServerSecurity security, WireCoding coding, BusyPollTransport busyPoll) throws IOException {
        PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meterRegistry.config().commonTags("application", "env-server");
        JvmMetrics jvmMetrics = JvmMetrics.bindTo(meterRegistry);

        SessionStore sessions = new SessionStore(config.maxSessions(), config.sessionTtl(),
                config.claimTimeout(), new MemoryBudget(config.memoryBudgetBytes()), System::nanoTime);
        EnvServerMetrics metrics = new EnvServerMetrics(meterRegistry, registry.ids(),
                EnvServiceImpl.METHODS, ERROR_CODES.stream().map(Enum::name).toList(), sessions::size);
        EnvRequestHandler handler = new EnvRequestHandler(registry, sessions, config, metrics, coding);
        MetricCollectingServerInterceptor grpcMetrics = new MetricCollectingServerInterceptor(
                meterRegistry, UnaryOperator.identity(), timer -> timer.publishPercentileHistogram(),
                Status.Code.OK);
        // The last interceptor runs first: the metrics also count the calls authentication refuses.
        List<ServerInterceptor> envInterceptors = new ArrayList<>(security.authentication());
        envInterceptors.add(grpcMetrics);
        CallTracker envCalls = new CallTracker();
        envInterceptors.add(envCalls);
        InteractStreams streams = new InteractStreams();
        ServerServiceDefinition envService = ServerInterceptors.intercept(
                MalformedRequests.tolerate(new EnvServiceImpl(handler, metrics, streams, coding).bindService()),
                envInterceptors);
        grpcMetrics.preregisterService(envService);

        HealthStatusManager health = new HealthStatusManager();
        builder
                // Handlers are short and never block on I/O; they can wait on a session's lock
                // when two connections use one session, stalling only that transport thread.
                .directExecutor()
                .maxInboundMessageSize(config.maxMessageBytes())
                .addService(envService)
                .addService(health.getHealthService()); // open to all: probes carry no credentials
        if (security.reflection()) {
            // Reflection describes EnvService, so it asks for the same credentials.
            builder.addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(),
                            security.authentication()))
                    .addService(ServerInterceptors.intercept(legacyReflection(), security.authentication()));
        }
        Server server = builder.build();

        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "session-expiry");
            thread.setDaemon(true);
            return thread;
        });
        PrometheusEndpoint endpoint = null;
        try {
            server.start();
            if (config.metricsPort() != 0) {
                endpoint = PrometheusEndpoint.start(meterRegistry, config.host(), config.metricsPort());
            }
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            sweeper.shutdownNow();
            awaitStopped(server); // before the caller closes any busy-poll loops under it
            jvmMetrics.close();
            meterRegistry.close();
            throw e;
        }
        long sweepMillis = sweepPeriod(config.sessionTtl(), config.claimTimeout()).toMillis();
        sweeper.scheduleWithFixedDelay(sessions::expireIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(EnvServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        health.setStatus(LIVENESS, ServingStatus.SERVING);
        EnvServer envServer = new EnvServer(server, config, health, sweeper, meterRegistry, jvmMetrics,
                endpoint, sessions, busyPoll, streams, envCalls);
        LOG.info("env server listening on {} ({}; metrics: {}{})", server.getListenSockets(), security.describe(),
                endpoint == null ? "disabled" : "http://" + config.host() + ":" + endpoint.port() + "/metrics",
                busyPoll == null ? "" : "; busy polling");
        return envServer;
    }

    /** Waits a few seconds for a server being shut down to terminate; keeps the interrupt flag. */
    private static void awaitStopped(Server server) {
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the gRPC server did not terminate within 5 s of shutdownNow");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The v1alpha reflection service too, for grpcurl and tools older than reflection v1. */
    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService legacyReflection() {
        return ProtoReflectionService.newInstance();
    }

    /**
     * Expiry runs a few times per TTL and claim timeout, so a session outlives either by a
     * fraction at most.
     */
    private static Duration sweepPeriod(Duration ttl, Duration claimTimeout) {
        Duration quarter = (ttl.compareTo(claimTimeout) < 0 ? ttl : claimTimeout).dividedBy(4);
        Duration min = Duration.ofMillis(10);
        Duration max = Duration.ofSeconds(30);
        return quarter.compareTo(min) < 0 ? min : quarter.compareTo(max) > 0 ? max : quarter;
    }

    /** The gRPC port (the bound one when the config asked for 0); -1 for an in-process server. */
    public int port() {
        return server.getPort();
    }

    /** The Prometheus endpoint's port, or 0 when metrics serving is disabled. */
    public int metricsPort() {
        return metricsEndpoint == null ? 0 : metricsEndpoint.port();
    }

    /** Sessions open now. */
    public int activeSessions() {
        return sessions.size();
    }

    /**
     * Graceful shutdown (drain): readiness turns NOT_SERVING while liveness stays SERVING; the
     * server keeps serving for {@code config.drainDelay()}, then refuses new calls, ends every
     * Interact stream with UNAVAILABLE after the request it is processing, and lets calls in
     * flight finish for up to {@code config.shutdownGrace()}. Then it cancels what is left (also
     * health Watch and reflection streams), closes the sessions and stops. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.shutdownNow();
            awaitStopped(server);
            LOG.info("env server stopped; closed {} sessions",
                    sessions.closeAll("was closed because the server stopped"));
            releaseResources();
        }
    }

    private void drain() throws InterruptedException {
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        health.setStatus(EnvServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
        LOG.info("drain: readiness NOT_SERVING, liveness stays SERVING; serving on for the {} drain delay",
                config.drainDelay());
        Thread.sleep(config.drainDelay().toMillis());
        server.shutdown();
        int open = streams.drainAll();
        LOG.info("drain: refusing new calls; {} Interact streams end after their request in progress; "
                + "calls in flight get the {} shutdown grace", open, config.shutdownGrace());
        if (envCalls.awaitIdle(config.shutdownGrace())) {
            LOG.info("drain: every call finished");
        } else {
            LOG.warn("drain: {} calls still running after the {} shutdown grace; cancelling them",
                    envCalls.inFlight(), config.shutdownGrace());
        }
    }

    private void releaseResources() {
        sweeper.shutdownNow();
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
        }
        jvmMetrics.close();
        meterRegistry.close();
        if (busyPoll != null) {
            busyPoll.close();
        }
    }

    /** True once a drain has told every Interact stream open at its start to end (for tests). */
    boolean streamsDrained() {
        return streams.drained();
    }

    /** Blocks until the server has terminated (returns early, interrupt flag set, if interrupted). */
    public void awaitTermination() {
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EnvServer" + server.getListenSockets();
    }
}
