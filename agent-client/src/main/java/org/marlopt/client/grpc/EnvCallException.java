package org.marlopt.client.grpc;

import io.grpc.Status;

/** The env server rejected a request; carries its status code, message and the faulty field. */
public final class EnvCallException extends RuntimeException {

    private final Status.Code code;
    private final String field;

    public EnvCallException(Status.Code code, String message, String field) {
        super(code + ": " + message + (field == null || field.isEmpty() ? "" : " (field " + field + ")"));
        this.code = code;
        this.field = field;
    }

    public Status.Code code() {
        return code;
    }

    public String field() {
        return field;
    }
}
