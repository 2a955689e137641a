package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.StepRequest;

/**
 * Step requests read in bulk give exactly the actions protobuf's parser gives: for several sizes
 * and the float edge values, in the plain encoding (read in bulk) and in every other valid one
 * (read by protobuf); a malformed request fails as protobuf's parser fails.
 */
class ActionWireTest {

    private static final float[] EDGE = {Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.25f};
    private static final PrototypeMarshaller<StepRequest> STEP = ActionWire.stepMarshaller(
            (PrototypeMarshaller<StepRequest>) ProtoUtils.marshaller(StepRequest.getDefaultInstance()));
    private static final PrototypeMarshaller<InteractRequest> INTERACT = ActionWire.interactMarshaller(
            (PrototypeMarshaller<InteractRequest>) ProtoUtils.marshaller(InteractRequest.getDefaultInstance()));

    @ParameterizedTest(name = "{0} values per agent")
    @ValueSource(ints = {0, 1, 5, 9, 5120})
    void plainRequestsReadInBulkGiveProtobufsActions(int size) {
        StepRequest request = request(size, "session-é", Long.MIN_VALUE); // sequence 2^63 as uint64
        StepRequest parsed = STEP.parse(new ByteArrayInputStream(request.toByteArray()));
        assertEquals(request, plain(parsed));
        assertEquals(0, parsed.getActions(0).getValuesCount(), "the values should have been kept as one block");

        InteractRequest interact = InteractRequest.newBuilder().setStep(request).build();
        assertEquals(request, plain(INTERACT.parse(new ByteArrayInputStream(interact.toByteArray())).getStep()));
    }

    @Test
    void otherValidEncodingsGoToProtobuf() throws IOException {
        StepRequest request = request(3, "s", 7);
        // values unpacked, values in two packed runs, an unknown field, a repeated session id, not a step
        byte[] unpacked = encode(out -> {
            out.writeString(1, "s");
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            ByteArrayOutputStream action = new ByteArrayOutputStream();
            CodedOutputStream inner = CodedOutputStream.newInstance(action);
            inner.writeString(1, "agent_0");
            for (float value : request.getActions(0).getValuesList()) {
                inner.writeFloat(2, value);
            }
            inner.flush();
            out.writeUInt32NoTag(action.size());
            out.writeRawBytes(action.toByteArray());
            for (int agent = 1; agent < request.getActionsCount(); agent++) {
                out.writeMessage(2, request.getActions(agent));
            }
            out.writeUInt64(3, 7);
        });
        assertEquals(StepRequest.parseFrom(unpacked), plain(STEP.parse(new ByteArrayInputStream(unpacked))));
        byte[] twoRuns = encode(out -> out.writeByteArray(2, concat(request.getActions(0).toByteArray(),
                AgentAction.newBuilder().addValues(9f).build().toByteArray())));
        assertEquals(StepRequest.parseFrom(twoRuns), plain(STEP.parse(new ByteArrayInputStream(twoRuns))));
        assertEquals(4, StepRequest.parseFrom(twoRuns).getActions(0).getValuesCount());
        byte[] unknown = concat(request.toByteArray(), encode(out -> out.writeUInt64(99, 1)));
        assertEquals(StepRequest.parseFrom(unknown), STEP.parse(new ByteArrayInputStream(unknown)));
        byte[] twice = concat(request.toByteArray(), StepRequest.newBuilder().setSessionId("t").build().toByteArray());
        assertEquals("t", plain(STEP.parse(new ByteArrayInputStream(twice))).getSessionId());
        InteractRequest make = InteractRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("x")).build();
        assertEquals(make, INTERACT.parse(new ByteArrayInputStream(make.toByteArray())));
    }

    @Test
    void malformedRequestsFailAsProtobufFails() throws IOException {
        byte[] whole = request(5, "s", 1).toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        assertThrows(StatusRuntimeException.class, () -> STEP.parse(new ByteArrayInputStream(truncated)));
        byte[] oddLength = encode(out -> {
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(4);
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(2);
            out.writeRawBytes(new byte[2]);
        });
        assertThrows(StatusRuntimeException.class, () -> STEP.parse(new ByteArrayInputStream(oddLength)));
    }

    private static StepRequest request(int size, String session, long sequence) {
        StepRequest.Builder request = StepRequest.newBuilder().setSessionId(session).setSequence(sequence);
        for (int agent = 0; agent < 3; agent++) {
            AgentAction.Builder action = AgentAction.newBuilder().setAgent("agent_" + agent);
            for (int i = 0; i < size; i++) {
                action.addValues(i % 3 == 0 ? EDGE[(i + agent) % EDGE.length] : i * 0.5f - agent);
            }
            request.addActions(action);
        }
        return request.build();
    }

    /** The request as protobuf's message, its actions' values read through {@link ActionWire}. */
    private static StepRequest plain(StepRequest parsed) {
        StepRequest.Builder plain = parsed.toBuilder().clearActions();
        for (AgentAction action : parsed.getActionsList()) {
            float[] values = new float[ActionWire.valueCount(action)];
            ActionWire.copyValues(action, values);
            AgentAction.Builder copy = AgentAction.newBuilder().setAgent(action.getAgent());
            for (float value : values) {
                copy.addValues(value);
            }
            plain.addActions(copy);
        }
        return plain.build();
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
