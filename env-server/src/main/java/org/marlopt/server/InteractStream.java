package org.marlopt.server;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.marlopt.metrics.EnvServerMetrics;
import org.marlopt.proto.env.v2.CloseResponse;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;

/**
 * One Interact stream: binds to one session (made by its first request or named by it), answers
 * every request with exactly one response in order, and turns failures into {@code Error}
 * responses that leave the stream open. Reads one request at a time and asks for the next only
 * while the client keeps up with the responses (flow control), so a client that never reads
 * cannot make the server buffer without bound.
 */
final class InteractStream implements StreamObserver<InteractRequest> {

    private final EnvRequestHandler handler;
    private final EnvServerMetrics metrics;
    private final ServerCallStreamObserver<InteractResponse> responses;
    private Session session;
    private boolean ownsSession;
    private boolean awaitingReady;
    private boolean finished;

    InteractStream(EnvRequestHandler handler, EnvServerMetrics metrics,
            ServerCallStreamObserver<InteractResponse> responses) {
        this.handler = handler;
        this.metrics = metrics;
        this.responses = responses;
        responses.disableAutoRequest();
        responses.setOnReadyHandler(this::onReady);
        responses.setOnCancelHandler(this::releaseSession);
        responses.request(1);
    }

    @Override
    public void onNext(InteractRequest request) {
        if (finished) {
            return;
        }
        InteractResponse response;
        try {
            response = handle(MalformedRequests.check(request));
        } catch (RuntimeException e) {
            RequestException failure = RequestException.of(e);
            metrics.recordError("Interact", failure.code().name());
            response = InteractResponse.newBuilder().setError(failure.toError()).build();
        }
        responses.onNext(response);
        if (response.hasClose()) {
            finished = true;
            responses.onCompleted();
        } else if (responses.isReady()) {
            responses.request(1);
        } else {
            awaitingReady = true;
        }
    }

    @Override
    public void onError(Throwable t) {
        releaseSession();
    }

    @Override
    public void onCompleted() {
        releaseSession();
        if (!finished) {
            finished = true;
            responses.onCompleted();
        }
    }

    private void onReady() {
        if (awaitingReady && responses.isReady()) {
            awaitingReady = false;
            responses.request(1);
        }
    }

    private InteractResponse handle(InteractRequest request) {
        InteractResponse.Builder response = InteractResponse.newBuilder();
        switch (request.getRequestCase()) {
            case MAKE -> {
                if (session != null) {
                    throw RequestException.invalid("make", "this stream is already bound to session '"
                            + session.id() + "'; make is only allowed as a stream's first request, "
                            + "open a new stream for another session");
                }
                EnvRequestHandler.Made made = handler.make(request.getMake());
                session = made.session(); // no lookup by id: the session may expire meanwhile
                ownsSession = true;
                handler.claim(session);
                response.setMake(made.response());
            }
            case RESET -> response.setReset(handler.reset(
                    bind("reset", request.getReset().getSessionId()), request.getReset()));
            case STEP -> response.setStep(handler.step(
                    bind("step", request.getStep().getSessionId()), request.getStep()));
            case CLOSE -> {
                handler.close(bind("close", request.getClose().getSessionId()).id());
                response.setClose(CloseResponse.getDefaultInstance());
            }
            case REQUEST_NOT_SET -> throw RequestException.invalid("request",
                    "the request sets none of make, reset, step or close");
        }
        return response.build();
    }

    /** The stream's session; the first reset/step/close names it and attaches the stream. */
    private Session bind(String kind, String sessionId) {
        if (session == null) {
            if (sessionId.isEmpty()) {
                throw RequestException.invalid(kind + ".session_id", "the stream has no session yet: "
                        + "send make first, or name an existing session in session_id");
            }
            session = handler.session(sessionId);
            return session;
        }
        if (!sessionId.isEmpty() && !sessionId.equals(session.id())) {
            throw RequestException.invalid(kind + ".session_id", "this stream is bound to session '"
                    + session.id() + "' but the request names '" + sessionId
                    + "'; leave session_id empty or open another stream");
        }
        return session;
    }

    private void releaseSession() {
        if (ownsSession) {
            ownsSession = false;
            handler.release(session);
        }
    }
}
