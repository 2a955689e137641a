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
 * The sessions of this server: creation under the session limit, lookup, close and idle expiry.
 * A session belongs to the {@link CallerIdentity} that made it: to every other caller it looks
 * exactly like an id that never existed. Thread-safe.
 */
final class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    /** How many ended session ids are remembered to tell "closed" from "expired" in errors. */
    private static final int REMEMBERED_ENDINGS = 4096;

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final int maxSessions;
    private final long ttlNanos;
    private final String ttlText;
    private final LongSupplier nanoClock;
    private final SecureRandom ids = new SecureRandom();
    private final Map<String, Ending> endings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ending> eldest) {
            return size() > REMEMBERED_ENDINGS;
        }
    };

    SessionStore(int maxSessions, Duration ttl, LongSupplier nanoClock) {
        this.maxSessions = maxSessions;
        this.ttlNanos = ttl.toNanos();
        this.ttlText = ttl.toString().substring(2).toLowerCase();
        this.nanoClock = nanoClock;
    }

    /**
     * Creates a session around the environment {@code factory} makes, if the limit allows.
     * The factory only runs once a slot is reserved, so a full server allocates nothing; if it
     * fails in any way (an exception, or an Error such as OutOfMemoryError) the slot is freed.
     */
    Session create(Supplier<VectorEnv> factory) {
        if (reserved.incrementAndGet() > maxSessions) {
            reserved.decrementAndGet();
            throw RequestException.exhausted("", "the server already holds its maximum of "
                    + maxSessions + " sessions; Close sessions you no longer use, or start the "
                    + "server with a larger --max-sessions");
        }
        boolean created = false;
        try {
            String id = newId();
            Session session = new Session(id, CallerIdentity.current(), factory.get(), nanoClock.getAsLong());
            sessions.put(id, session);
            created = true;
            return session;
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

    /** Closes the session if it is still open (used when its owning stream ends). */
    void closeQuietly(Session session) {
        synchronized (session) {
            if (!session.ended()) {
                end(session, "was closed when the Interact stream that made it ended");
            }
        }
    }

    /** Expires every session idle for longer than the TTL; returns how many. */
    int expireIdle() {
        long cutoff = nanoClock.getAsLong() - ttlNanos;
        int expired = 0;
        for (Session session : sessions.values()) {
            synchronized (session) {
                if (!session.ended() && session.idleSince(cutoff)) {
                    end(session, expiredReason());
                    expired++;
                }
            }
        }
        if (expired > 0) {
            LOG.info("expired {} idle sessions", expired);
        }
        return expired;
    }

    /** Sessions open now, counting those being created (their slot is reserved). */
    int size() {
        return reserved.get();
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
            reserved.decrementAndGet();
        }
    }

    /** Why a session ended, told only to its owner. */
    private record Ending(String owner, String reason) {
    }

    private String newId() {
        byte[] bytes = new byte[16];
        ids.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
