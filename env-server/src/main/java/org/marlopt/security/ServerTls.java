package org.marlopt.security;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The server's TLS: its certificate chain and key, and, for mutual TLS, the CA whose signature a
 * client certificate must carry (a client without one cannot connect at all).
 *
 * @param certChain PEM certificate chain, the server's own first ({@code --tls-cert})
 * @param privateKey PEM PKCS#8 key of that certificate ({@code --tls-key})
 * @param clientCa PEM CA certificates that sign accepted client certificates
 *     ({@code --tls-client-ca}); null accepts any client
 */
public record ServerTls(Path certChain, Path privateKey, Path clientCa) {

    /** @throws IllegalArgumentException naming the flag of a missing or malformed file */
    public ServerTls {
        PemFiles.certificates(certChain, "--tls-cert");
        PemFiles.privateKey(privateKey, "--tls-key");
        if (clientCa != null) {
            PemFiles.certificates(clientCa, "--tls-client-ca");
        }
    }

    public boolean requiresClientCertificates() {
        return clientCa != null;
    }

    ServerCredentials credentials() {
        try {
            TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
                    .keyManager(certChain.toFile(), privateKey.toFile());
            if (clientCa != null) {
                tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return tls.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
    }
}
