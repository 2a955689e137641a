package org.marlopt.bench;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;

/** Ping-pong on one Interact stream, driven from the response callback. */
final class StreamPingPong implements StreamObserver<InteractResponse> {
    private final StreamObserver<InteractRequest> requests;
    private CompletableFuture<InteractResponse> single;
    private InteractRequest[] loop;
    private LatencySink sink;
    private CompletableFuture<Void> loopDone;
    private long sentAt;
    private int sent;

    StreamPingPong(EnvServiceGrpc.EnvServiceStub stub) {
        this.requests = stub.interact(this);
    }

    CompletableFuture<InteractResponse> call(InteractRequest request) {
        single = new CompletableFuture<>();
        requests.onNext(request);
        return single;
    }

    void run(InteractRequest[] requests, LatencySink sink) {
        this.loop = requests;
        this.sink = sink;
        this.loopDone = new CompletableFuture<>();
        sendNext();
        loopDone.join();
    }

    private void sendNext() {
        InteractRequest request = loop[sent++ % loop.length];
        sentAt = System.nanoTime();
        requests.onNext(request);
    }

    @Override
    public void onNext(InteractResponse response) {
        if (response.hasError()) {
            IllegalStateException failure = new IllegalStateException(response.getError().getMessage());
            if (loopDone != null) {
                loopDone.completeExceptionally(failure);
            } else {
                single.completeExceptionally(failure);
            }
            return;
        }
        if (loopDone == null) {
            single.complete(response);
        } else if (sink.record(System.nanoTime() - sentAt)) {
            sendNext();
        } else {
            loopDone.complete(null);
        }
    }

    @Override
    public void onError(Throwable t) {
        if (loopDone != null) {
            loopDone.completeExceptionally(t);
        }
        if (single != null) {
            single.completeExceptionally(t);
        }
    }

    @Override
    public void onCompleted() {}

    void finish() {
        requests.onCompleted();
    }
}
