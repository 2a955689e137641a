package org.marlopt.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.security.TestCertificates;
import org.marlopt.system.support.EnvServerProcess;
import org.marlopt.system.support.ExternalCommand;
import org.marlopt.system.support.ProjectFiles;

/**
 * The packaged jars as docs/security.md deploys them: the env server with TLS and bearer tokens,
 * its health probe without a token, and a short training run of the agent client with the CA and
 * its token.
 */
class SecureDeploymentTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String TOKEN = "system-test-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void aClientWithTheCaAndItsTokenTrainsAgainstATlsServerWithTokens() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "deployment");
        TestCertificates.Issued serverCert = ca.server("env-server");
        Path tokens = Files.writeString(dir.resolve("tokens"), "# principal token\ntrainer " + TOKEN + "\n");
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        try (EnvServerProcess server = EnvServerProcess.start("--tls-cert", serverCert.certificate().toString(),
                "--tls-key", serverCert.privateKey().toString(), "--auth-tokens", tokens.toString())) {
            String caFile = ca.certificate().toString();
            // A cold JVM's first TLS handshake can outlast the probe's default 3 s on a busy machine.
            ExternalCommand health = ExternalCommand.run(RUN_TIMEOUT, ProjectFiles.javaExecutable(), "-jar",
                    ProjectFiles.runnableJar("env-server").toString(), "health", "--target", server.target(),
                    "--tls-ca", caFile, "--timeout-seconds", "30");
            assertEquals(0, health.exitCode(), "the health probe needs TLS but no token\n" + health.output());

            ExternalCommand withoutToken = train(server.target(), dir.resolve("refused"), "--tls-ca", caFile);
            assertNotEquals(0, withoutToken.exitCode(), withoutToken.output());
            assertTrue(withoutToken.output().contains("UNAUTHENTICATED")
                    && withoutToken.output().contains("--auth-token-file"), withoutToken.output());

            Path out = dir.resolve("run");
            ExternalCommand trained = train(server.target(), out, "--tls-ca", caFile, "--auth-token-file",
                    token.toString());
            assertEquals(0, trained.exitCode(), trained.output() + "\n" + server.logTail());
            assertTrue(Files.isRegularFile(out.resolve("episodes.csv")), "the run wrote its episodes");
        }
    }

    private static ExternalCommand train(String target, Path out, String... securityFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProjectFiles.javaExecutable(), "-Dai.djl.offline=true",
                "-Xmx512m", "-jar", ProjectFiles.runnableJar("agent-client").toString(), "train",
                "--server", target, "--metrics-port", "0", "--out", out.toString(),
                "--episodes", "2", "--num-envs", "2", "--eval-episodes", "2"));
        command.addAll(List.of(securityFlags));
        return ExternalCommand.run(RUN_TIMEOUT, command.toArray(String[]::new));
    }
}
