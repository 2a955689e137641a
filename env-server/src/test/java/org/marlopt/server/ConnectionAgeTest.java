package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;

/**
 * --max-connection-age-seconds on a real 127.0.0.1 port: a connection past its age gets a
 * GOAWAY, so a long-lived channel moves to a new connection (where a client would re-resolve
 * the name), and a stream that outlives the age and its grace is ended with UNAVAILABLE.
 */
class ConnectionAgeTest {

    private EnvServer server;

    @BeforeEach
    void start() throws Exception {
        server = EnvServer.start(TestServer.config().withMaxConnectionAge(Duration.ofSeconds(1))
                .withMaxConnectionAgeGrace(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aLongLivedChannelMovesToANewConnectionPastTheAgeWithoutFailingCalls() throws Exception {
        Set<SocketAddress> localAddresses = ConcurrentHashMap.newKeySet();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .intercept(new RecordLocalAddress(localAddresses)).build();
        try {
            var stub = EnvServiceGrpc.newBlockingStub(channel);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (localAddresses.size() < 2 && System.nanoTime() < deadline) {
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).getCapabilities(GetCapabilitiesRequest.getDefaultInstance());
                Thread.sleep(50);
            }
            assertEquals(2, localAddresses.size(), "every call succeeded, on two connections: " + localAddresses);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStreamOutlivingTheAgeAndItsGraceIsEndedUnavailable() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            DrainTest.Answers<InteractResponse> answers = new DrainTest.Answers<>();
            StreamObserver<InteractRequest> stream = EnvServiceGrpc.newStub(channel).interact(answers);
            long start = System.nanoTime();
            stream.onNext(InteractRequest.newBuilder().setMake(TestServer.makeRequest(1, false)).build());
            assertTrue(answers.message().hasMake());

            Object ending = answers.queue.poll(6, TimeUnit.SECONDS);
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(assertInstanceOf(Throwable.class, ending)).getCode());
            // The age has a +-10% jitter; then the grace runs.
            assertTrue(elapsedMillis >= 1800, "ended after " + elapsedMillis + " ms, before the age and grace");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Records the local address of the connection each call ran on. */
    private record RecordLocalAddress(Set<SocketAddress> addresses) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            ClientCall<Q, R> call = next.newCall(method, options);
            return new SimpleForwardingClientCall<>(call) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata received) {
                            addresses.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
                            super.onHeaders(received);
                        }
                    }, headers);
                }
            };
        }
    }
}
