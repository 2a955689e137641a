package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.BlockingClientCall;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.InteractRequest;
import org.marlopt.proto.env.v2.InteractResponse;
import org.marlopt.security.AccessTokens;
import org.marlopt.security.ServerSecurity;

/**
 * Bearer tokens: who may call, and that each principal sees its own sessions only, on unary calls
 * and on Interact streams attaching by id.
 */
class AuthenticationTest {

    private static final String ALICE_TOKEN = "alice-0123456789abcdef";
    private static final String BOB_TOKEN = "bob-0123456789abcdef";
    /** A well-formed session id no one made. */
    private static final String UNKNOWN_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    private TestServer env;

    @BeforeEach
    void start() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"),
                "# principal token\n\nalice " + ALICE_TOKEN + "\nbob   " + BOB_TOKEN + "\n");
        env = TestServer.start(new ServerSecurity(null, AccessTokens.read(tokens), true));
    }

    @AfterEach
    void stop() throws InterruptedException {
        env.close();
    }

    @Test
    void aCallWithoutTokenIsUnauthenticatedAndToldHowToPassOne() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> env.blocking.getCapabilities(
                GetCapabilitiesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("--auth-token-file"), e.getStatus().getDescription());
    }

    @Test
    void aWrongTokenOrSchemeIsUnauthenticated() {
        for (String authorization : new String[] {"Bearer not-a-known-token-at-all", "Basic " + ALICE_TOKEN,
                "Bearer " + ALICE_TOKEN + "x"}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub(with(authorization)).getCapabilities(GetCapabilitiesRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), authorization);
        }
    }

    @Test
    void aKnownTokenIsServed() {
        assertEquals("v2", stub(as(ALICE_TOKEN)).getCapabilities(GetCapabilitiesRequest.getDefaultInstance())
                .getProtocolVersion());
    }

    @Test
    void healthNeedsNoToken() {
        assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(env.channel)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }

    @Test
    void reflectionNeedsAToken() throws Exception {
        assertEquals(Status.Code.UNAUTHENTICATED, listServices(env.channel).getCode());
        assertEquals(Status.Code.OK, listServices(as(ALICE_TOKEN)).getCode());
    }

    @Test
    void anotherPrincipalsSessionLooksUnknownToUnaryCalls() {
        EnvServiceGrpc.EnvServiceBlockingStub alice = stub(as(ALICE_TOKEN));
        EnvServiceGrpc.EnvServiceBlockingStub bob = stub(as(BOB_TOKEN));
        String session = alice.make(TestServer.makeRequest(1, false)).getSessionId();

        String unknown = notFound(() -> bob.reset(TestServer.reset(UNKNOWN_ID, 1)));
        String expected = unknown.replace(UNKNOWN_ID, session);
        assertEquals(expected, notFound(() -> bob.reset(TestServer.reset(session, 1))));
        assertEquals(expected, notFound(() -> bob.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0))));
        assertEquals(expected, notFound(() -> bob.close(CloseRequest.newBuilder().setSessionId(session).build())));

        alice.reset(TestServer.reset(session, 1)); // still alive and still Alice's
        alice.step(TestServer.uniformStep(session, 1, 0, 0, 0, 0));
        alice.close(CloseRequest.newBuilder().setSessionId(session).build());
        assertEquals(expected, notFound(() -> bob.reset(TestServer.reset(session, 1))),
                "not even that it was closed");
        assertTrue(notFound(() -> alice.reset(TestServer.reset(session, 1))).contains("was closed"));
    }

    @Test
    void anotherPrincipalsSessionLooksUnknownToAnInteractStream() throws Exception {
        String session = stub(as(ALICE_TOKEN)).make(TestServer.makeRequest(1, false)).getSessionId();
        BlockingClientCall<InteractRequest, InteractResponse> stream = EnvServiceGrpc.newBlockingV2Stub(as(BOB_TOKEN))
                .interact();
        try {
            stream.write(InteractRequest.newBuilder()
                    .setReset(TestServer.reset(session, 1)).build());
            InteractResponse response = stream.read(10, TimeUnit.SECONDS);
            assertEquals(Status.Code.NOT_FOUND.value(), response.getError().getCode());
            String unknown = notFound(() -> stub(as(BOB_TOKEN)).reset(TestServer.reset(UNKNOWN_ID, 1)));
            assertEquals(unknown.replace(UNKNOWN_ID, session), response.getError().getMessage());
        } finally {
            stream.cancel("test over", null);
        }
    }

    private EnvServiceGrpc.EnvServiceBlockingStub stub(Channel channel) {
        return EnvServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private Channel as(String token) {
        return with("Bearer " + token);
    }

    private Channel with(String authorization) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return ClientInterceptors.intercept(env.channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static String notFound(Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getStatus().toString());
        return e.getStatus().getDescription();
    }

    /** The status a reflection list_services call ends with. */
    static Status listServices(Channel channel) throws InterruptedException {
        BlockingClientCall<ServerReflectionRequest, ServerReflectionResponse> call =
                ServerReflectionGrpc.newBlockingV2Stub(channel).serverReflectionInfo();
        try {
            call.write(ServerReflectionRequest.newBuilder().setListServices("").build());
            call.read(10, TimeUnit.SECONDS);
            call.halfClose();
            return Status.OK;
        } catch (StatusException e) {
            return e.getStatus();
        } catch (TimeoutException e) {
            throw new AssertionError("no reflection answer within 10 s", e);
        } finally {
            call.cancel("test over", null);
        }
    }
}
