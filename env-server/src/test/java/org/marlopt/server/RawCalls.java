package org.marlopt.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.marlopt.proto.env.v2.EnvServiceGrpc;

/** Calls on EnvService's real method names with raw bytes as messages, as a broken or hostile client sends them. */
public final class RawCalls {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawCalls() {}

    /** The unary method {@code name} (e.g. "Step"), bytes in and out. */
    public static MethodDescriptor<byte[], byte[]> unary(String name) {
        return method(name, MethodDescriptor.MethodType.UNARY);
    }

    public static byte[] call(Channel channel, String name, byte[] request) {
        return ClientCalls.blockingUnaryCall(channel, unary(name),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    }

    /** Opens an Interact stream that sends and receives raw bytes. */
    public static StreamObserver<byte[]> interact(Channel channel, StreamObserver<byte[]> responses) {
        return ClientCalls.asyncBidiStreamingCall(channel.newCall(
                method("Interact", MethodDescriptor.MethodType.BIDI_STREAMING), CallOptions.DEFAULT), responses);
    }

    private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(EnvServiceGrpc.SERVICE_NAME, name))
                .build();
    }
}
