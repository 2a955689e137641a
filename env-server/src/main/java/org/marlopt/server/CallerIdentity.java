package org.marlopt.server;

import io.grpc.Context;

/**
 * Who is calling: the principal an authentication interceptor attached to the call's gRPC
 * {@link Context} (a bearer token's name, or a client certificate's subject), or
 * {@link #ANONYMOUS} when the server runs without authentication. Sessions are bound to the
 * principal that made them and are invisible to every other one.
 */
public final class CallerIdentity {

    /** The principal of a call on a server without authentication. */
    public static final String ANONYMOUS = "anonymous";

    /** Set by the authentication interceptor on each call it admits. */
    public static final Context.Key<String> PRINCIPAL = Context.key("marlopt-principal");

    private CallerIdentity() {}

    /** The current call's principal, {@link #ANONYMOUS} when none was attached. */
    public static String current() {
        String principal = PRINCIPAL.get();
        return principal == null ? ANONYMOUS : principal;
    }
}
