package org.marlopt.server;

/**
 * The heap the server lets its sessions take: each Make reserves its session's price
 * ({@link SessionPrice}) before anything is allocated and the reservation is returned when the
 * session ends, so client requests cannot drive the server into OutOfMemoryError. Thread-safe.
 */
final class MemoryBudget {

    private final long limitBytes;
    private long reservedBytes;
    private int reservations;

    MemoryBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /**
     * Reserves {@code bytes}, or fails with RESOURCE_EXHAUSTED naming the budget, the request,
     * what is in use and {@code fix}, what the caller can change in its request.
     */
    synchronized void reserve(long bytes, String fix) {
        if (bytes > limitBytes - reservedBytes) {
            throw RequestException.exhausted("options.num_envs", "this session needs about " + bytes
                    + " bytes of server memory but the server's memory budget of " + limitBytes
                    + " bytes (--memory-budget-bytes) has " + (limitBytes - reservedBytes) + " left, "
                    + reservedBytes + " being held by " + reservations + " sessions; " + fix
                    + ", Close sessions you no longer use, or start the server with a larger "
                    + "--memory-budget-bytes (and -Xmx)");
        }
        reservedBytes += bytes;
        reservations++;
    }

    synchronized void release(long bytes) {
        reservedBytes -= bytes;
        reservations--;
    }

    synchronized long reservedBytes() {
        return reservedBytes;
    }

    long limitBytes() {
        return limitBytes;
    }
}
