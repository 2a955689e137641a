package org.marlopt.server;

import com.google.common.util.concurrent.RateLimiter;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request that does not parse reach the service as a request marked malformed, so it is
 * answered INVALID_ARGUMENT like any other bad request.
 *
 * <p>Why: grpc-java parses each request with the method's marshaller inside ServerCallImpl; a
 * parse failure escapes the service, is answered UNKNOWN "Application error processing RPC" and
 * logged with a full stack trace, and an Interact stream dies without its handler hearing of it.
 * {@link #tolerate} rewraps the service's methods with a marshaller that never throws: on a
 * parse failure it returns an empty request of the method's type carrying the failure in an
 * unknown field numbered {@link #MARK_FIELD}, which {@link #check} turns into a short
 * INVALID_ARGUMENT (logged without a stack trace, at most one line per second).
 */
final class MalformedRequests {

    /** The largest field number protobuf allows; no message of the protocol uses it. */
    static final int MARK_FIELD = 536_870_911;
    private static final int MAX_REASON_CHARS = 160;
    private static final Logger LOG = LoggerFactory.getLogger(MalformedRequests.class);
    private static final RateLimiter LOG_RATE = RateLimiter.create(1.0);
    private static final AtomicLong UNLOGGED = new AtomicLong();

    private MalformedRequests() {}

    /** The service with every request marshaller made tolerant; responses and schema unchanged. */
    static ServerServiceDefinition tolerate(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> tolerant = tolerant(method);
            descriptor.addMethod(tolerant.getMethodDescriptor());
            methods.add(tolerant);
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(builder::addMethod);
        return builder.build();
    }

    /**
     * Throws INVALID_ARGUMENT when {@code request} is the stand-in of a message that did not
     * parse; returns it otherwise.
     */
    static <T extends Message> T check(T request) {
        UnknownFieldSet.Field mark = request.getUnknownFields().getField(MARK_FIELD);
        if (mark.getLengthDelimitedList().isEmpty()) {
            return request;
        }
        String reason = mark.getLengthDelimitedList().get(0).toStringUtf8();
        String type = request.getDescriptorForType().getFullName();
        logRateLimited(type, reason);
        throw RequestException.invalid("request", "the message is not a valid serialized " + type
                + " (" + reason + "); send the protocol's message for this method");
    }

    private static <Q, R> ServerMethodDefinition<Q, R> tolerant(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        if (!(descriptor.getRequestMarshaller() instanceof PrototypeMarshaller<Q> proto)
                || !(proto.getMessagePrototype() instanceof Message)) {
            return method; // not a protobuf method: left as gRPC built it
        }
        MethodDescriptor<Q, R> tolerant = descriptor.toBuilder()
                .setRequestMarshaller(new TolerantMarshaller<>(proto))
                .build();
        return ServerMethodDefinition.create(tolerant, method.getServerCallHandler());
    }

    private static void logRateLimited(String type, String reason) {
        if (LOG_RATE.tryAcquire()) {
            long unlogged = UNLOGGED.getAndSet(0);
            LOG.warn("refused a malformed {} ({}){}", type, reason,
                    unlogged == 0 ? "" : "; " + unlogged + " more since the last such line");
        } else {
            UNLOGGED.incrementAndGet();
        }
    }

    /** Parses as the protobuf marshaller does, returning a marked empty request instead of throwing. */
    private record TolerantMarshaller<T>(PrototypeMarshaller<T> parser) implements PrototypeMarshaller<T> {

        @Override
        public T parse(InputStream stream) {
            try {
                return parser.parse(stream);
            } catch (RuntimeException e) {
                return marked(reason(e));
            }
        }

        @Override
        public InputStream stream(T value) {
            return parser.stream(value);
        }

        @Override
        public T getMessagePrototype() {
            return parser.getMessagePrototype();
        }

        @Override
        public Class<T> getMessageClass() {
            return parser.getMessageClass();
        }

        @SuppressWarnings("unchecked") // the builder of a T's prototype builds a T
        private T marked(String reason) {
            Message prototype = (Message) parser.getMessagePrototype();
            UnknownFieldSet mark = UnknownFieldSet.newBuilder()
                    .addField(MARK_FIELD, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(ByteString.copyFromUtf8(reason)).build())
                    .build();
            return (T) prototype.newBuilderForType().setUnknownFields(mark).build();
        }

        /** The first sentence of the protobuf parser's words (the cause of gRPC's generic status). */
        private static String reason(RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String text = String.valueOf(cause.getMessage());
            int sentence = text.indexOf(". ");
            text = sentence < 0 ? text : text.substring(0, sentence);
            return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
        }
    }
}
