package org.marlopt.env;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environments on offer, by id. Immutable. */
public final class EnvRegistry {

    private final Map<String, EnvDefinition> byId = new LinkedHashMap<>();

    public EnvRegistry(List<EnvDefinition> definitions) {
        for (EnvDefinition definition : definitions) {
            if (byId.putIfAbsent(definition.id(), definition) != null) {
                throw new IllegalArgumentException("duplicate env id " + definition.id());
            }
        }
    }

    /** The registry the server offers by default. */
    public static EnvRegistry standard() {
        return new EnvRegistry(List.of(new DistributedOptimization()));
    }

    public Collection<EnvDefinition> definitions() {
        return byId.values();
    }

    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /** @throws EnvArgumentException naming field {@code env_id} when the id is not offered */
    public EnvDefinition get(String envId) {
        EnvDefinition definition = byId.get(envId);
        if (definition == null) {
            throw new EnvArgumentException("env_id", "unknown env_id '" + envId
                    + "'; use one of " + ids() + " (ListEnvironments lists them)");
        }
        return definition;
    }
}
