package org.marlopt.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.marlopt.env.vector.VectorEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of this server: creation under the session limit and the memory budget, lookup,
 * close, idle expiry and the closing of sessions nobody claimed. A session belongs to the
 * {@link CallerIdentity} that made it: to every other caller it looks exactly like an id that
 * never existed. Thread-safe.
 */
final class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    /** How many ended session ids are remembered to tell "closed" from "expired" in errors. */
    private static final int REMEMBERED_ENDINGS = 4096;
    private static final int ID_BYTES = 16;
    /** As long as any session id, to size a Make answer before the session exists. */
    static final String ID_PLACEHOLDER = "0".repeat(2 * ID_BYTES);

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final int maxSessions;
    private final long ttlNanos;
    private final String ttlText;
    private final long claimTimeoutNanos;
    private final String claimTimeoutText;
    private final MemoryBudget memory;
    private final LongSupplier nanoClock;
    private final SecureRandom ids = new SecureRandom();
    private final Map<String, Ending> endings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ending> eldest) {
            return size() > REMEMBERED_ENDINGS;
        }
    };

    SessionStore(int maxSessions, Duration ttl, Duration claimTimeout, MemoryBudget memory,
            LongSupplier nanoClock) {
        this.maxSessions = maxSessions;
        this.ttlNanos = ttl.toNanos();
        this.ttlText = text(ttl);
        this.claimTimeoutNanos = claimTimeout.toNanos();
        this.claimTimeoutText = text(claimTimeout);
        this.memory = memory;
        this.nanoClock = nanoClock;
    }

    /**
     * Creates a session around the environment {@code factory} makes, if the session limit
     * and the memory budget allow {@code priceBytes} more ({@code fix} says how the request could
     * ask for less). The factory only runs once a slot and the memory are reserved, so a full
     * server allocates nothing; if it fails in any way (an exception, or an Error such as
     * OutOfMemoryError) both are freed. The session is unclaimed until {@link #use} or
     * {@link #claim}.
     */
    Session create(long priceBytes, String fix, Supplier<VectorEnv> factory) {
        if (reserved.incrementAndGet() > maxSessions) {
            reserved.decrementAndGet();
            throw RequestException.exhausted("", "the server already holds its maximum of "
                    + maxSessions + " sessions; Close sessions you no longer use, or start the "
                    + "server with a larger --max-sessions");
        }
        boolean created = false;
        try {
            memory.reserve(priceBytes, fix);
            try {
                String id = newId();
                Session session = new Session(id, CallerIdentity.current(), factory.get(), priceBytes,
                        nanoClock.getAsLong());
                sessions.put(id, session);
                created = true;
                return session;
            } finally {
                if (!created) {
                    memory.release(priceBytes);
                }
            }
        } finally {
            if (!created) {
                reserved.decrementAndGet();
            }
        }
    }

    /** The caller's live session with this id; NOT_FOUND when unknown, another caller's, closed or expired. */
    Session get(String id) {
        String caller = CallerIdentity.current();
        Session session = sessions.get(id);
        if (session == null || !session.owner().equals(caller)) {
            if (id.isEmpty()) {
                throw RequestException.invalid("session_id", "session_id is empty; pass the id Make returned");
            }
            Ending ended;
            synchronized (endings) {
                ended = endings.get(id);
            }
            String ending = ended != null && ended.owner().equals(caller) ? ended.reason() : null;
            throw RequestException.notFound("session_id", "session '" + id + "' "
                    + (ending != null ? ending : "does not exist on this server (sessions live on "
                    + "the replica that made them)") + "; call Make for a new session");
        }
        return session;
    }

    /**
     * Marks a use of the session, which the caller has locked; NOT_FOUND when it has ended or
     * its TTL ran out since the last use (even if the sweeper has not run yet).
     */
    void use(Session session) {
        long now = nanoClock.getAsLong();
        if (!session.ended() && session.idleSince(now - ttlNanos)) {
            end(session, expiredReason());
        }
        session.touch(now);
    }

    /** Closes the session; NOT_FOUND when it is already gone. */
    void close(String id) {
        Session session = get(id);
        synchronized (session) {
            use(session);
            end(session, "was closed");
        }
    }

    /** Closes the session, if it is still open, for {@code reason} ("was closed when ..."). */
    void closeQuietly(Session session, String reason) {
        synchronized (session) {
            if (!session.ended()) {
                end(session, reason);
            }
        }
    }

    /** Marks the session as known to its owner, as an Interact stream's own session is. */
    void claim(Session session) {
        synchronized (session) {
            session.claim();
        }
    }

    /** Closes the session if it is open and still unclaimed: its Make call failed. */
    void closeUnclaimed(Session session, String reason) {
        synchronized (session) {
            if (!session.ended() && !session.claimed()) {
                end(session, reason);
            }
        }
    }

    /**
     * Expires every session idle for longer than the TTL, and closes those unclaimed for longer
     * than the claim timeout; returns how many.
     */
    int expireIdle() {
        long now = nanoClock.getAsLong();
        int expired = 0;
        int unclaimed = 0;
        for (Session session : sessions.values()) {
            synchronized (session) {
                if (session.ended()) {
                    continue;
                }
                if (session.idleSince(now - ttlNanos)) {
                    end(session, expiredReason());
                    expired++;
                } else if (!session.claimed() && session.idleSince(now - claimTimeoutNanos)) {
                    end(session, "was closed unused " + claimTimeoutText + " after Make (the server's "
                            + "claim timeout: Reset, Step or Close a new session sooner)");
                    unclaimed++;
                }
            }
        }
        if (expired + unclaimed > 0) {
            LOG.info("expired {} idle sessions, closed {} unclaimed ones", expired, unclaimed);
        }
        return expired + unclaimed;
    }

    /** Closes every open session for {@code reason} ("was closed because ..."); returns how many. */
    int closeAll(String reason) {
        int closed = 0;
        for (Session session : sessions.values()) {
            synchronized (session) {
                if (!session.ended()) {
                    end(session, reason);
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Bytes of the memory budget no session holds. */
    long memoryLeft() {
        return memory.limitBytes() - memory.reservedBytes();
    }

    /** Sessions open now, counting those being created (their slot is reserved). */
    int size() {
        return reserved.get();
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase();
    }

    private String expiredReason() {
        return "expired after " + ttlText + " without calls (the server's session TTL)";
    }

    private void end(Session session, String reason) {
        session.end(reason);
        synchronized (endings) {
            endings.put(session.id(), new Ending(session.owner(), reason));
        }
        if (sessions.remove(session.id(), session)) {
            memory.release(session.reservedBytes());
            reserved.decrementAndGet();
        }
    }

    /** Why a session ended, told only to its owner. */
    private record Ending(String owner, String reason) {
    }

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        ids.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
