package org.marlopt.server;

import io.grpc.Status;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EpisodeStateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rejected request: the fixed status code, the request field at fault (may be empty) and a
 * message saying how to fix it. Unary calls turn it into a gRPC status, the Interact stream into
 * an {@code Error} message.
 */
final class RequestException extends RuntimeException {

    private static final Logger LOG = LoggerFactory.getLogger(RequestException.class);

    private final Status.Code code;
    private final String field;

    RequestException(Status.Code code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    static RequestException invalid(String field, String message) {
        return new RequestException(Status.Code.INVALID_ARGUMENT, field, message);
    }

    static RequestException notFound(String field, String message) {
        return new RequestException(Status.Code.NOT_FOUND, field, message);
    }

    static RequestException exhausted(String field, String message) {
        return new RequestException(Status.Code.RESOURCE_EXHAUSTED, field, message);
    }

    /** Maps any failure of a handler to the status the protocol fixes for it. */
    static RequestException of(RuntimeException failure) {
        if (failure instanceof RequestException request) {
            return request;
        }
        if (failure instanceof EnvArgumentException argument) {
            return invalid(argument.field(), argument.getMessage());
        }
        if (failure instanceof EpisodeStateException state) {
            return new RequestException(Status.Code.FAILED_PRECONDITION, "", state.getMessage());
        }
        LOG.error("internal error while handling a request", failure);
        return new RequestException(Status.Code.INTERNAL, "",
                "internal server error (" + failure + "); please report it with the request that caused it");
    }

    Status.Code code() {
        return code;
    }

    /** What users read, on both transports: the field at fault first, then how to fix it. */
    String description() {
        return field.isEmpty() ? getMessage() : field + ": " + getMessage();
    }

    /** The status a unary call fails with. */
    Status toStatus() {
        return code.toStatus().withDescription(description());
    }

    /** The stream's answer: the same code and message as the unary status, plus the field alone. */
    org.marlopt.proto.env.v2.Error toError() {
        return org.marlopt.proto.env.v2.Error.newBuilder()
                .setCode(code.value())
                .setMessage(description())
                .setField(field)
                .build();
    }
}
