package org.marlopt.server;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;

/**
 * The bytes of a wire reply as gRPC's framer reads them: its length is known, so it is framed
 * without a copy, and it drains into the transport's buffers in one write.
 */
final class ReplyStream extends InputStream implements KnownLength, Drainable {

    private final byte[] bytes;
    private int position;
    private final int end;

    ReplyStream(byte[] bytes, int position, int end) {
        this.bytes = bytes;
        this.position = position;
        this.end = end;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
        int length = end - position;
        target.write(bytes, position, length);
        position = end;
        return length;
    }

    @Override
    public int available() {
        return end - position;
    }

    @Override
    public int read() {
        return position < end ? bytes[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int count = Math.min(length, end - position);
        System.arraycopy(bytes, position, target, offset, count);
        position += count;
        return count;
    }
}
