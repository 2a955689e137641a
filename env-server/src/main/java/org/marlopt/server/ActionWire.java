package org.marlopt.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.marlopt.proto.env.v2.AgentAction;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.StepRequest;

/**
 * Reads Step requests (unary, and as an Interact request) without parsing the action values one
 * float at a time: each AgentAction's packed values stay one block of little-endian bytes, kept
 * in an unknown field of the parsed message, which {@link #copyValues} copies into the session's
 * buffer in one go. Only the plain encoding every protobuf library writes (each field once,
 * values packed, no other fields) is read this way; anything else goes to protobuf's parser,
 * which gives the usual message or the usual parse failure.
 */
final class ActionWire {

    /** Carries an action's packed values; next to {@link MalformedRequests#MARK_FIELD}, unused by the protocol. */
    static final int VALUES_FIELD = MalformedRequests.MARK_FIELD - 1;
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private ActionWire() {}

    private static int tag(int fieldNumber, int wireType) {
        return fieldNumber << 3 | wireType;
    }

    /** Step's request marshaller reading actions in bulk. */
    static PrototypeMarshaller<StepRequest> stepMarshaller(PrototypeMarshaller<StepRequest> standard) {
        return new BulkMarshaller<>(standard, bytes -> step(aliasing(bytes)));
    }

    /** Interact's request marshaller reading a step's actions in bulk. */
    static PrototypeMarshaller<InteractRequest> interactMarshaller(PrototypeMarshaller<InteractRequest> standard) {
        return new BulkMarshaller<>(standard, ActionWire::interactStep);
    }

    static int valueCount(AgentAction action) {
        List<ByteString> block = action.getUnknownFields().getField(VALUES_FIELD).getLengthDelimitedList();
        return block.isEmpty() ? action.getValuesCount() : block.get(0).size() / Float.BYTES;
    }

    /** The action's values into {@code buffer}, which holds {@link #valueCount} floats. */
    static void copyValues(AgentAction action, float[] buffer) {
        List<ByteString> block = action.getUnknownFields().getField(VALUES_FIELD).getLengthDelimitedList();
        if (block.isEmpty()) {
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = action.getValues(i);
            }
        } else {
            block.get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(buffer);
        }
    }

    /** An InteractRequest that is one step, read in bulk; null for any other. */
    private static InteractRequest interactStep(byte[] bytes) {
        try {
            CodedInputStream in = aliasing(bytes);
            if (in.readTag() != tag(InteractRequest.STEP_FIELD_NUMBER, LENGTH_DELIMITED)) {
                return null;
            }
            int limit = in.pushLimit(in.readRawVarint32());
            StepRequest step = step(in);
            in.popLimit(limit);
            return step == null || !in.isAtEnd() ? null : InteractRequest.newBuilder().setStep(step).build();
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads {@code bytes}, a request's own fresh copy, so byte strings may share it instead of copying. */
    private static CodedInputStream aliasing(byte[] bytes) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.enableAliasing(true);
        return in;
    }

    /** The StepRequest up to the stream's limit in the plain encoding; null otherwise. */
    private static StepRequest step(CodedInputStream in) {
        try {
            StepRequest.Builder step = StepRequest.newBuilder();
            boolean sessionSeen = false;
            boolean sequenceSeen = false;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == tag(StepRequest.SESSION_ID_FIELD_NUMBER, LENGTH_DELIMITED) && !sessionSeen) {
                    step.setSessionId(in.readStringRequireUtf8());
                    sessionSeen = true;
                } else if (tag == tag(StepRequest.ACTIONS_FIELD_NUMBER, LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    AgentAction action = action(in);
                    in.popLimit(limit);
                    if (action == null) {
                        return null;
                    }
                    step.addActions(action);
                } else if (tag == tag(StepRequest.SEQUENCE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT)
                        && !sequenceSeen) {
                    step.setSequence(in.readUInt64());
                    sequenceSeen = true;
                } else {
                    return null;
                }
            }
            return step.build();
        } catch (IOException e) {
            return null;
        }
    }

    private static AgentAction action(CodedInputStream in) throws IOException {
        AgentAction.Builder action = AgentAction.newBuilder();
        boolean agentSeen = false;
        ByteString values = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == tag(AgentAction.AGENT_FIELD_NUMBER, LENGTH_DELIMITED) && !agentSeen) {
                action.setAgent(in.readStringRequireUtf8());
                agentSeen = true;
            } else if (tag == tag(AgentAction.VALUES_FIELD_NUMBER, LENGTH_DELIMITED) && values == null) {
                values = in.readBytes();
                if (values.size() % Float.BYTES != 0) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (values != null) {
            action.setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(VALUES_FIELD, UnknownFieldSet.Field.newBuilder().addLengthDelimited(values).build())
                    .build());
        }
        return action.build();
    }

    /** Reads a message in bulk when {@code bulk} can (non-null), else with the standard marshaller. */
    private record BulkMarshaller<T>(PrototypeMarshaller<T> standard, Function<byte[], T> bulk)
            implements PrototypeMarshaller<T> {

        @Override
        public T parse(InputStream stream) {
            byte[] bytes;
            try {
                bytes = readAll(stream);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a request: " + e.getMessage(), e);
            }
            T message = bulk.apply(bytes);
            return message != null ? message : standard.parse(new ByteArrayInputStream(bytes));
        }

        /**
         * The stream's bytes, copied once into an array of the length gRPC's stream knows
         * (readAllBytes would copy chunk by chunk, then again to join them).
         */
        private static byte[] readAll(InputStream stream) throws IOException {
            byte[] bytes = new byte[stream.available()];
            int read = stream.readNBytes(bytes, 0, bytes.length);
            byte[] rest = stream.readAllBytes(); // empty, unless available() fell short
            if (read == bytes.length && rest.length == 0) {
                return bytes;
            }
            byte[] all = Arrays.copyOf(bytes, read + rest.length);
            System.arraycopy(rest, 0, all, read, rest.length);
            return all;
        }

        @Override
        public InputStream stream(T value) {
            return standard.stream(value);
        }

        @Override
        public T getMessagePrototype() {
            return standard.getMessagePrototype();
        }

        @Override
        public Class<T> getMessageClass() {
            return standard.getMessageClass();
        }
    }
}
