package org.marlopt.client.io;

/** A checkpoint is missing, incomplete or corrupt; the message says which file and what to do. */
public final class CheckpointException extends RuntimeException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
