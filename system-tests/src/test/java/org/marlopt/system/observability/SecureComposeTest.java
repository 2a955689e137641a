package org.marlopt.system.observability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.marlopt.system.support.ProjectFiles;

/**
 * docker-compose.secure.yml over docker-compose.yml, as Compose resolves the pair: TLS and tokens
 * on the server, the matching flags on the client and the health check, every file a mounted secret.
 */
class SecureComposeTest {

    private static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        services = ComposeConfig.resolve(ComposeConfig.SECURE).path("services");
    }

    @Test
    void theServerServesTlsAndTokensFromItsSecrets() {
        List<String> command = ComposeConfig.strings(services.path("env-server").path("command"));
        assertAll(
                () -> assertEquals("0.0.0.0", valueOf(command, "--host")),
                () -> assertSecret("env-server", valueOf(command, "--tls-cert")),
                () -> assertSecret("env-server", valueOf(command, "--tls-key")),
                () -> assertSecret("env-server", valueOf(command, "--auth-tokens")));
    }

    @Test
    void theHealthCheckAndTheClientTrustTheCaAndTheClientSendsItsToken() {
        List<String> probe = ComposeConfig.strings(services.path("env-server").path("healthcheck").path("test"));
        List<String> client = ComposeConfig.strings(services.path("agent-client").path("command"));
        assertAll(
                () -> assertSecret("env-server", valueOf(probe, "--tls-ca")),
                () -> assertSecret("agent-client", valueOf(client, "--tls-ca")),
                () -> assertSecret("agent-client", valueOf(client, "--auth-token-file")),
                () -> assertEquals("0.0.0.0", valueOf(client, "--metrics-host"), "Prometheus still scrapes it"));
    }

    @Test
    void theDevCertificateNamesTheHostTheClientDials() throws Exception {
        String target = services.path("agent-client").path("environment").path("ENV_SERVER_TARGET").asText();
        String host = target.substring(0, target.lastIndexOf(':'));
        String script = Files.readString(ProjectFiles.file("scripts/make-dev-certs.sh"));
        assertTrue(script.contains("DNS:" + host), "scripts/make-dev-certs.sh must put DNS:" + host
                + " in the server certificate's subjectAltName");
    }

    private static String valueOf(List<String> command, String flag) {
        int at = command.indexOf(flag);
        assertTrue(at >= 0 && at + 1 < command.size(), flag + " missing from " + command);
        return command.get(at + 1);
    }

    /** {@code path} is /run/secrets/NAME and NAME is one of the service's secrets. */
    private static void assertSecret(String service, String path) {
        Set<String> mounted = new HashSet<>();
        services.path(service).path("secrets").forEach(secret -> mounted.add(secret.path("source").asText()));
        String name = path.substring(path.lastIndexOf('/') + 1);
        assertTrue(path.equals("/run/secrets/" + name) && mounted.contains(name),
                service + " reads " + path + " but mounts the secrets " + mounted);
    }
}
