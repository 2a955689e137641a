package org.marlopt.server;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
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
 * arrive through {@link MalformedRequests#tolerate}, so each is checked to have parsed. Reset,
 * Step and Interact answer with {@link Reply}s, so their big answers can go out as wire bytes
 * written in bulk; the service's names and schema are the generated ones.
 */
final class EnvServiceImpl {

    /** RPC method names, as the error counter tags them. */
    static final List<String> METHODS = List.of("GetCapabilities", "ListEnvironments", "Make",
            "Reset", "Step", "Close", "Interact");

    private final EnvRequestHandler handler;
    private final EnvServerMetrics metrics;
    private final InteractStreams streams;
    private final WireCoding coding;

    EnvServiceImpl(EnvRequestHandler handler, EnvServerMetrics metrics, InteractStreams streams, WireCoding coding) {
        this.handler = handler;
        this.metrics = metrics;
        this.streams = streams;
        this.coding = coding;
    }

    /**
     * The service definition: the generated methods, with Reset, Step and Interact replying
     * {@link Reply}s and, for BULK coding, Step and Interact reading actions with {@link ActionWire}.
     */
    ServerServiceDefinition bindService() {
        MethodDescriptor<ResetRequest, Reply<ResetResponse>> reset = ReplyMarshaller.replying(
                EnvServiceGrpc.getResetMethod());
        MethodDescriptor<StepRequest, Reply<StepResponse>> step = ReplyMarshaller.replying(
                EnvServiceGrpc.getStepMethod());
        MethodDescriptor<InteractRequest, Reply<InteractResponse>> interact = ReplyMarshaller.replying(
                EnvServiceGrpc.getInteractMethod());
        if (coding == WireCoding.BULK) {
            step = step.toBuilder().setRequestMarshaller(ActionWire.stepMarshaller(
                    (PrototypeMarshaller<StepRequest>) step.getRequestMarshaller())).build();
            interact = interact.toBuilder().setRequestMarshaller(ActionWire.interactMarshaller(
                    (PrototypeMarshaller<InteractRequest>) interact.getRequestMarshaller())).build();
        }
        ServiceDescriptor generated = EnvServiceGrpc.getServiceDescriptor();
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(generated.getName())
                .setSchemaDescriptor(generated.getSchemaDescriptor())
                .addMethod(EnvServiceGrpc.getGetCapabilitiesMethod())
                .addMethod(EnvServiceGrpc.getListEnvironmentsMethod())
                .addMethod(EnvServiceGrpc.getMakeMethod())
                .addMethod(reset)
                .addMethod(step)
                .addMethod(EnvServiceGrpc.getCloseMethod())
                .addMethod(interact)
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(EnvServiceGrpc.getGetCapabilitiesMethod(), ServerCalls.asyncUnaryCall(this::getCapabilities))
                .addMethod(EnvServiceGrpc.getListEnvironmentsMethod(), ServerCalls.asyncUnaryCall(this::listEnvironments))
                .addMethod(EnvServiceGrpc.getMakeMethod(), ServerCalls.asyncUnaryCall(this::make))
                .addMethod(reset, ServerCalls.asyncUnaryCall(this::reset))
                .addMethod(step, ServerCalls.asyncUnaryCall(this::step))
                .addMethod(EnvServiceGrpc.getCloseMethod(), ServerCalls.asyncUnaryCall(this::close))
                .addMethod(interact, ServerCalls.asyncBidiStreamingCall(this::interact))
                .build();
    }

    private void getCapabilities(GetCapabilitiesRequest request, StreamObserver<Capabilities> observer) {
        respond("GetCapabilities", observer, () -> {
            MalformedRequests.check(request);
            return handler.capabilities();
        });
    }

    private void listEnvironments(ListEnvironmentsRequest request,
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
    private void make(MakeRequest request, StreamObserver<MakeResponse> observer) {
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

    private void reset(ResetRequest request, StreamObserver<Reply<ResetResponse>> observer) {
        respond("Reset", observer, () -> handler.reset(
                handler.session(MalformedRequests.check(request).getSessionId()), request));
    }

    private void step(StepRequest request, StreamObserver<Reply<StepResponse>> observer) {
        respond("Step", observer, () -> handler.step(
                handler.session(MalformedRequests.check(request).getSessionId()), request));
    }

    private void close(CloseRequest request, StreamObserver<CloseResponse> observer) {
        respond("Close", observer, () -> handler.close(MalformedRequests.check(request).getSessionId()));
    }

    private StreamObserver<InteractRequest> interact(StreamObserver<Reply<InteractResponse>> observer) {
        return new InteractStream(handler, metrics, streams, (ServerCallStreamObserver<Reply<InteractResponse>>) observer);
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
