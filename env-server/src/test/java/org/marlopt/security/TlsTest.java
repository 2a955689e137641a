package org.marlopt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.ResetRequest;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;

/** TLS and mutual TLS on a real 127.0.0.1 port, with certificates made by throw-away CAs. */
class TlsTest {

    private static final String ENV_ID = "DistributedOptimization-v1";

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static TestCertificates otherCa;
    private static TestCertificates.Issued serverCert;

    @BeforeAll
    static void certificates() throws IOException {
        ca = TestCertificates.authority(dir, "test");
        otherCa = TestCertificates.authority(dir, "other");
        serverCert = ca.server("server");
    }

    @Test
    void aClientTrustingTheCaIsServed() throws Exception {
        try (EnvServer server = start(null)) {
            assertEquals("v2", protocolVersion("localhost:" + server.port(), client(ca.certificate(), null)));
        }
    }

    @Test
    void aPlaintextClientIsNotServed() throws Exception {
        try (EnvServer server = start(null)) {
            assertUnavailable("localhost:" + server.port(), InsecureChannelCredentials.create());
        }
    }

    @Test
    void aClientTrustingAnotherCaRefusesTheServer() throws Exception {
        try (EnvServer server = start(null)) {
            assertUnavailable("localhost:" + server.port(), client(otherCa.certificate(), null));
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutCertificateOrWithOneOfAnotherCa() throws Exception {
        try (EnvServer server = start(ca.certificate())) {
            String target = "127.0.0.1:" + server.port();
            assertEquals("v2", protocolVersion(target, client(ca.certificate(), ca.client("alice"))));
            assertUnavailable(target, client(ca.certificate(), null));
            assertUnavailable(target, client(ca.certificate(), otherCa.client("mallory")));
        }
    }

    @Test
    void underMutualTlsTheCertificateSubjectOwnsTheSession() throws Exception {
        try (EnvServer server = start(ca.certificate())) {
            String target = "127.0.0.1:" + server.port();
            ManagedChannel alice = channel(target, client(ca.certificate(), ca.client("alice")));
            ManagedChannel bob = channel(target, client(ca.certificate(), ca.client("bob")));
            try {
                String session = stub(alice).make(MakeRequest.newBuilder().setEnvId(ENV_ID).build()).getSessionId();
                ResetRequest reset = ResetRequest.newBuilder().setSessionId(session).build();
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub(bob).reset(reset));
                assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
                stub(alice).reset(reset);
            } finally {
                alice.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                bob.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static EnvServer start(Path clientCa) throws IOException {
        ServerConfig config = ServerConfig.defaults().withPort(0).withMetricsPort(0)
                .withShutdownGrace(Duration.ofSeconds(1));
        ServerTls tls = new ServerTls(serverCert.certificate(), serverCert.privateKey(), clientCa);
        return EnvServer.start(config, EnvRegistry.discover(), new ServerSecurity(tls, null, true));
    }

    private static ChannelCredentials client(Path trustedCa, TestCertificates.Issued own) {
        ClientSecurity security = new ClientSecurity(true, trustedCa, own == null ? null : own.certificate(),
                own == null ? null : own.privateKey(), null, false);
        return security.channelCredentials("127.0.0.1:1");
    }

    private static String protocolVersion(String target, ChannelCredentials credentials) throws InterruptedException {
        ManagedChannel channel = channel(target, credentials);
        try {
            return stub(channel).getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getProtocolVersion();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static void assertUnavailable(String target, ChannelCredentials credentials) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> protocolVersion(target, credentials));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
    }

    private static ManagedChannel channel(String target, ChannelCredentials credentials) {
        return Grpc.newChannelBuilder(target, credentials).build();
    }

    private static EnvServiceGrpc.EnvServiceBlockingStub stub(ManagedChannel channel) {
        return EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
