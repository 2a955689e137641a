package org.marlopt.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.marlopt.proto.env.v2.EnvServiceGrpc;

/**
 * Ping-pong load whose requests are serialized once up front and whose answers are taken as
 * bytes without parsing: the client costs almost nothing per call, so the rate measures the
 * server (a client that parses a 1024-copy StepResponse spends longer on it than a fast server
 * spends answering). Any failure, or an Interact answer other than {@code step}, ends the run.
 */
final class RawCalls {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value); // gRPC frames it with its known length
        }

        /** gRPC's stream knows its length: one copy into an array of that size (the rest, if any, appended). */
        @Override
        public byte[] parse(InputStream stream) {
            try {
                byte[] bytes = new byte[stream.available()];
                int read = stream.readNBytes(bytes, 0, bytes.length);
                byte[] rest = stream.readAllBytes();
                if (read == bytes.length && rest.length == 0) {
                    return bytes;
                }
                byte[] all = java.util.Arrays.copyOf(bytes, read + rest.length);
                System.arraycopy(rest, 0, all, read, rest.length);
                return all;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<byte[], byte[]> STEP = raw(EnvServiceGrpc.getStepMethod());
    private static final MethodDescriptor<byte[], byte[]> INTERACT = raw(EnvServiceGrpc.getInteractMethod());
    /** The first byte of an InteractResponse whose oneof is {@code step} (field 3, length-delimited). */
    private static final byte STEP_TAG = 3 << 3 | 2;

    private RawCalls() {}

    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return method.toBuilder(BYTES, BYTES).build();
    }

    /** Unary Steps, each sent when the previous one completed, until {@code sink} says stop. */
    static void unary(Channel channel, byte[][] steps, LatencySink sink) {
        new UnaryPingPong<byte[], byte[]>((step, answer) -> ClientCalls.asyncUnaryCall(
                channel.newCall(STEP, CallOptions.DEFAULT), step, answer), steps, sink).run();
    }

    /**
     * Interact steps on a stream already bound to a session (by {@code setup}, sent first and
     * answered before the loop starts), each sent when the previous answer arrived.
     */
    static void stream(Channel channel, byte[][] setup, byte[][] steps, LatencySink sink) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicReference<StreamObserver<byte[]>> requests = new AtomicReference<>();
        StreamObserver<byte[]> answers = new StreamObserver<>() {
            private long sentAt;
            private int received;
            private int sent;

            @Override
            public synchronized void onNext(byte[] answer) {
                if (received++ < setup.length) {
                    if (received < setup.length) {
                        requests.get().onNext(setup[received]);
                    } else {
                        sendStep();
                    }
                    return;
                }
                if (answer.length == 0 || answer[0] != STEP_TAG) {
                    done.completeExceptionally(new IllegalStateException("the server answered a step with "
                            + "something other than a step (an error?); run the parity check to see it"));
                } else if (sink.record(System.nanoTime() - sentAt)) {
                    sendStep();
                } else {
                    requests.get().onCompleted();
                    done.complete(null);
                }
            }

            private void sendStep() {
                sentAt = System.nanoTime();
                requests.get().onNext(steps[sent++ % steps.length]);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
        synchronized (answers) {
            requests.set(ClientCalls.asyncBidiStreamingCall(channel.newCall(INTERACT, CallOptions.DEFAULT), answers));
            requests.get().onNext(setup[0]);
        }
        done.join();
    }
}
