package org.marlopt.client.cli;

import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.security.ClientSecurity;
import org.marlopt.security.ClientSecurityOptions;

/** The security flags of a command, checked against where its server is. */
final class ClientSecurityFlags {

    private ClientSecurityFlags() {}

    /**
     * The flags' settings for a remote server; plaintext without a token for the server started
     * in this JVM, which serves only this machine.
     *
     * @throws IllegalArgumentException when TLS or token flags were given for an embedded server
     */
    static ClientSecurity of(ClientSecurityOptions options, EnvEndpoint endpoint) {
        ClientSecurity security = options.security();
        if (!endpoint.embedded()) {
            return security;
        }
        if (security.requested()) {
            throw new IllegalArgumentException("--tls, --tls-ca, --tls-cert, --auth-token-file and "
                    + "--allow-plaintext-token are for a remote server: give its address with --server or $"
                    + EnvEndpoint.TARGET_VARIABLE + " (the server started inside this JVM when none is given is "
                    + "plaintext on 127.0.0.1 and asks for no token)");
        }
        return ClientSecurity.PLAINTEXT;
    }
}
