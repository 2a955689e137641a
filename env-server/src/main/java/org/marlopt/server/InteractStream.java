package org.marlopt.server;

import io.grpc.Status;
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
 *
 * <p>When the server drains, the stream ends with UNAVAILABLE: at once when idle, else right
 * after the answer to the request in progress, so no request is applied without its answer.
 * Requests run on the transport thread and {@link #drain()} on the closing one; the lock keeps
 * their use of the response observer, which is not thread-safe, apart.
 */
final class InteractStream implements StreamObserver<InteractRequest> {

    static final String DRAINING = "env server draining; re-make the session on another replica";

    private final EnvRequestHandler handler;
    private final EnvServerMetrics metrics;
    private final InteractStreams streams;
    private final ServerCallStreamObserver<Reply<InteractResponse>> responses;
    private Session session;
    private boolean ownsSession;
    private boolean awaitingReady;
    private boolean finished;
    /** A request is being handled (outside the lock). */
    private boolean busy;
    private boolean draining;
    /** The stream's session was closed by a close request: the stream ends after its answer. */
    private boolean closed;

    InteractStream(EnvRequestHandler handler, EnvServerMetrics metrics, InteractStreams streams,
            ServerCallStreamObserver<Reply<InteractResponse>> responses) {
        this.handler = handler;
        this.metrics = metrics;
        this.streams = streams;
        this.responses = responses;
        responses.disableAutoRequest();
        responses.setOnReadyHandler(this::onReady);
        responses.setOnCancelHandler(this::end);
        responses.request(1);
        streams.add(this);
    }

    @Override
    public void onNext(InteractRequest request) {
        synchronized (this) {
            if (finished) {
                return;
            }
            busy = true;
        }
        Reply<InteractResponse> response = answer(request);
        synchronized (this) {
            busy = false;
            responses.onNext(response);
            if (closed) {
                finish(null);
            } else if (draining) {
                finish(Status.UNAVAILABLE.withDescription(DRAINING));
            } else if (responses.isReady()) {
                responses.request(1);
            } else {
                awaitingReady = true;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        end();
    }

    @Override
    public synchronized void onCompleted() {
        finish(null);
    }

    /** Ends the stream with UNAVAILABLE now if it is idle, else right after the answer in progress. */
    synchronized void drain() {
        draining = true;
        if (!busy) {
            finish(Status.UNAVAILABLE.withDescription(DRAINING));
        }
    }

    private Reply<InteractResponse> answer(InteractRequest request) {
        try {
            return handle(MalformedRequests.check(request));
        } catch (RuntimeException e) {
            RequestException failure = RequestException.of(e);
            metrics.recordError("Interact", failure.code().name());
            return Reply.of(InteractResponse.newBuilder().setError(failure.toError()).build());
        }
    }

    /** Ends the call, OK when {@code status} is null, and releases the session; once. */
    private void finish(Status status) {
        if (finished) {
            return;
        }
        if (status == null) {
            responses.onCompleted();
        } else {
            responses.onError(status.asRuntimeException());
        }
        end();
    }

    /** The stream is over (ended by either side, or cancelled): its own session is closed. */
    private synchronized void end() {
        finished = true;
        streams.remove(this);
        if (ownsSession) {
            ownsSession = false;
            handler.release(session);
        }
    }

    private synchronized void onReady() {
        if (awaitingReady && responses.isReady()) {
            awaitingReady = false;
            responses.request(1);
        }
    }

    private Reply<InteractResponse> handle(InteractRequest request) {
        return switch (request.getRequestCase()) {
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
                yield Reply.of(InteractResponse.newBuilder().setMake(made.response()).build());
            }
            case RESET -> handler.reset(bind("reset", request.getReset().getSessionId()), request.getReset())
                    .within(InteractResponse.RESET_FIELD_NUMBER,
                            reset -> InteractResponse.newBuilder().setReset(reset).build());
            case STEP -> handler.step(bind("step", request.getStep().getSessionId()), request.getStep())
                    .within(InteractResponse.STEP_FIELD_NUMBER,
                            step -> InteractResponse.newBuilder().setStep(step).build());
            case CLOSE -> {
                handler.close(bind("close", request.getClose().getSessionId()).id());
                closed = true;
                yield Reply.of(InteractResponse.newBuilder().setClose(CloseResponse.getDefaultInstance()).build());
            }
            case REQUEST_NOT_SET -> throw RequestException.invalid("request",
                    "the request sets none of make, reset, step or close");
        };
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
}
