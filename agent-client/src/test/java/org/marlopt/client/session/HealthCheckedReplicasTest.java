package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.marlopt.client.EnvServerFixture;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/**
 * Client-side health checking over the netty-shaded transport: a replica that reports
 * marlopt.env.v2.EnvService NOT_SERVING (as a draining server does) is health-watched but gets
 * no new stream, while the serving replicas share them round-robin.
 */
class HealthCheckedReplicasTest {

    final List<EnvServer> serving = new ArrayList<>();
    /** Answers only the health service, reporting EnvService NOT_SERVING; counts the methods called. */
    Server draining;
    final Set<String> drainingCalls = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        for (int i = 0; i < 2; i++) {
            serving.add(EnvServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withMetricsPort(0),
                    EnvServerFixture.REGISTRY));
        }
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(ServerTarget.HEALTH_SERVICE, ServingStatus.NOT_SERVING);
        draining = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(health.getHealthService(), recording()))
                .fallbackHandlerRegistry(null)
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        serving.forEach(EnvServer::close);
        draining.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aNotServingReplicaGetsNoStreams() throws InterruptedException {
        String list = "127.0.0.1:" + draining.getPort() + ",127.0.0.1:" + serving.get(0).port() + ",127.0.0.1:"
                + serving.get(1).port();
        try (EnvClient client = EnvClient.connect(list, Duration.ofSeconds(10), List.of())) {
            assertEquals(3, client.replicas().size());
            client.capabilities();
            awaitHealthWatch();
            List<EnvSession> sessions = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    sessions.add(client.open(new SessionRequest("DistributedOptimization-v1", Map.of(), 1, false)));
                }
                List<Integer> shares = serving.stream().map(EnvServer::activeSessions).toList();
                assertEquals(6, shares.get(0) + shares.get(1), "every session on a serving replica");
                assertTrue(shares.get(0) > 0 && shares.get(1) > 0, "shared round-robin: " + shares);
            } finally {
                sessions.forEach(EnvSession::close);
            }
        }
        assertEquals(Set.of("grpc.health.v1.Health/Watch"), drainingCalls, "watched, never given a stream");
    }

    @Test
    void anIpv6EntryInAListIsReached() throws IOException {
        EnvServer ipv6 = EnvServer.start(ServerConfig.defaults().withHost("::1").withPort(0).withMetricsPort(0),
                EnvServerFixture.REGISTRY);
        try (EnvClient client = EnvClient.connect("[::1]:" + ipv6.port() + ",127.0.0.1:" + serving.get(0).port(),
                Duration.ofSeconds(10), List.of());
             EnvSession session = client.open(new SessionRequest("DistributedOptimization-v1", Map.of(), 2, false))) {
            assertEquals(List.of("[0:0:0:0:0:0:0:1]:" + ipv6.port(), "127.0.0.1:" + serving.get(0).port()),
                    client.replicas());
            session.reset(3);
        } finally {
            ipv6.close();
        }
    }

    private void awaitHealthWatch() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (drainingCalls.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(!drainingCalls.isEmpty(), "the client watches every replica's health");
    }

    private ServerInterceptor recording() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                               ServerCallHandler<Q, A> next) {
                drainingCalls.add(call.getMethodDescriptor().getFullMethodName());
                return next.startCall(call, headers);
            }
        };
    }
}
