package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.StepResponse;

/**
 * A soak test, not run by default (about a minute here): a burst of 30,000 Steps with a 1 ms
 * deadline on one connection must leave the connection and the server usable. Run it with
 * {@code -Dmarlopt.soak=true}; see docs/server.md.
 */
@EnabledIfSystemProperty(named = "marlopt.soak", matches = "true")
class DeadlineBurstTest {

    private static final int CALLS = 30_000;

    @Test
    void aBurstOfExpiringCallsLeavesTheConnectionUsable() throws Exception {
        try (EnvServer server = EnvServer.start(TestServer.config())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                EnvServiceGrpc.EnvServiceBlockingStub blocking = EnvServiceGrpc.newBlockingStub(channel);
                String session = blocking.make(TestServer.makeRequest(1, false).toBuilder()
                        .setOptions(TestServer.makeRequest(1, false).getOptions().toBuilder()
                                .setAutoresetMode(org.marlopt.proto.env.v2.AutoresetMode.AUTORESET_MODE_SAME_STEP))
                        .build()).getSessionId();
                blocking.reset(TestServer.reset(session, 1));
                Map<Status.Code, Integer> codes = new TreeMap<>();
                CountDownLatch done = new CountDownLatch(CALLS);
                EnvServiceGrpc.EnvServiceFutureStub futures = EnvServiceGrpc.newFutureStub(channel);
                for (int i = 0; i < CALLS; i++) {
                    Futures.addCallback(futures.withDeadlineAfter(1, TimeUnit.MILLISECONDS)
                            .step(TestServer.uniformStep(session, 1, 0, 0, 0, 0)), new FutureCallback<StepResponse>() {
                                @Override
                                public void onSuccess(StepResponse result) {
                                    count(Status.Code.OK);
                                }

                                @Override
                                public void onFailure(Throwable t) {
                                    count(Status.fromThrowable(t).getCode());
                                }

                                private void count(Status.Code code) {
                                    synchronized (codes) {
                                        codes.merge(code, 1, Integer::sum);
                                    }
                                    done.countDown();
                                }
                            }, MoreExecutors.directExecutor());
                }
                done.await(60, TimeUnit.SECONDS);
                System.out.println("burst of " + CALLS + " 1 ms Steps: " + codes);
                assertFalse(codes.containsKey(Status.Code.UNAVAILABLE), "the connection was reset: " + codes);
                long start = System.nanoTime();
                StepResponse after = blocking.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .withWaitForReady().step(TestServer.uniformStep(session, 1, 0, 0, 0, 0));
                System.out.println("the same connection served a Step again after "
                        + (System.nanoTime() - start) / 1_000_000 + " ms");
                assertEquals(4, after.getAgentsCount());
                assertEquals(1, server.activeSessions());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
