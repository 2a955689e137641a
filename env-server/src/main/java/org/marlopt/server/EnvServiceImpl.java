package org.marlopt.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.marlopt.metrics.EnvServerMetrics;
import org.marlopt.proto.env.v2.Capabilities;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.CloseResponse;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.proto.env.v2.ListEnvironmentsRequest;
import org.marlopt.proto.env.v2.ListEnvironmentsResponse;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.MakeResponse;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.proto.env.v2.ResetResponse;
import org.marlopt.proto.env.v2.StepRequest;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * The gRPC EnvService: each unary method runs one {@link EnvRequestHandler} operation. Requests
 * arrive through {@link MalformedRequests#tolerate}, so each is checked to have parsed.
 */
final class EnvServiceImpl extends EnvServiceGrpc.EnvServiceImplBase {

    /** RPC method names, as the error counter tags them. */
    static final List<String> METHODS = List.of("GetCapabilities", "ListEnvironments", "Make",
            "Reset", "Step", "Close", "Interact");

    private final EnvRequestHandler handler;
    private final EnvServerMetrics metrics;
    private final InteractStreams streams;

    EnvServiceImpl(EnvRequestHandler handler, EnvServerMetrics metrics, InteractStreams streams) {
        this.handler = handler;
        this.metrics = metrics;
        this.streams = streams;
    }

    @Override
    public void getCapabilities(GetCapabilitiesRequest request, StreamObserver<Capabilities> observer) {
        respond("GetCapabilities", observer, () -> {
            MalformedRequests.check(request);
            return handler.capabilities();
        });
    }

    @Override
    public void listEnvironments(ListEnvironmentsRequest request,
            StreamObserver<ListEnvironmentsResponse> observer) {
        respond("ListEnvironments", observer, () -> {
            MalformedRequests.check(request);
            return handler.environments();
        });
    }

    /**
     * A session made here is unclaimed until its first use; if this call is cancelled (by the
     * client, its deadline or a lost connection) the caller may never learn its id, so it is
     * closed at once instead of waiting for the claim timeout.
     */
    @Override
    public void make(MakeRequest request, StreamObserver<MakeResponse> observer) {
        AtomicReference<Session> made = new AtomicReference<>();
        ((ServerCallStreamObserver<MakeResponse>) observer).setOnCancelHandler(() -> {
            Session session = made.get();
            if (session != null) {
                handler.abandon(session);
            }
        });
        respond("Make", observer, () -> {
            EnvRequestHandler.Made result = handler.make(MalformedRequests.check(request));
            made.set(result.session());
            return result.response();
        });
    }

    @Override
    public void reset(ResetRequest request, StreamObserver<ResetResponse> observer) {
        respond("Reset", observer, () -> handler.reset(
                handler.session(MalformedRequests.check(request).getSessionId()), request));
    }

    @Override
    public void step(StepRequest request, StreamObserver<StepResponse> observer) {
        respond("Step", observer, () -> handler.step(
                handler.session(MalformedRequests.check(request).getSessionId()), request));
    }

    @Override
    public void close(CloseRequest request, StreamObserver<CloseResponse> observer) {
        respond("Close", observer, () -> handler.close(MalformedRequests.check(request).getSessionId()));
    }

    @Override
    public StreamObserver<InteractRequest> interact(StreamObserver<InteractResponse> observer) {
        return new InteractStream(handler, metrics, streams, (ServerCallStreamObserver<InteractResponse>) observer);
    }

    private <T> void respond(String method, StreamObserver<T> observer, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (RuntimeException e) {
            RequestException failure = RequestException.of(e);
            metrics.recordError(method, failure.code().name());
            observer.onError(failure.toStatus().asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}
