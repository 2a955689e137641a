package org.marlopt.bench;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Ping-pong of unary calls driven from the completion callback: the next request goes out when the
 * previous answer completed, until the sink says stop. Typed (stub calls) or raw bytes alike.
 */
final class UnaryPingPong<Q, A> implements StreamObserver<A> {
    private final BiConsumer<Q, StreamObserver<A>> call;
    private final Q[] requests;
    private final LatencySink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private long sentAt;
    private int sent;

    /** @param call sends one request with its answer's observer, e.g. {@code stub::step} */
    UnaryPingPong(BiConsumer<Q, StreamObserver<A>> call, Q[] requests, LatencySink sink) {
        this.call = call;
        this.requests = requests;
        this.sink = sink;
    }

    void run() {
        sendNext();
        done.join();
    }

    private void sendNext() {
        Q request = requests[sent++ % requests.length];
        sentAt = System.nanoTime();
        call.accept(request, this);
    }

    @Override
    public void onNext(A answer) {}

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
