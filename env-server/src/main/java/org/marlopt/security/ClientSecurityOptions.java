package org.marlopt.security;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A client command's flags for TLS and the bearer token; see docs/security.md. */
public final class ClientSecurityOptions {

    @Option(names = "--tls", description = "Connect over TLS, trusting the system's root certificates unless "
            + "--tls-ca is given. Default: plaintext.")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "PEM CA certificates that sign the server's certificate (a private CA); implies --tls.")
    Path trustedCa;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain of this client, for a server that requires client certificates "
                    + "(mutual TLS); with --tls-key; implies --tls.")
    Path certChain;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert.")
    Path privateKey;

    @Option(names = "--auth-token-file", paramLabel = "FILE",
            description = "File holding the bearer token to send. Default: $" + ClientSecurity.TOKEN_VARIABLE
                    + ", else no token.")
    Path tokenFile;

    @Option(names = "--allow-plaintext-token",
            description = "Send the token without TLS to a server on another machine (a trusted network only: "
                    + "anyone on the path can read it). Default: refused.")
    boolean allowPlaintextToken;

    /** @throws IllegalArgumentException when --tls-cert and --tls-key are not given together */
    public ClientSecurity security() {
        return new ClientSecurity(tls, trustedCa, certChain, privateKey, tokenFile, allowPlaintextToken);
    }
}
