package org.marlopt.server;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The open Interact streams, so that a drain can end each one after the request it is
 * processing. Thread-safe. Streams are told to drain outside this object's lock, because a
 * stream ending under its own lock removes itself here.
 */
final class InteractStreams {

    private final Set<InteractStream> open = new HashSet<>();
    private boolean draining;
    private volatile boolean drained;

    /** Registers a new stream; one that opens once the drain has begun is drained at once. */
    void add(InteractStream stream) {
        synchronized (this) {
            if (!draining) {
                open.add(stream);
                return;
            }
        }
        stream.drain();
    }

    synchronized void remove(InteractStream stream) {
        open.remove(stream);
    }

    /** Tells every open stream, and every later one, to end after its request in progress; returns how many were open. */
    int drainAll() {
        List<InteractStream> streams;
        synchronized (this) {
            draining = true;
            streams = List.copyOf(open);
        }
        streams.forEach(InteractStream::drain);
        drained = true;
        return streams.size();
    }

    /** True once {@link #drainAll()} has told every stream open at its start. */
    boolean drained() {
        return drained;
    }
}
