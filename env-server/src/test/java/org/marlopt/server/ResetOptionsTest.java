package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.ListEnvironmentsRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ResetResponse;

/**
 * Reset options an environment does not take are ignored, so generic tools that pass options of their own
 * work (PettingZoo's parallel_api_test resets with {"options": 1}); a malformed value of an option the
 * environment takes is still INVALID_ARGUMENT naming the option.
 */
class ResetOptionsTest {

    /** What generic tools pass, plus a key no environment takes, beside the options an environment does take. */
    private static final Struct FOREIGN = Struct.newBuilder()
            .putFields("options", Value.newBuilder().setNumberValue(1).build())
            .putFields("render_mode", Value.newBuilder().setStringValue("human").build())
            .build();

    private TestServer env;

    @BeforeEach
    void start() {
        env = TestServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        env.close();
    }

    @Test
    void everyEnvironmentIgnoresOptionsItDoesNotTake() {
        for (EnvironmentInfo info : env.blocking.listEnvironments(ListEnvironmentsRequest.getDefaultInstance())
                .getEnvironmentsList()) {
            ResetResponse plain = env.blocking.reset(reset(make(info.getId()), Struct.getDefaultInstance()));
            ResetResponse withForeign = env.blocking.reset(reset(make(info.getId()), FOREIGN));
            assertEquals(plain, withForeign, info.getId() + ": foreign options change nothing");
        }
    }

    @Test
    void takenOptionsStillApplyBesideForeignOnes() {
        Struct options = FOREIGN.toBuilder().putFields("initial_params", numbers(0.25, 20)).build();
        ResetResponse response = env.blocking.reset(reset(make(TestServer.ENV_ID), options));
        assertEquals(20, response.getSharedObservationCount());
        response.getSharedObservationList().forEach(value -> assertEquals(0.25f, value));
    }

    @Test
    void aMalformedValueOfATakenOptionIsInvalidArgumentNamingIt() {
        assertRejected(TestServer.ENV_ID, "initial_params", numbers(0.25, 3));
        assertRejected(TestServer.ENV_ID, "initial_params", Value.newBuilder().setStringValue("zero").build());
        assertRejected("DistributedLeastSquares-v1", "x0", Value.newBuilder().setBoolValue(true).build());
    }

    private void assertRejected(String envId, String option, Value value) {
        Struct options = FOREIGN.toBuilder().putFields(option, value).build();
        String session = make(envId);
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> env.blocking.reset(reset(session, options)));
        assertEquals(Status.Code.INVALID_ARGUMENT, failure.getStatus().getCode(), failure.getStatus().toString());
        String description = failure.getStatus().getDescription();
        assertTrue(description != null && description.startsWith("options." + option + ": "),
                "names options." + option + ": " + description);
    }

    private String make(String envId) {
        return env.blocking.make(MakeRequest.newBuilder().setEnvId(envId).build()).getSessionId();
    }

    private static ResetRequest reset(String session, Struct options) {
        return TestServer.reset(session, 5).toBuilder().setOptions(options).build();
    }

    private static Value numbers(double value, int count) {
        ListValue.Builder list = ListValue.newBuilder();
        for (int i = 0; i < count; i++) {
            list.addValues(Value.newBuilder().setNumberValue(value));
        }
        return Value.newBuilder().setListValue(list).build();
    }
}
