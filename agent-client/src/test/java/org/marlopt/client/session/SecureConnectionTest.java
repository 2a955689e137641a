package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.AgentClientMain;
import org.marlopt.env.EnvRegistry;
import org.marlopt.security.AccessTokens;
import org.marlopt.security.ClientSecurity;
import org.marlopt.security.ServerSecurity;
import org.marlopt.security.ServerTls;
import org.marlopt.security.TestCertificates;
import org.marlopt.server.EnvServer;
import org.marlopt.server.ServerConfig;
import picocli.CommandLine;

/** EnvClient and the command line against a server with TLS and bearer tokens, on a free loopback port. */
class SecureConnectionTest {

    private static final String ENV_ID = "DistributedOptimization-v1";

    @TempDir
    static Path dir;
    private static TestCertificates ca;
    private static Path tokenFile;
    private static EnvServer server;

    @BeforeAll
    static void startServer() throws IOException {
        ca = TestCertificates.authority(dir, "client-test");
        TestCertificates.Issued serverCert = ca.server("server");
        tokenFile = Files.writeString(dir.resolve("token"), "0123456789abcdef-trainer\n");
        Path tokens = Files.writeString(dir.resolve("tokens"), "trainer 0123456789abcdef-trainer\n");
        ServerSecurity security = new ServerSecurity(
                new ServerTls(serverCert.certificate(), serverCert.privateKey(), null), AccessTokens.read(tokens), true);
        server = EnvServer.start(ServerConfig.defaults().withPort(0).withMetricsPort(0)
                .withShutdownGrace(Duration.ofSeconds(1)), EnvRegistry.discover(), security);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void aSessionRunsOverTlsWithAToken() {
        ClientSecurity security = new ClientSecurity(false, ca.certificate(), null, null, tokenFile, false);
        try (EnvClient client = EnvClient.connect(target(), Duration.ofSeconds(30), List.of(), security);
             EnvSession session = client.open(new SessionRequest(ENV_ID, Map.of(), 2, false))) {
            session.reset(7);
            assertEquals(2 * session.spec().sharedSize(), session.sharedObservation().length);
        }
    }

    @Test
    void shardsRunOverTlsWithATokenToAListOfReplicas() {
        // the same server twice: two health-checked subchannels over TLS, the authority the first entry's
        ClientSecurity security = new ClientSecurity(false, ca.certificate(), null, null, tokenFile, false);
        String list = target() + ",127.0.0.1:" + server.port();
        try (EnvClient client = EnvClient.connect(list, Duration.ofSeconds(30), List.of(), security);
             EnvSession session = client.open(new SessionRequest(ENV_ID, Map.of(), 3, false))) {
            assertEquals(2, client.shards());
            session.reset(7);
            session.step(new float[session.spec().numAgents()][3 * session.spec().actionSize(0)]);
            assertEquals(3 * session.spec().sharedSize(), session.sharedObservation().length);
        }
    }

    @Test
    void withoutATokenTheServerSaysHowToPassOne() {
        ClientSecurity security = new ClientSecurity(true, ca.certificate(), null, null, null, false);
        try (EnvClient client = EnvClient.connect(target(), Duration.ofSeconds(30), List.of(), security)) {
            EnvCallException e = assertThrows(EnvCallException.class, client::environments);
            assertEquals(Status.Code.UNAUTHENTICATED, e.code());
            assertTrue(e.getMessage().contains("--auth-token-file"), e.getMessage());
        }
    }

    @Test
    void theCommandLineTakesTheCaAndTheTokenFile() {
        assertEquals(0, run("envs", "--server", target(), "--metrics-port", "0",
                "--tls-ca", ca.certificate().toString(), "--auth-token-file", tokenFile.toString()));
    }

    @Test
    void securityFlagsWithoutAServerAddressAreRefused() {
        StringWriter errors = new StringWriter();
        CommandLine commandLine = AgentClientMain.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        assertEquals(1, commandLine.execute("envs", "--metrics-port", "0", "--tls"));
        assertTrue(errors.toString().contains("--server"), errors.toString());
    }

    private static int run(String... args) {
        return AgentClientMain.commandLine().execute(args);
    }

    private static String target() {
        return "localhost:" + server.port();
    }
}
