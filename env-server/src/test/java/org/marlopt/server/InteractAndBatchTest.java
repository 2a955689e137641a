package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.AgentStep;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/** The Interact stream and batched sessions agree step for step with unary single sessions. */
class InteractAndBatchTest {

    private TestServer env;

    @BeforeEach
    void start() {
        env = TestServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        env.close();
    }

    /** A ping-pong client of one Interact stream. */
    private final class Stream implements StreamObserver<InteractResponse>, AutoCloseable {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final StreamObserver<InteractRequest> requests = env.async.interact(this);

        InteractResponse call(InteractRequest request) throws InterruptedException {
            requests.onNext(request);
            Object next = received.poll(10, TimeUnit.SECONDS);
            if (!(next instanceof InteractResponse response)) {
                throw new AssertionError("expected a response, got " + next);
            }
            return response;
        }

        InteractResponse step(StepRequest step) throws InterruptedException {
            return call(InteractRequest.newBuilder().setStep(step).build());
        }

        @Override
        public void onNext(InteractResponse value) {
            received.add(value);
        }

        @Override
        public void onError(Throwable t) {
            received.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            received.add("completed");
        }

        @Override
        public void close() {
            requests.onCompleted();
        }
    }

    private static StepRequest randomStep(String session, int numEnvs, SplittableRandom random) {
        StepRequest.Builder step = StepRequest.newBuilder().setSessionId(session);
        for (int agent = 0; agent < 4; agent++) {
            float[] values = new float[numEnvs * 5];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * 0.2f;
            }
            step.addActions(TestServer.action("agent_" + agent, values));
        }
        return step.build();
    }

    @Test
    void streamAgreesWithUnaryStepForStep() throws InterruptedException {
        String unary = env.make(1, true);
        try (Stream stream = new Stream()) {
            InteractResponse made = stream.call(InteractRequest.newBuilder()
                    .setMake(TestServer.makeRequest(1, true)).build());
            assertTrue(made.hasMake());
            assertEquals(2, env.server.activeSessions());
            var unaryReset = env.blocking.reset(TestServer.reset(unary, 5));
            var streamReset = stream.call(InteractRequest.newBuilder()
                    .setReset(ResetRequest.newBuilder().setSeed(5)).build()).getReset();
            assertEquals(unaryReset, streamReset);
            SplittableRandom actions = new SplittableRandom(1);
            for (int i = 0; i < 60; i++) {
                StepRequest step = randomStep("", 1, actions);
                StepResponse viaStream = stream.step(step).getStep();
                StepResponse viaUnary = env.blocking.step(step.toBuilder().setSessionId(unary).build());
                assertEquals(viaUnary, viaStream, "step " + i);
                if (viaUnary.getTerminated(0) || viaUnary.getTruncated(0)) {
                    break;
                }
            }
        }
        awaitSessions(1); // the stream's own session closes with the stream
    }

    @Test
    void streamAnswersErrorsAndStaysOpen() throws InterruptedException {
        try (Stream stream = new Stream()) {
            InteractResponse noSession = stream.step(TestServer.uniformStep("", 1, 0, 0, 0, 0));
            assertEquals(Status.Code.INVALID_ARGUMENT.value(), noSession.getError().getCode());
            assertEquals("step.session_id", noSession.getError().getField());
            InteractResponse unknown = stream.step(TestServer.uniformStep("missing", 1, 0, 0, 0, 0));
            assertEquals(Status.Code.NOT_FOUND.value(), unknown.getError().getCode());

            stream.call(InteractRequest.newBuilder().setMake(TestServer.makeRequest(1, false)).build());
            InteractResponse early = stream.step(TestServer.uniformStep("", 1, 0, 0, 0, 0));
            assertEquals(Status.Code.FAILED_PRECONDITION.value(), early.getError().getCode());
            stream.call(InteractRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
            InteractResponse nan = stream.step(TestServer.uniformStep("", 1, 0, Float.NaN, 0, 0));
            assertEquals(Status.Code.INVALID_ARGUMENT.value(), nan.getError().getCode());
            assertEquals("actions[1].values", nan.getError().getField());
            assertTrue(nan.getError().getMessage().contains("finite"));
            String unarySession = env.make(1, false);
            env.blocking.reset(TestServer.reset(unarySession, 1));
            StatusRuntimeException unaryNan = assertThrows(StatusRuntimeException.class, () -> env.blocking.step(
                    TestServer.uniformStep(unarySession, 1, 0, Float.NaN, 0, 0)));
            assertEquals(unaryNan.getStatus().getDescription(), nan.getError().getMessage(),
                    "the stream answers with the unary call's message");
            env.blocking.close(CloseRequest.newBuilder().setSessionId(unarySession).build());
            InteractResponse secondMake = stream.call(InteractRequest.newBuilder()
                    .setMake(TestServer.makeRequest(1, false)).build());
            assertEquals(Status.Code.INVALID_ARGUMENT.value(), secondMake.getError().getCode());
            InteractResponse empty = stream.call(InteractRequest.getDefaultInstance());
            assertEquals("request", empty.getError().getField());
            StepResponse ok = stream.step(TestServer.uniformStep("", 1, 0, 0, 0, 0)).getStep();
            assertEquals(1, ok.getEpisodeSteps(0), "the rejected requests did not advance the episode");

            assertTrue(stream.call(InteractRequest.newBuilder().setClose(CloseRequest.getDefaultInstance())
                    .build()).hasClose());
            assertEquals("completed", stream.received.poll(5, TimeUnit.SECONDS));
        }
        awaitSessions(0);
    }

    @Test
    void streamAttachesToAnExistingSessionWithoutOwningIt() throws InterruptedException {
        String session = env.make(1, false);
        try (Stream stream = new Stream()) {
            assertTrue(stream.call(InteractRequest.newBuilder().setReset(TestServer.reset(session, 2)).build()).hasReset());
            InteractResponse other = stream.step(TestServer.uniformStep("another", 1, 0, 0, 0, 0));
            assertEquals("step.session_id", other.getError().getField());
            assertEquals(1, stream.step(TestServer.uniformStep("", 1, 0, 0, 0, 0)).getStep().getEpisodeSteps(0));
        }
        assertEquals(2, env.blocking.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0)).getEpisodeSteps(0),
                "the session outlives the attached stream");
    }

    @Test
    void batchedSessionAgreesWithSingleSessionsSeededSeedPlusI() {
        int numEnvs = 4;
        String batched = env.make(numEnvs, true);
        List<String> singles = new ArrayList<>();
        var batchedReset = env.blocking.reset(TestServer.reset(batched, 1000));
        for (int copy = 0; copy < numEnvs; copy++) {
            String single = env.blocking.make(MakeRequest.newBuilder().setEnvId(TestServer.ENV_ID)
                    .setOptions(SessionOptions.newBuilder().setRewardGradient(true)).build()).getSessionId();
            singles.add(single);
            var reset = env.blocking.reset(TestServer.reset(single, 1000 + copy));
            assertArrayEquals(slice(reset.getStateList(), 0, 20), slice(batchedReset.getStateList(), copy * 20, 20));
            assertArrayEquals(slice(reset.getSharedObservationList(), 0, 20),
                    slice(batchedReset.getSharedObservationList(), copy * 20, 20));
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            StepRequest step = randomStep(batched, numEnvs, random);
            StepResponse all = env.blocking.step(step);
            for (int copy = 0; copy < numEnvs; copy++) {
                StepRequest.Builder single = StepRequest.newBuilder().setSessionId(singles.get(copy));
                for (int agent = 0; agent < 4; agent++) {
                    single.addActions(TestServer.action("agent_" + agent,
                            slice(step.getActions(agent).getValuesList(), copy * 5, 5)));
                }
                StepResponse one = env.blocking.step(single.build());
                assertEquals(one.getTerminated(0), all.getTerminated(copy));
                assertEquals(one.getTruncated(0), all.getTruncated(copy));
                if (one.getTerminated(0) || one.getTruncated(0)) {
                    return; // the batched copy autoresets from here; covered by the env tests
                }
                assertArrayEquals(slice(one.getStateList(), 0, 20), slice(all.getStateList(), copy * 20, 20));
                assertArrayEquals(slice(one.getSharedObservationList(), 0, 20),
                        slice(all.getSharedObservationList(), copy * 20, 20));
                for (int agent = 0; agent < 4; agent++) {
                    AgentStep expected = one.getAgents(agent);
                    AgentStep actual = all.getAgents(agent);
                    assertEquals(expected.getReward(0), actual.getReward(copy));
                    assertArrayEquals(slice(expected.getRewardGradientList(), 0, 5), slice(actual.getRewardGradientList(), copy * 5, 5));
                }
                assertEquals(one.getInfoOrThrow("objective").getValues(0), all.getInfoOrThrow("objective").getValues(copy));
            }
        }
    }

    @Test
    void batchedSpecDeclaresSameStepAutoreset() {
        var spec = env.makeResponse(8, false).getSpec();
        assertEquals(8, spec.getOptions().getNumEnvs());
        assertEquals(AutoresetMode.AUTORESET_MODE_SAME_STEP, spec.getOptions().getAutoresetMode());
        assertEquals(AutoresetMode.AUTORESET_MODE_DISABLED,
                env.makeResponse(1, false).getSpec().getOptions().getAutoresetMode());
    }

    private static float[] slice(List<Float> values, int from, int length) {
        return ServerAssertions.floats(values.subList(from, from + length));
    }

    private void awaitSessions(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (env.server.activeSessions() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, env.server.activeSessions());
    }
}
