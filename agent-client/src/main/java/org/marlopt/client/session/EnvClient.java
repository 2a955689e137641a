package org.marlopt.client.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.marlopt.env.v1.EnvServiceGrpc;
import org.marlopt.env.v1.MakeRequest;

/**
 * A channel to one env server (or a load-balanced address of many). Sessions are opened as
 * Interact streams, so each session's calls stay on the replica that made it.
 */
public final class EnvClient implements AutoCloseable {

    /**
     * Largest message accepted from the server: a big vector env's observations. Fixed, four times
     * the server's default {@code --max-message-bytes} (16 MiB); a server configured above it may
     * send answers this client rejects with RESOURCE_EXHAUSTED (see docs/agent-client.md).
     */
    private static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

    private final String target;
    private final ManagedChannel channel;
    private final Duration timeout;

    private EnvClient(String target, ManagedChannel channel, Duration timeout) {
        this.target = target;
        this.channel = channel;
        this.timeout = timeout;
    }

    /**
     * @param target {@code host:port} (or any gRPC target URI)
     * @param timeout longest wait for any single answer of the server
     */
    public static EnvClient connect(String target, Duration timeout, List<ClientInterceptor> interceptors) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target)
                .usePlaintext()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .intercept(interceptors)
                .build();
        return new EnvClient(target, channel, timeout);
    }

    /** Opens a session owned by a new Interact stream. */
    public GrpcVectorEnv open(MakeRequest make) {
        try {
            return GrpcVectorEnv.open(EnvServiceGrpc.newBlockingV2Stub(channel), make, timeout);
        } catch (EnvCallException e) {
            if (e.code() == Status.Code.UNAVAILABLE || e.code() == Status.Code.DEADLINE_EXCEEDED) {
                throw new EnvCallException(e.code(), "cannot open a session on the env server at " + target + " ("
                        + e.getMessage() + "); start one, or fix --server / " + EnvEndpoint.TARGET_VARIABLE, null);
            }
            throw e;
        }
    }

    public String target() {
        return target;
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
