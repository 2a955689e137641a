package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.BatchedVectorEnv;
import org.marlopt.env.vector.Transition;
import org.marlopt.proto.env.v2.AutoresetMode;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ParameterValue;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.SessionOptions;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/** Every rejected call gets its fixed status code, names the field, and leaves the session usable. */
class EnvServiceErrorsTest {

    private TestServer env;

    @BeforeEach
    void start() {
        env = TestServer.start(TestServer.config().withMaxSessions(3).withMaxNumEnvs(64));
    }

    @AfterEach
    void stop() throws InterruptedException {
        env.close();
    }

    private static StatusRuntimeException fails(Status.Code code, String field, Supplier<?> call) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(code, failure.getStatus().getCode(), failure.getStatus().toString());
        String description = failure.getStatus().getDescription();
        assertNotNull(description);
        assertTrue(description.startsWith(field + ": "), "names " + field + ": " + description);
        return failure;
    }

    private StatusRuntimeException makeFails(String field, MakeRequest.Builder request) {
        return fails(Status.Code.INVALID_ARGUMENT, field, () -> env.blocking.make(request.build()));
    }

    private static MakeRequest.Builder make(String param, ParameterValue value) {
        return MakeRequest.newBuilder().setEnvId(TestServer.ENV_ID).putParams(param, value);
    }

    private static MakeRequest.Builder tally(String param, ParameterValue value) {
        return TestServer.tally(1, AutoresetMode.AUTORESET_MODE_UNSPECIFIED).putParams(param, value);
    }

    @Test
    void badMakeParametersAreInvalidArgument() {
        StatusRuntimeException unknownEnv = makeFails("env_id", MakeRequest.newBuilder().setEnvId("CartPole-v1"));
        assertTrue(unknownEnv.getStatus().getDescription().contains(TestServer.ENV_ID), "lists the offered ids");
        StatusRuntimeException indivisible = makeFails("params.param_dim", make("param_dim", TestServer.integer(21)));
        assertTrue(indivisible.getStatus().getDescription().contains("divisible"), "says the fix");
        makeFails("params.num_agents", make("num_agents", TestServer.integer(0)));
        makeFails("params.param_dim", make("param_dim", TestServer.integer(-20)));
        makeFails("params.max_episode_steps", make("max_episode_steps", TestServer.integer(0)));
        makeFails("params.target", make("target", TestServer.number(Double.NaN)));
        makeFails("params.target", make("target", TestServer.number(Double.NEGATIVE_INFINITY)));
        StatusRuntimeException unknown = makeFails("params.colour", make("colour", TestServer.integer(1)));
        assertTrue(unknown.getStatus().getDescription().contains("target"), "lists the accepted names");
        makeFails("options.num_envs", MakeRequest.newBuilder().setEnvId(TestServer.ENV_ID)
                .setOptions(SessionOptions.newBuilder().setNumEnvs(65)));
        makeFails("options.autoreset_mode", MakeRequest.newBuilder().setEnvId(TestServer.ENV_ID)
                .setOptions(SessionOptions.newBuilder().setAutoresetModeValue(42)));
        assertEquals(0, env.server.activeSessions(), "no rejected Make leaves a session");
    }

    @Test
    void parametersOfTheWrongTypeOutOfBoundsOrNotAmongTheChoicesAreInvalidArgument() {
        makeFails("params.goal", tally("goal", TestServer.text("far")));
        makeFails("params.goal", tally("goal", TestServer.numbers(3)));
        makeFails("params.shared_reward", tally("shared_reward", TestServer.number(1)));
        makeFails("params.start", tally("start", TestServer.bool(true)));
        StatusRuntimeException fractional = makeFails("params.num_agents", tally("num_agents", TestServer.number(2.5)));
        assertTrue(fractional.getStatus().getDescription().contains("whole"), fractional.getStatus().getDescription());
        StatusRuntimeException outOfBounds = makeFails("params.goal", tally("goal", TestServer.number(1000)));
        assertTrue(outOfBounds.getStatus().getDescription().contains("[0.5, 100]"), "gives the bounds");
        makeFails("params.num_agents", tally("num_agents", TestServer.integer(5)));
        StatusRuntimeException unknownChoice = makeFails("params.start", tally("start", TestServer.text("middle")));
        assertTrue(unknownChoice.getStatus().getDescription().contains("[zero, random]"), "lists the choices");
        StatusRuntimeException tooLong = makeFails("params.weights", tally("weights", TestServer.numbers(1, 1, 1, 1, 1)));
        assertTrue(tooLong.getStatus().getDescription().contains("1 to 4"), tooLong.getStatus().getDescription());
        makeFails("params.weights", tally("weights", TestServer.numbers(1, 3)));
        makeFails("params.weights", tally("weights", TestServer.numbers(1, 1, 1)));
        makeFails("params.topology", tally("topology", TestServer.text("star")));
        makeFails("params.goal", tally("goal", ParameterValue.getDefaultInstance()));
        assertEquals(0, env.server.activeSessions(), "no rejected Make leaves a session");
    }

    @Test
    void aWholeNumberIsAcceptedForAnIntegerParameter() {
        var spec = env.blocking.make(tally("num_agents", TestServer.number(3)).build()).getSpec();
        assertEquals(3, spec.getAgentsCount());
        assertEquals(TestServer.integer(3), spec.getParamsOrThrow("num_agents"), "echoed as an integer");
    }

    @Test
    void rewardGradientOnAnEnvironmentWithoutOneIsInvalidArgument() {
        MakeRequest.Builder gradient = TestServer.tally(1, AutoresetMode.AUTORESET_MODE_UNSPECIFIED);
        gradient.getOptionsBuilder().setRewardGradient(true);
        StatusRuntimeException refused = makeFails("options.reward_gradient", gradient);
        assertTrue(refused.getStatus().getDescription().contains("reward_gradient false"), "says the fix");
        try (TestServer small = TestServer.start(TestServer.config().withMaxMessageBytes(64 * 1024))) {
            gradient.getOptionsBuilder().setNumEnvs(4096);
            fails(Status.Code.INVALID_ARGUMENT, "options.reward_gradient", () -> small.blocking.make(gradient.build()));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(0, env.server.activeSessions());
    }

    @Test
    void sessionLimitIsResourceExhausted() {
        for (int i = 0; i < 3; i++) {
            env.make(1, false);
        }
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, () -> env.make(1, false));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertTrue(full.getStatus().getDescription().contains("--max-sessions"));
        assertEquals(3, env.server.activeSessions());
    }

    @Test
    void sessionTooLargeForTheMessageLimitIsResourceExhausted() {
        try (TestServer small = TestServer.start(TestServer.config().withMaxMessageBytes(64 * 1024))) {
            StatusRuntimeException tooBig = assertThrows(StatusRuntimeException.class,
                    () -> small.make(4096, true));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
            assertTrue(tooBig.getStatus().getDescription().contains("num_envs <="), tooBig.getStatus().getDescription());
            assertEquals(0, small.server.activeSessions());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownClosedAndEmptySessionIds() {
        fails(Status.Code.NOT_FOUND, "session_id", () -> env.blocking.reset(TestServer.reset("no-such-session", 1)));
        fails(Status.Code.NOT_FOUND, "session_id",
                () -> env.blocking.step(TestServer.uniformStep("nope", 1, 0, 0, 0, 0)));
        fails(Status.Code.INVALID_ARGUMENT, "session_id", () -> env.blocking.reset(ResetRequest.getDefaultInstance()));
        String session = env.make(1, false);
        env.blocking.close(CloseRequest.newBuilder().setSessionId(session).build());
        StatusRuntimeException closed = fails(Status.Code.NOT_FOUND, "session_id",
                () -> env.blocking.reset(TestServer.reset(session, 1)));
        assertTrue(closed.getStatus().getDescription().contains("was closed"), closed.getStatus().getDescription());
        fails(Status.Code.NOT_FOUND, "session_id",
                () -> env.blocking.close(CloseRequest.newBuilder().setSessionId(session).build()));
        assertEquals(0, env.server.activeSessions());
    }

    @Test
    void stepBeforeResetAndAfterTheEpisodeEndedIsFailedPrecondition() {
        MakeRequest oneStep = make("max_episode_steps", TestServer.integer(1))
                .setOptions(SessionOptions.newBuilder().setAutoresetMode(AutoresetMode.AUTORESET_MODE_DISABLED)).build();
        String session = env.blocking.make(oneStep).getSessionId();
        StepRequest zeros = TestServer.uniformStep(session, 1, 0, 0, 0, 0);
        StatusRuntimeException early = assertThrows(StatusRuntimeException.class, () -> env.blocking.step(zeros));
        assertEquals(Status.Code.FAILED_PRECONDITION, early.getStatus().getCode());
        assertTrue(early.getStatus().getDescription().contains("Reset"));
        env.blocking.reset(TestServer.reset(session, 1));
        assertTrue(env.blocking.step(zeros).getTruncated(0));
        StatusRuntimeException ended = assertThrows(StatusRuntimeException.class, () -> env.blocking.step(zeros));
        assertEquals(Status.Code.FAILED_PRECONDITION, ended.getStatus().getCode());
        env.blocking.reset(TestServer.reset(session, 1));
        assertEquals(1, env.blocking.step(zeros).getEpisodeSteps(0), "usable again after Reset");
    }

    @Test
    void badActionsAreInvalidArgumentAndLeaveTheSessionUnchanged() {
        String session = env.make(1, true);
        env.blocking.reset(TestServer.reset(session, 17));
        BatchedVectorEnv reference = TestServer.REGISTRY.make(TestServer.ENV_ID, Map.of(),
                new VectorOptions(1, true, null));
        reference.reset(17);

        StepRequest good = TestServer.uniformStep(session, 1, 0.1f, -0.2f, 0.3f, 0.05f);
        fails(Status.Code.INVALID_ARGUMENT, "actions",
                () -> env.blocking.step(good.toBuilder().removeActions(3).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions",
                () -> env.blocking.step(good.toBuilder().addActions(good.getActions(0)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions[1].agent", () -> env.blocking.step(good.toBuilder()
                .setActions(1, good.getActions(1).toBuilder().setAgent("agent_2")).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions[2].values", () -> env.blocking.step(good.toBuilder()
                .setActions(2, good.getActions(2).toBuilder().addValues(0f)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions[0].values", () -> env.blocking.step(good.toBuilder()
                .setActions(0, TestServer.action("agent_0", 0f, 0f, 0f, 0f)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions[3].values", () -> env.blocking.step(good.toBuilder()
                .setActions(3, good.getActions(3).toBuilder().setValues(2, Float.NaN)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "actions[0].values", () -> env.blocking.step(good.toBuilder()
                .setActions(0, good.getActions(0).toBuilder().setValues(0, Float.NEGATIVE_INFINITY)).build()));
        fails(Status.Code.INVALID_ARGUMENT, "options.initial_params", () -> env.blocking.reset(
                TestServer.reset(session, 3).toBuilder().setOptions(Struct.newBuilder().putFields("initial_params",
                        Value.newBuilder().setListValue(ListValue.newBuilder()
                                .addValues(Value.newBuilder().setNumberValue(0.5))).build())).build()));

        StepResponse response = env.blocking.step(good);
        float[][] actions = new float[4][5];
        float[] values = {0.1f, -0.2f, 0.3f, 0.05f};
        for (int agent = 0; agent < 4; agent++) {
            Arrays.fill(actions[agent], values[agent]);
        }
        Transition expected = reference.step(actions);
        assertArrayEquals(expected.sharedObservation(), ServerAssertions.floats(response.getSharedObservationList()));
        assertArrayEquals(expected.state(), ServerAssertions.floats(response.getStateList()));
        assertEquals(1, response.getEpisodeSteps(0), "no rejected call advanced the episode");
        assertArrayEquals(expected.rewardGradient(2),
                ServerAssertions.floats(response.getAgents(2).getRewardGradientList()));
    }
}
