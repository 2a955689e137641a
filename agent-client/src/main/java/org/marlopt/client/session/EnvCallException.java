package org.marlopt.client.session;

import io.grpc.Status;

/** A call to the env server failed; carries its status code, and the message names the faulty field. */
public final class EnvCallException extends RuntimeException {

    private final Status.Code code;

    public EnvCallException(Status.Code code, String message, String field) {
        super(code + ": " + message + (field == null || field.isEmpty() ? "" : " (field " + field + ")"));
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }
}
