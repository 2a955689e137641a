package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.marlopt.env.VectorOptions;

class SessionExpiryTest {

    private final AtomicLong now = new AtomicLong();
    private final MemoryBudget memory = new MemoryBudget(10 * PRICE);
    private final SessionStore store = new SessionStore(10, Duration.ofSeconds(60), Duration.ofSeconds(20),
            memory, now::get);
    private static final long PRICE = 1000;

    private Session create() {
        return create(PRICE);
    }

    private Session create(long price) {
        return store.create(price, "ask for less", () -> TestServer.REGISTRY.make(TestServer.ENV_ID, Map.of(),
                VectorOptions.single()));
    }

    private static void use(SessionStore store, Session session) {
        synchronized (session) {
            store.use(session);
        }
    }

    @Test
    void idleSessionsExpireAndBusyOnesDoNot() {
        Session idle = create();
        Session busy = create();
        use(store, idle); // claimed: only the TTL applies
        now.addAndGet(TimeUnit.SECONDS.toNanos(40));
        use(store, busy);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30)); // idle: 70 s, busy: 30 s
        assertEquals(1, store.expireIdle());
        assertEquals(1, store.size());
        RequestException gone = assertThrows(RequestException.class, () -> store.get(idle.id()));
        assertEquals(Status.Code.NOT_FOUND, gone.code());
        assertTrue(gone.getMessage().contains("expired"), gone.getMessage());
        use(store, busy);
    }

    @Test
    void aSessionPastItsTtlFailsOnUseEvenBeforeTheSweep() {
        Session session = create();
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        RequestException expired = assertThrows(RequestException.class, () -> use(store, session));
        assertEquals(Status.Code.NOT_FOUND, expired.code());
        assertEquals(0, store.size());
    }

    @Test
    void expiryFreesSlotsUnderTheSessionLimit() {
        for (int i = 0; i < 10; i++) {
            create();
        }
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(RequestException.class, this::create).code());
        now.addAndGet(TimeUnit.MINUTES.toNanos(2));
        assertEquals(10, store.expireIdle());
        create();
        assertEquals(1, store.size());
    }

    @Test
    void aFactoryThrowingAnErrorFreesItsSlot() {
        for (int i = 0; i < 9; i++) {
            create();
        }
        assertThrows(OutOfMemoryError.class, () -> store.create(PRICE, "", () -> {
            throw new OutOfMemoryError("simulated: env too large");
        }));
        assertThrows(IllegalStateException.class, () -> store.create(PRICE, "", () -> {
            throw new IllegalStateException("simulated");
        }));
        assertEquals(9, store.size());
        assertEquals(9 * PRICE, memory.reservedBytes(), "the failed factories' memory is returned");
        create(); // the tenth slot is still free
        assertEquals(10, store.size());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(RequestException.class, this::create).code());
    }

    @Test
    void unclaimedSessionsCloseAfterTheClaimTimeoutAndClaimedOnesDoNot() {
        Session unclaimed = create();
        Session used = create();
        Session streamOwned = create();
        use(store, used);
        store.claim(streamOwned);
        now.addAndGet(TimeUnit.SECONDS.toNanos(21));
        assertEquals(1, store.expireIdle());
        RequestException gone = assertThrows(RequestException.class, () -> store.get(unclaimed.id()));
        assertTrue(gone.getMessage().contains("claim timeout"), gone.getMessage());
        assertEquals(2, store.size());
        assertEquals(2 * PRICE, memory.reservedBytes());
    }

    @Test
    void theMemoryBudgetRefusesWhatDoesNotFitAndEndedSessionsReturnTheirShare() {
        Session big = create(8 * PRICE);
        create(2 * PRICE);
        RequestException refused = assertThrows(RequestException.class, () -> create(1));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.code());
        assertEquals("options.num_envs", refused.toError().getField());
        assertTrue(refused.getMessage().contains("--memory-budget-bytes")
                && refused.getMessage().contains("needs about 1 bytes")
                && refused.getMessage().contains("has 0 left, " + 10 * PRICE + " being held by 2 sessions")
                && refused.getMessage().contains("ask for less"), refused.getMessage());
        assertEquals(2, store.size(), "a refused Make holds no session slot");
        store.close(big.id());
        create(8 * PRICE);
        assertEquals(10 * PRICE, memory.reservedBytes());
    }

    @Test
    void serverExpiresIdleSessionsWithItsConfiguredTtl() throws InterruptedException {
        try (TestServer env = TestServer.start(TestServer.config().withSessionTtl(Duration.ofMillis(200)))) {
            String session = env.make(1, false);
            env.blocking.reset(TestServer.reset(session, 1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (env.server.activeSessions() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, env.server.activeSessions(), "the sweeper expired the idle session");
            StatusRuntimeException gone = assertThrows(StatusRuntimeException.class,
                    () -> env.blocking.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0)));
            assertEquals(Status.Code.NOT_FOUND, gone.getStatus().getCode());
            assertTrue(gone.getStatus().getDescription().contains("expired"));
        }
    }
}
