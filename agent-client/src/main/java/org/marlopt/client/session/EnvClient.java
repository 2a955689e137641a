package org.marlopt.client.session;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.Capabilities;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.ListEnvironmentsRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.security.ClientSecurity;

/**
 * The client of one env server (or a load-balanced address of many) over a gRPC {@link Channel}.
 * Sessions are opened as Interact streams, so each session's calls stay on the replica that made
 * it. The server's registry and capabilities are asked once and kept.
 *
 * <p>With {@link #setReconnects reconnects} enabled, every call rides out an outage of the server
 * within their budget, the first connection included, and sessions survive a server restart (see
 * {@link ResilientEnvSession}); without, a transport failure fails the call at once.
 */
public final class EnvClient implements AutoCloseable {

    /**
     * Largest message accepted from the server: a big vector env's observations. Fixed, four times
     * the server's default {@code --max-message-bytes} (16 MiB); a server configured above it may
     * send answers this client rejects with RESOURCE_EXHAUSTED (see docs/agent-client.md).
     */
    private static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;
    /** Longest wait before a retry for the connection it started: a refused one fails at once, a live server answers well within. */
    private static final Duration CONNECT_WAIT = Duration.ofMillis(500);

    private final Channel channel;
    private final String target;
    /** The parsed target of a channel this client made; null for a caller's channel. */
    private final ServerTarget serverTarget;
    private final ClientSecurity security;
    private final Duration timeout;
    private final boolean ownsChannel;
    private Reconnects reconnects = Reconnects.NONE;
    /** Shards per session; 0: one per replica. */
    private int shards;
    private List<String> replicas;
    private Capabilities capabilities;
    private Map<String, EnvironmentInfo> environments;

    /**
     * A client on a channel the caller owns (and closes), e.g. an in-process one in tests.
     *
     * @param target where the channel leads, for messages
     * @param timeout longest wait for any single answer of the server
     */
    public EnvClient(Channel channel, String target, Duration timeout) {
        this(channel, target, null, ClientSecurity.PLAINTEXT, timeout, false);
    }

    private EnvClient(Channel channel, String target, ServerTarget serverTarget, ClientSecurity security,
            Duration timeout, boolean ownsChannel) {
        this.channel = channel;
        this.target = target;
        this.serverTarget = serverTarget;
        this.security = security;
        this.timeout = timeout;
        this.ownsChannel = ownsChannel;
    }

    /**
     * A client on a new plaintext channel, which {@link #close()} shuts down.
     *
     * @param target {@code host:port}, {@code h1:p1,h2:p2,...} or {@code dns:///name:port} (see {@link ServerTarget})
     */
    public static EnvClient connect(String target, Duration timeout, List<ClientInterceptor> interceptors) {
        return connect(target, timeout, interceptors, ClientSecurity.PLAINTEXT);
    }

    /**
     * A client on a new channel secured as {@code security} says, which {@link #close()} shuts down.
     *
     * @throws IllegalArgumentException when a TLS or token file is unusable, or a token would
     *     travel in plaintext to another machine
     */
    public static EnvClient connect(String target, Duration timeout, List<ClientInterceptor> interceptors,
            ClientSecurity security) {
        ServerTarget parsed = ServerTarget.parse(target, "--server");
        StaticNameResolverProvider.register();
        ManagedChannel channel = Grpc.newChannelBuilder(parsed.uri(), credentials(security, parsed))
                .defaultServiceConfig(parsed.serviceConfig())
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .intercept(interceptors)
                .build();
        return new EnvClient(channel, target, parsed, security, timeout, true);
    }

    /**
     * A client on a new in-process channel to the server named {@code name} in this JVM, which
     * {@link #close()} shuts down. Calls run on the caller's thread end to end: the server's
     * handlers run on a direct executor and the blocking stubs read their answers on the caller.
     */
    static EnvClient inProcess(String name, Duration timeout, List<ClientInterceptor> interceptors) {
        ManagedChannel channel = InProcessChannelBuilder.forName(name)
                .directExecutor()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .intercept(interceptors)
                .build();
        return new EnvClient(channel, "in-process:" + name, null, ClientSecurity.PLAINTEXT, timeout, true);
    }

    /** The credentials, checked against every entry's host: a token goes in plaintext only to loopback ones. */
    private static ChannelCredentials credentials(ClientSecurity security, ServerTarget target) {
        ChannelCredentials credentials = null;
        for (ServerTarget.HostPort entry : target.entries()) {
            credentials = security.channelCredentials(entry.toString());
        }
        return credentials;
    }

    /** From now on, calls and sessions opened afterwards retry transport failures as {@code reconnects} says. */
    public void setReconnects(Reconnects reconnects) {
        this.reconnects = reconnects;
    }

    /**
     * Splits every session from now on into {@code shards} sessions on streams of their own (see
     * {@link ShardedEnvSession}), at most one per copy; 0 makes one shard per replica.
     */
    public void setShards(int shards) {
        if (shards < 0) {
            throw new IllegalArgumentException("--shards must be >= 1, or 0 for one per replica; got " + shards);
        }
        this.shards = shards;
    }

    /**
     * @param what the copies of which session, for the message
     * @throws IllegalArgumentException when {@code --shards} was set above {@code copies}
     */
    public void requireShardsAtMost(int copies, String what) {
        if (shards > copies) {
            throw new IllegalArgumentException("--shards " + shards + " is more than the " + copies + " copies of "
                    + what + " to split; give --shards 1.." + copies + ", or 0 for one shard per replica");
        }
    }

    /** Shards per session as set, or, when that is 0, the number of replicas. */
    public int shards() {
        return shards > 0 ? shards : replicas().size();
    }

    /**
     * The replicas' addresses as resolved when first asked: every address of a list's entries or
     * of a DNS name; one for a single {@code host:port} or a caller's channel.
     *
     * @throws IllegalArgumentException when a host name does not resolve
     */
    public List<String> replicas() {
        if (replicas == null) {
            replicas = serverTarget == null ? List.of(target) : serverTarget.replicas().stream()
                    .map(address -> new ServerTarget.HostPort(address.isUnresolved() ? address.getHostString()
                            : address.getAddress().getHostAddress(), address.getPort()).toString())
                    .toList();
        }
        return replicas;
    }

    /** The server's protocol and release versions, environments and limits. */
    public Capabilities capabilities() {
        if (capabilities == null) {
            capabilities = unary(() -> blockingStub().getCapabilities(GetCapabilitiesRequest.getDefaultInstance()));
        }
        return capabilities;
    }

    /** Every environment the server offers, with its typed parameters, by id. */
    public Map<String, EnvironmentInfo> environments() {
        if (environments == null) {
            Map<String, EnvironmentInfo> byId = new LinkedHashMap<>();
            unary(() -> blockingStub().listEnvironments(ListEnvironmentsRequest.getDefaultInstance()))
                    .getEnvironmentsList().forEach(env -> byId.put(env.getId(), env));
            environments = byId;
        }
        return environments;
    }

    /** @throws IllegalArgumentException naming the closest offered id when the server does not offer {@code envId} */
    public EnvironmentInfo environment(String envId) {
        EnvironmentInfo env = environments().get(envId);
        if (env == null) {
            String hint = EnvParams.didYouMean(envId, environments().keySet());
            throw new IllegalArgumentException("the env server at " + target + " offers no environment '" + envId
                    + "'; " + (hint.isEmpty() ? "" : hint + " ") + "it offers " + environments().keySet());
        }
        return env;
    }

    /**
     * Opens a session with same-step autoreset: one owned by a new Interact stream, or, with more
     * than one {@link #shards() shard}, that many such sessions as one ({@link ShardedEnvSession}).
     *
     * @throws IllegalArgumentException for an unknown environment or a parameter that does not
     *     fit its declaration, before anything is sent
     */
    public EnvSession open(SessionRequest request) {
        int shardCount = Math.min(shards(), request.numEnvs());
        return shardCount == 1 ? openOne(request) : ShardedEnvSession.open(request, shardCount, this::openOne);
    }

    /** A session owned by a new Interact stream, which outlives the stream when reconnects are enabled. */
    private EnvSession openOne(SessionRequest request) {
        EnvironmentInfo env = environment(request.envId());
        MakeRequest make = MakeRequest.newBuilder()
                .setEnvId(request.envId())
                .putAllParams(EnvParams.parse(env, request.params()))
                .setOptions(SessionOptions.newBuilder()
                        .setNumEnvs(request.numEnvs())
                        .setRewardGradient(request.rewardGradient())
                        .setAutoresetMode(AutoresetMode.AUTORESET_MODE_SAME_STEP))
                .build();
        Supplier<EnvSession> maker = () -> {
            try {
                return GrpcEnvSession.open(EnvServiceGrpc.newBlockingV2Stub(channel), make, env, timeout);
            } catch (EnvCallException e) {
                throw unreachable(e);
            }
        };
        EnvSession first = retrying(maker);
        if (!reconnects.enabled()) {
            return first;
        }
        return new ResilientEnvSession(first, maker, reconnects, target, this::connectNow);
    }

    public String target() {
        return target;
    }

    /** How this client reaches the server, for child processes that connect to it too. */
    public ClientSecurity security() {
        return security;
    }

    private EnvServiceGrpc.EnvServiceBlockingStub blockingStub() {
        return EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T unary(Supplier<T> call) {
        return retrying(() -> {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                throw unreachable(new EnvCallException(e.getStatus().getCode(),
                        String.valueOf(e.getStatus().getDescription()), null));
            }
        });
    }

    private <T> T retrying(Supplier<T> call) {
        return reconnects.call(target, call, this::connectNow);
    }

    /**
     * Has the channel connect now, before a retry, and waits a moment for it. After a failed
     * connection the channel stays in TRANSIENT_FAILURE, failing every call at once with that
     * failure, until a new connection is READY, and it tries one only when its own reconnect
     * backoff (1 s, growing 1.6-fold up to 2 min) runs out. Resetting that backoff starts a
     * connection now, so the retries' schedule decides; waiting up to {@link #CONNECT_WAIT} lets
     * this retry, rather than the next, use it.
     */
    private void connectNow() {
        if (!(channel instanceof ManagedChannel managed)) {
            return;
        }
        ConnectivityState state = managed.getState(true);
        if (state == ConnectivityState.READY) {
            return;
        }
        managed.resetConnectBackoff();
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        try {
            while (state != ConnectivityState.READY && System.nanoTime() < deadline) {
                CountDownLatch changed = new CountDownLatch(1);
                managed.notifyWhenStateChanged(state, changed::countDown);
                changed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                state = managed.getState(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Says where the server was expected when it cannot be reached; other failures pass unchanged. */
    private EnvCallException unreachable(EnvCallException e) {
        if (e.code() == Status.Code.UNAVAILABLE || e.code() == Status.Code.DEADLINE_EXCEEDED) {
            return new EnvCallException(e.code(), "cannot reach the env server at " + target + " (" + e.getMessage()
                    + "); start one, or fix --server / " + EnvEndpoint.TARGET_VARIABLE, null);
        }
        return e;
    }

    /** Shuts down the channel when this client made it ({@link #connect}); a caller's channel stays open. */
    @Override
    public void close() {
        if (!ownsChannel || !(channel instanceof ManagedChannel managed)) {
            return;
        }
        managed.shutdown();
        try {
            if (!managed.awaitTermination(5, TimeUnit.SECONDS)) {
                managed.shutdownNow();
            }
        } catch (InterruptedException e) {
            managed.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
