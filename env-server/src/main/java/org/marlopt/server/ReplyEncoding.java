package org.marlopt.server;

import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

/** How the server answers Reset and Step (also on the Interact stream). */
public enum ReplyEncoding {
    /**
     * Wire bytes written in bulk from the environment's arrays: no message is built and no value
     * is handled one at a time. For servers on a network transport, which serialize every reply.
     */
    BULK,
    /**
     * Protobuf messages: for an in-process server, which passes message objects to the client
     * without serializing them.
     */
    MESSAGES;

    /** MESSAGES for an in-process builder, else BULK. */
    public static ReplyEncoding forBuilder(ServerBuilder<?> builder) {
        return builder instanceof InProcessServerBuilder ? MESSAGES : BULK;
    }
}
