package org.marlopt.server;

import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvRegistry;
import org.marlopt.proto.env.v2.EnvironmentInfo;

/**
 * The environments a server started on a registry offers, as its ListEnvironments describes them:
 * what a client checks its settings against before it starts such a server inside its own JVM.
 */
public final class OfferedEnvironments {

    private OfferedEnvironments() {}

    /** By id, in the registry's order. */
    public static Map<String, EnvironmentInfo> of(EnvRegistry registry) {
        Map<String, EnvironmentInfo> byId = new LinkedHashMap<>();
        for (EnvDefinition definition : registry.definitions()) {
            byId.put(definition.id(), ProtoCodec.environmentInfo(definition));
        }
        return byId;
    }
}
