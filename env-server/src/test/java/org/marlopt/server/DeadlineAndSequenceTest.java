package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/** A call the client gave up on is not applied; Step sequence numbers make retries safe. */
class DeadlineAndSequenceTest {

    private static StepRequest gatedStep(String session, long sequence) {
        return StepRequest.newBuilder().setSessionId(session).setSequence(sequence)
                .addActions(TestServer.action("a", 1f)).build();
    }

    private static float stepsApplied(StepResponse response) {
        return response.getAgents(0).getObservation(0);
    }

    @Test
    void aStepWhoseDeadlinePassedWhileItWaitedForTheSessionIsNotApplied() throws Exception {
        GatedEnv gated = new GatedEnv();
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (TestServer env = TestServer.start(TestServer.config(), TestServer.REGISTRY.with(List.of(gated)))) {
            String session = env.blocking.make(MakeRequest.newBuilder().setEnvId(GatedEnv.ID).build()).getSessionId();
            env.blocking.reset(TestServer.reset(session, 1));
            EnvServiceGrpc.EnvServiceFutureStub futures = EnvServiceGrpc.newFutureStub(env.channel);
            // The in-process transport runs the server's handler on the caller's thread.
            var holding = callers.submit(() -> futures.step(gatedStep(session, 0)));
            assertTrue(gated.entered.tryAcquire(5, TimeUnit.SECONDS), "the first step holds the session");
            var late = callers.submit(() -> futures.withDeadlineAfter(100, TimeUnit.MILLISECONDS)
                    .step(gatedStep(session, 0)));
            Thread.sleep(300); // the second step's deadline passes while it waits for the session's lock
            gated.open.countDown();
            assertEquals(1f, stepsApplied(holding.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS)));
            ListenableFuture<StepResponse> lateAnswer = late.get(5, TimeUnit.SECONDS);
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> lateAnswer.get(5, TimeUnit.SECONDS));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, Status.fromThrowable(refused.getCause()).getCode());
            assertEquals(2f, stepsApplied(env.blocking.step(gatedStep(session, 0))),
                    "the late step was not applied: this is the second step");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void sequencedStepsApplyOnceAndARepeatGetsTheSameAnswer() throws Exception {
        GatedEnv gated = new GatedEnv();
        gated.open.countDown();
        try (TestServer env = TestServer.start(TestServer.config(), TestServer.REGISTRY.with(List.of(gated)))) {
            String session = env.blocking.make(MakeRequest.newBuilder().setEnvId(GatedEnv.ID).build()).getSessionId();
            env.blocking.reset(TestServer.reset(session, 1));
            StepResponse first = env.blocking.step(gatedStep(session, 1));
            assertEquals(first, env.blocking.step(gatedStep(session, 1)), "a retry answers the cached response");
            assertEquals(2f, stepsApplied(env.blocking.step(gatedStep(session, 2))));

            StatusRuntimeException skipped = assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.step(gatedStep(session, 4)));
            assertEquals(Status.Code.FAILED_PRECONDITION, skipped.getStatus().getCode());
            assertTrue(skipped.getStatus().getDescription().startsWith("sequence: expected sequence 3"),
                    skipped.getStatus().getDescription());
            assertEquals(Status.Code.FAILED_PRECONDITION, assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.step(gatedStep(session, 1))).getStatus().getCode());

            assertEquals(3f, stepsApplied(env.blocking.step(gatedStep(session, 0))), "0 opts out");
            env.blocking.reset(TestServer.reset(session, 2));
            StatusRuntimeException acrossReset = assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.step(gatedStep(session, 2)));
            assertTrue(acrossReset.getStatus().getDescription().contains("a later Reset or unnumbered Step replaced"),
                    acrossReset.getStatus().getDescription());
            assertEquals(1f, stepsApplied(env.blocking.step(gatedStep(session, 3))));
        }
    }
}
