package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;

/**
 * Every session is released when its owner goes away, whatever the way: a vanished channel, a
 * cancelled stream, a malformed message, an unclaimed Make, a Make answer nobody could receive.
 */
class SessionReleaseTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    /** Bytes no protobuf parser accepts: field 1, length-delimited, with a truncated length. */
    static final byte[] GARBAGE = {0x0A, (byte) 0xFF};

    private static ServerConfig config() {
        return TestServer.config().withClaimTimeout(Duration.ofMillis(300));
    }

    private static byte[] make() {
        return InteractRequest.newBuilder().setMake(TestServer.makeRequest(2, false)).build().toByteArray();
    }

    /** Collects a raw stream's answers, parsed, and its end (a Status, or OK). */
    private static final class Answers implements StreamObserver<byte[]> {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @Override
        public void onNext(byte[] value) {
            try {
                queue.add(InteractResponse.parseFrom(value));
            } catch (InvalidProtocolBufferException e) {
                queue.add(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            queue.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            queue.add(Status.OK);
        }

        InteractResponse next() throws InterruptedException {
            Object answer = queue.poll(5, TimeUnit.SECONDS);
            assertTrue(answer instanceof InteractResponse, "expected an answer, got " + answer);
            return (InteractResponse) answer;
        }
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aStreamWhoseChannelShutsDownMidStreamReleasesItsSession(TestTransport transport) throws Exception {
        try (TestTransport.Running running = transport.start(config(), TestServer.REGISTRY)) {
            ManagedChannel channel = running.channel();
            Answers answers = new Answers();
            StreamObserver<byte[]> stream = RawCalls.interact(channel, answers);
            stream.onNext(make());
            assertTrue(answers.next().hasMake());
            assertEquals(1, running.server().activeSessions());
            channel.shutdownNow();
            assertEquals(0, running.awaitSessions(0, PROMPTLY));
        }
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aCancelledStreamReleasesItsSession(TestTransport transport) throws Exception {
        try (TestTransport.Running running = transport.start(config(), TestServer.REGISTRY)) {
            ManagedChannel channel = running.channel();
            try {
                Answers answers = new Answers();
                StreamObserver<byte[]> stream = RawCalls.interact(channel, answers);
                stream.onNext(make());
                assertTrue(answers.next().hasMake());
                ((ClientCallStreamObserver<byte[]>) stream).cancel("the test gives up", null);
                assertEquals(0, running.awaitSessions(0, PROMPTLY));
            } finally {
                TestTransport.shutdown(channel);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void aMalformedMessageOnAStreamIsAnErrorAnswerAndTheStreamGoesOn(TestTransport transport) throws Exception {
        try (TestTransport.Running running = transport.start(config(), TestServer.REGISTRY)) {
            ManagedChannel channel = running.channel();
            try {
                Answers answers = new Answers();
                StreamObserver<byte[]> stream = RawCalls.interact(channel, answers);
                stream.onNext(make());
                String session = answers.next().getMake().getSessionId();
                stream.onNext(GARBAGE);
                InteractResponse refused = answers.next();
                assertEquals(Status.Code.INVALID_ARGUMENT.value(), refused.getError().getCode());
                assertEquals("request", refused.getError().getField());
                assertTrue(refused.getError().getMessage().contains("marlopt.env.v2.InteractRequest")
                        && refused.getError().getMessage().length() < 400, refused.getError().getMessage());
                stream.onNext(InteractRequest.newBuilder().setReset(TestServer.reset("", 1)).build().toByteArray());
                assertTrue(answers.next().hasReset(), "the stream and its session still work");
                stream.onNext(InteractRequest.newBuilder()
                        .setStep(TestServer.uniformStep(session, 2, 0, 0, 0, 0)).build().toByteArray());
                assertTrue(answers.next().hasStep());
                stream.onCompleted();
                assertEquals(Status.OK, answers.queue.poll(5, TimeUnit.SECONDS));
                assertEquals(0, running.awaitSessions(0, PROMPTLY));
            } finally {
                TestTransport.shutdown(channel);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestTransport.class)
    void malformedUnaryRequestsAreInvalidArgumentWithAShortMessage(TestTransport transport) throws Exception {
        try (TestTransport.Running running = transport.start(config(), TestServer.REGISTRY)) {
            ManagedChannel channel = running.channel();
            try {
                for (String method : EnvServiceImpl.METHODS) {
                    if (method.equals("Interact")) {
                        continue;
                    }
                    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                            () -> RawCalls.call(channel, method, GARBAGE), method);
                    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), method);
                    String description = refused.getStatus().getDescription();
                    assertTrue(description.startsWith("request: the message is not a valid serialized "
                            + "marlopt.env.v2.") && description.length() < 400, description);
                }
                assertEquals(0, running.server().activeSessions());
            } finally {
                TestTransport.shutdown(channel);
            }
        }
    }

    @Test
    void aSessionNobodyClaimsIsClosedAfterTheClaimTimeoutAndAClaimedOneStays() throws Exception {
        try (TestServer env = TestServer.start(config())) {
            String claimed = env.make(1, false);
            env.blocking.reset(TestServer.reset(claimed, 1));
            String unclaimed = env.make(1, false);
            long deadline = System.nanoTime() + PROMPTLY.toNanos();
            while (env.server.activeSessions() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, env.server.activeSessions());
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.reset(TestServer.reset(unclaimed, 1)));
            assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
            assertTrue(gone.getStatus().getDescription().contains("claim timeout"), gone.getStatus().getDescription());
            assertNotNull(env.blocking.step(TestServer.uniformStep(claimed, 1, 0, 0, 0, 0)));
        }
    }

    @Test
    void aMakeAnswerTheClientCannotReceiveLeavesNoSession() throws Exception {
        try (TestTransport.Running running = TestTransport.NETTY.start(config(), TestServer.REGISTRY)) {
            ManagedChannel tiny = NettyChannelBuilder.forAddress("127.0.0.1", running.server().port())
                    .usePlaintext().maxInboundMessageSize(64).build();
            try {
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                        () -> EnvServiceGrpc.newBlockingStub(tiny).make(TestServer.makeRequest(1, false)));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
                assertEquals(0, running.awaitSessions(0, PROMPTLY));
            } finally {
                TestTransport.shutdown(tiny);
            }
        }
    }

    @Test
    void aMakeAnswerAboveTheServersMessageLimitIsRefusedBeforeTheSessionExists() throws Exception {
        int answerBytes;
        try (TestServer env = TestServer.start(config())) {
            answerBytes = env.makeResponse(1, false).getSerializedSize();
        }
        try (TestServer env = TestServer.start(config().withMaxMessageBytes(answerBytes - 1))) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> env.makeResponse(1, false));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().startsWith("params: the Make answer (the session's "
                    + "spec) would take " + answerBytes + " bytes"), refused.getStatus().getDescription());
            assertEquals(0, env.server.activeSessions());
        }
    }

    @Test
    void aMakeCancelledBeforeItsAnswerWasSentClosesItsSessionAtOnce() throws Exception {
        Semaphore answering = new Semaphore(0);
        CountDownLatch cancelled = new CountDownLatch(1);
        ServerInterceptor holdMakeAnswers = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                    @Override
                    public void sendMessage(R message) {
                        if (call.getMethodDescriptor().getBareMethodName().equals("Make")) {
                            answering.release();
                            awaitQuietly(cancelled);
                        }
                        super.sendMessage(message);
                    }
                }, headers);
            }
        };
        String name = InProcessServerBuilder.generateName();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (EnvServer server = EnvServer.start(InProcessServerBuilder.forName(name).intercept(holdMakeAnswers),
                TestServer.config().withClaimTimeout(Duration.ofMinutes(5)), TestServer.REGISTRY)) {
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                // The in-process transport runs the server's handler on the caller's thread, so the
                // Make is cancelled through its client Context from here.
                Context.CancellableContext makeContext = Context.current().withCancellation();
                caller.submit(() -> makeContext.run(() ->
                        EnvServiceGrpc.newFutureStub(channel).make(TestServer.makeRequest(1, false))));
                assertTrue(answering.tryAcquire(5, TimeUnit.SECONDS), "the session exists, its answer is held");
                assertEquals(1, server.activeSessions());
                makeContext.cancel(null); // the client gives up on the Make
                cancelled.countDown();
                long deadline = System.nanoTime() + PROMPTLY.toNanos();
                while (server.activeSessions() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(0, server.activeSessions(), "closed at once, not after the 5 min claim timeout");
            } finally {
                TestTransport.shutdown(channel);
            }
        } finally {
            caller.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
