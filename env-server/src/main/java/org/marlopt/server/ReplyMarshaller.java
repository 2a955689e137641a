package org.marlopt.server;

import io.grpc.MethodDescriptor;
import java.io.InputStream;

/**
 * Streams a {@link Reply}: a wire reply's bytes as they are, a message reply through the
 * method's standard protobuf marshaller. The latter keeps an in-process server passing message
 * objects without serializing them: grpc-java's protobuf marshaller hands a message it streamed
 * straight to the receiving side's marshaller of the same type.
 */
final class ReplyMarshaller<M> implements MethodDescriptor.Marshaller<Reply<M>> {

    private final MethodDescriptor.Marshaller<M> standard;

    ReplyMarshaller(MethodDescriptor.Marshaller<M> standard) {
        this.standard = standard;
    }

    /** The method with its response marshalled as a {@link Reply}; its name and schema unchanged. */
    static <Q, M> MethodDescriptor<Q, Reply<M>> replying(MethodDescriptor<Q, M> method) {
        return method.toBuilder(method.getRequestMarshaller(), new ReplyMarshaller<>(method.getResponseMarshaller()))
                .build();
    }

    @Override
    public InputStream stream(Reply<M> reply) {
        return reply.isWire() ? reply.stream() : standard.stream(reply.messageOrNull());
    }

    @Override
    public Reply<M> parse(InputStream stream) {
        return Reply.of(standard.parse(stream));
    }
}
