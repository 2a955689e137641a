package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.StepRequest;

/**
 * The drain on close() (SIGTERM), on a real 127.0.0.1 port: readiness off at once and liveness
 * on throughout, the drain delay, and Interact streams ended with UNAVAILABLE after their
 * request in progress, never in the middle of one.
 */
class DrainTest {

    private final GatedEnv gated = new GatedEnv();
    private EnvServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws InterruptedException {
        gated.open.countDown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    private void start(ServerConfig config) throws Exception {
        server = EnvServer.start(config, EnvRegistry.discover().with(List.of(gated)));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @Test
    void readinessTurnsOffAtOnceWhileLivenessAndCallsServeThroughTheDrainDelay() throws Exception {
        start(TestServer.config().withDrainDelay(Duration.ofSeconds(2)));
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        Answers<HealthCheckResponse> liveness = new Answers<>();
        HealthGrpc.newStub(channel).watch(check(EnvServer.LIVENESS), liveness);
        assertEquals(ServingStatus.SERVING, liveness.message().getStatus());

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        while (health.check(check("")).getStatus() == ServingStatus.SERVING) {
            Thread.sleep(10);
        }
        assertTrue(elapsedMillis(start) < 1500, "readiness turns off at once, not after the 2 s delay");
        assertEquals(ServingStatus.NOT_SERVING, health.check(check("marlopt.env.v2.EnvService")).getStatus());
        assertEquals(ServingStatus.SERVING, health.check(check(EnvServer.LIVENESS)).getStatus());
        // Within the drain delay, calls are served as usual.
        EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getCapabilities(GetCapabilitiesRequest.getDefaultInstance());
        assertFalse(closing.isDone());

        closing.get(8, TimeUnit.SECONDS);
        assertTrue(elapsedMillis(start) >= 2000, "the server waited the drain delay");
        assertInstanceOf(Throwable.class, liveness.next(), "the Watch ends when the server stops");
        assertTrue(liveness.queue.isEmpty(), "liveness never left SERVING: " + liveness.queue);
    }

    @Test
    void aStreamMidStepGetsItsAnswerThenUnavailableAndItsLaterStepsAreNeverApplied() throws Exception {
        start(TestServer.config().withShutdownGrace(Duration.ofSeconds(5)));
        Answers<InteractResponse> answers = new Answers<>();
        StreamObserver<InteractRequest> stream = EnvServiceGrpc.newStub(channel).interact(answers);
        stream.onNext(InteractRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId(GatedEnv.ID)).build());
        assertTrue(answers.message().hasMake());
        stream.onNext(InteractRequest.newBuilder().setReset(TestServer.reset("", 1)).build());
        assertTrue(answers.message().hasReset());
        for (int sequence = 1; sequence <= 3; sequence++) { // pipelined: 2 and 3 wait behind 1
            stream.onNext(InteractRequest.newBuilder().setStep(step(sequence)).build());
        }
        assertTrue(gated.entered.tryAcquire(5, TimeUnit.SECONDS), "step 1 reached the environment");

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        while (!server.streamsDrained()) {
            Thread.sleep(5);
        }
        gated.open.countDown();

        InteractResponse answer = answers.message();
        assertEquals(1f, answer.getStep().getState(0), "the answer of step 1, the only step applied");
        assertDraining(answers.next());
        closing.get(5, TimeUnit.SECONDS);
        assertTrue(elapsedMillis(start) < 3000, "close did not wait for the 5 s grace");
        assertEquals(0, gated.entered.availablePermits(), "steps 2 and 3 never reached the environment");
        assertEquals(0, server.activeSessions());
    }

    @Test
    void anIdleStreamEndsAtOnceAndCloseDoesNotWaitForHealthWatches() throws Exception {
        start(TestServer.config().withShutdownGrace(Duration.ofSeconds(5)));
        Answers<HealthCheckResponse> readiness = new Answers<>();
        HealthGrpc.newStub(channel).watch(check(""), readiness);
        assertEquals(ServingStatus.SERVING, readiness.message().getStatus());
        Answers<InteractResponse> answers = new Answers<>();
        StreamObserver<InteractRequest> stream = EnvServiceGrpc.newStub(channel).interact(answers);
        stream.onNext(InteractRequest.newBuilder().setMake(TestServer.makeRequest(1, false)).build());
        assertTrue(answers.message().hasMake());
        assertEquals(1, server.activeSessions());

        long start = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        assertEquals(ServingStatus.NOT_SERVING, readiness.message().getStatus());
        assertDraining(answers.next());
        assertTrue(elapsedMillis(start) < 2000, "the idle stream ended well before the 5 s grace");
        closing.get(5, TimeUnit.SECONDS);
        assertTrue(elapsedMillis(start) < 3000, "close cancelled the health Watch instead of waiting the grace");
        assertEquals(0, server.activeSessions());
    }

    private static void assertDraining(Object ending) {
        Status status = Status.fromThrowable(assertInstanceOf(Throwable.class, ending));
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertEquals(InteractStream.DRAINING, status.getDescription());
    }

    private static HealthCheckRequest check(String service) {
        return HealthCheckRequest.newBuilder().setService(service).build();
    }

    private static StepRequest step(int sequence) {
        return StepRequest.newBuilder().setSequence(sequence).addActions(TestServer.action("a", 0f)).build();
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** A stream's messages, then its end: the Throwable, or "completed". */
    static final class Answers<T> implements StreamObserver<T> {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        Object next() throws InterruptedException {
            Object next = queue.poll(5, TimeUnit.SECONDS);
            assertTrue(next != null, "nothing within 5 s");
            return next;
        }

        /** The next message; a ClassCastException when the stream ended instead. */
        @SuppressWarnings("unchecked")
        T message() throws InterruptedException {
            return (T) next();
        }

        @Override
        public void onNext(T value) {
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onCompleted() {
            queue.add("completed");
        }
    }
}
