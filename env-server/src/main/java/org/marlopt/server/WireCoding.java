package org.marlopt.server;

import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;

/**
 * How the server reads Step actions and writes Reset and Step answers (also on the Interact
 * stream). Clients see the same messages either way.
 */
public enum WireCoding {
    /**
     * In bulk: answers are wire bytes written from the environment's arrays and each agent's
     * packed action values are copied as one block, so no message of floats is built and no
     * value is handled one at a time. For servers on a network transport, which serialize every
     * message.
     */
    BULK,
    /**
     * Protobuf messages: for an in-process server, which passes message objects between client
     * and server without serializing them.
     */
    MESSAGES;

    /** MESSAGES for an in-process builder, else BULK. */
    public static WireCoding forBuilder(ServerBuilder<?> builder) {
        return builder instanceof InProcessServerBuilder ? MESSAGES : BULK;
    }
}
