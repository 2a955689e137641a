package org.marlopt.bench;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/** Ping-pong of unary calls driven from the completion callback. */
final class UnaryPingPong implements StreamObserver<StepResponse> {
    private final EnvServiceGrpc.EnvServiceStub stub;
    private final StepRequest[] steps;
    private final LatencySink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long sentAt;
    private int sent;

    UnaryPingPong(EnvServiceGrpc.EnvServiceStub stub, StepRequest[] steps, LatencySink sink) {
        this.stub = stub;
        this.steps = steps;
        this.sink = sink;
    }

    void run() {
        sendNext();
        done.join();
    }

    private void sendNext() {
        StepRequest step = steps[sent++ % steps.length];
        sentAt = System.nanoTime();
        stub.step(step, this);
    }

    @Override
    public void onNext(StepResponse response) {}

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
        if (sink.record(System.nanoTime() - sentAt)) {
            sendNext();
        } else {
            done.complete(null);
        }
    }
}
