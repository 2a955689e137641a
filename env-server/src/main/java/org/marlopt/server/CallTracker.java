package org.marlopt.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.time.Duration;

/**
 * Counts the calls in progress on the services it intercepts, so that a drain can wait for
 * EnvService's calls alone: health Watch and reflection streams never end on their own.
 */
final class CallTracker implements ServerInterceptor {

    private int inFlight;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        changeBy(1);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException e) {
            changeBy(-1);
            throw e;
        }
        // Exactly one of onComplete and onCancel ends every started call.
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    changeBy(-1);
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    changeBy(-1);
                }
            }
        };
    }

    /** Waits until no call is in progress, or {@code timeout} has passed; true if none is. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); inFlight > 0 && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        return inFlight == 0;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private synchronized void changeBy(int delta) {
        inFlight += delta;
        if (inFlight == 0) {
            notifyAll();
        }
    }
}
