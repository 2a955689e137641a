package org.marlopt.security;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The env server's command-line flags for TLS, bearer tokens and reflection; see docs/security.md. */
public final class ServerSecurityOptions {

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain of the server (its own certificate first); with --tls-key, "
                    + "serves TLS instead of plaintext.")
    Path certChain;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert.")
    Path privateKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "PEM CA certificates: clients must present a certificate they signed (mutual TLS). "
                    + "Without --auth-tokens, a caller's principal is its certificate's subject.")
    Path clientCa;

    @Option(names = "--auth-tokens", paramLabel = "FILE", defaultValue = "${env:ENV_SERVER_AUTH_TOKENS_FILE}",
            description = "File of accepted bearer tokens, lines 'PRINCIPAL TOKEN' (# comments); every EnvService "
                    + "and reflection call must carry one. Env ENV_SERVER_AUTH_TOKENS_FILE. Default: none.")
    Path tokenFile;

    @Option(names = "--no-reflection", description = "Do not serve gRPC server reflection. Default: served.")
    boolean noReflection;

    /** @throws IllegalArgumentException naming the flag and the fix of an inconsistent or unreadable setting */
    public ServerSecurity security() {
        if ((certChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: pass both to serve TLS, "
                    + "or neither for plaintext");
        }
        if (clientCa != null && certChain == null) {
            throw new IllegalArgumentException("--tls-client-ca needs TLS: pass --tls-cert and --tls-key too");
        }
        ServerTls tls = certChain == null ? null : new ServerTls(certChain, privateKey, clientCa);
        return new ServerSecurity(tls, tokenFile == null ? null : readTokens(), !noReflection);
    }

    private AccessTokens readTokens() {
        try {
            return AccessTokens.read(tokenFile);
        } catch (IOException e) {
            throw new IllegalArgumentException("--auth-tokens " + tokenFile + " cannot be read (" + e.getMessage()
                    + "); check the path and its permissions", e);
        }
    }
}
