package org.marlopt.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client's refusals and the flags it hands to child processes. */
class ClientSecurityTest {

    @TempDir
    Path dir;

    @Test
    void loopbackIsTheMachineItselfNamedWithoutDns() {
        for (String target : List.of("localhost:50051", "127.0.0.1:50051", "127.8.0.1:1", "[::1]:50051",
                "dns:///localhost:50051")) {
            assertTrue(ClientSecurity.isLoopback(target), target);
        }
        for (String target : List.of("env-server:50051", "10.0.0.7:50051", "[2001:db8::1]:50051", "example.org:443")) {
            assertFalse(ClientSecurity.isLoopback(target), target);
        }
    }

    @Test
    void aTokenIsNotSentInPlaintextToAnotherMachineUnlessForced() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef\n");
        ClientSecurity plaintext = new ClientSecurity(false, null, null, null, token, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plaintext.channelCredentials("env-server:50051"));
        assertTrue(e.getMessage().contains("--tls") && e.getMessage().contains("--allow-plaintext-token"),
                e.getMessage());
        assertDoesNotThrow(() -> plaintext.channelCredentials("127.0.0.1:50051"));
        assertDoesNotThrow(() -> new ClientSecurity(false, null, null, null, token, true)
                .channelCredentials("env-server:50051"));
        assertDoesNotThrow(() -> new ClientSecurity(true, null, null, null, token, false)
                .channelCredentials("env-server:50051"));
    }

    @Test
    void aTokenFileHoldsOneTokenOnly() throws Exception {
        Path line = Files.writeString(dir.resolve("line"), "alice 0123456789abcdef\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientSecurity(true, null, null, null, line, false).channelCredentials("localhost:1"));
        assertTrue(e.getMessage().contains("--auth-token-file"), e.getMessage());
    }

    @Test
    void certificateAndKeyGoTogether() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--tls-cert", "client.pem"));
        assertTrue(e.getMessage().contains("--tls-key"), e.getMessage());
    }

    @Test
    void theFlagsParsedAreTheFlagsHandedOn() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "flags");
        TestCertificates.Issued client = ca.client("alice");
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef\n");
        ClientSecurity security = parse("--tls-ca", ca.certificate().toString(), "--tls-cert",
                client.certificate().toString(), "--tls-key", client.privateKey().toString(),
                "--auth-token-file", token.toString());
        assertTrue(security.tls(), "the CA and the client certificate imply TLS");
        assertEquals(security, parse(security.arguments().toArray(String[]::new)));
    }

    private static ClientSecurity parse(String... args) {
        ClientSecurityOptions options = new ClientSecurityOptions();
        new CommandLine(options).parseArgs(args);
        return options.security();
    }
}
