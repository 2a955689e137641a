package org.marlopt.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A reply as the service sends it: a protobuf message, or that message's wire bytes written in
 * bulk by {@link TransitionWire} without building the message. {@link ReplyMarshaller} streams
 * either form; a client cannot tell them apart. The wire form keeps free room in front of the
 * message so it can become a field of an enclosing message ({@link #within}) without a copy.
 *
 * @param <M> the protobuf message type the reply is on the wire
 */
final class Reply<M> {

    /** Free room a wire reply keeps in front: one tag byte and a length of up to five bytes. */
    static final int ENVELOPE_BYTES = 6;

    private final M message;
    private final byte[] wire;
    /** Where the message's bytes start in {@link #wire}; they run to its end. */
    private final int offset;

    private Reply(M message, byte[] wire, int offset) {
        this.message = message;
        this.wire = wire;
        this.offset = offset;
    }

    static <M> Reply<M> of(M message) {
        return new Reply<>(message, null, 0);
    }

    /** The message's wire bytes: {@code wire[offset..]}, with {@code offset >= ENVELOPE_BYTES} free in front. */
    static <M> Reply<M> wire(byte[] wire, int offset) {
        return new Reply<>(null, wire, offset);
    }

    boolean isWire() {
        return wire != null;
    }

    /** The message form; a wire reply is parsed (for tests and checks, never on the hot path). */
    M message(Parser<M> parser) {
        if (!isWire()) {
            return message;
        }
        try {
            return parser.parseFrom(wire, offset, wire.length - offset);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a bulk-encoded reply does not parse: " + e.getMessage(), e);
        }
    }

    /** The message itself; null for a wire reply. */
    M messageOrNull() {
        return message;
    }

    /** A copy of the wire bytes (tests). */
    byte[] wireBytes() {
        return Arrays.copyOfRange(wire, offset, wire.length);
    }

    ReplyStream stream() {
        return new ReplyStream(wire, offset, wire.length);
    }

    /**
     * This reply as field {@code fieldNumber} (length-delimited) of an enclosing message:
     * {@code wrap} builds it for the message form; the wire form writes the field's tag and
     * length into its free room. Writing them again (a replayed reply) writes the same bytes.
     */
    <W> Reply<W> within(int fieldNumber, Function<M, W> wrap) {
        if (!isWire()) {
            return of(wrap.apply(message));
        }
        int length = wire.length - offset;
        int start = offset - 1 - varintSize(length);
        wire[start] = (byte) (fieldNumber << 3 | 2);
        writeVarint(wire, start + 1, length);
        return new Reply<>(null, wire, start);
    }

    static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    /** Writes {@code value} as a varint at {@code position}; returns the position after it. */
    static int writeVarint(byte[] buffer, int position, long value) {
        while ((value & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
        return position;
    }
}
