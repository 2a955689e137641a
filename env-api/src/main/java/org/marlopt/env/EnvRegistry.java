package org.marlopt.env;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.BatchedVectorEnv;

/** The environments on offer, by id. Immutable. */
public final class EnvRegistry {

    private final Map<String, EnvDefinition> byId = new LinkedHashMap<>();

    public EnvRegistry(List<? extends EnvDefinition> definitions) {
        for (EnvDefinition definition : definitions) {
            if (byId.putIfAbsent(definition.id(), definition) != null) {
                throw new IllegalArgumentException("duplicate env id " + definition.id());
            }
        }
    }

    /** Every environment on the class path ({@link ServiceLoader}), sorted by id. */
    public static EnvRegistry discover() {
        List<EnvDefinition> found = new ArrayList<>();
        ServiceLoader.load(EnvDefinition.class).forEach(found::add);
        found.sort(java.util.Comparator.comparing(EnvDefinition::id));
        return new EnvRegistry(found);
    }

    /** This registry and {@code more}; an id offered twice is an error. */
    public EnvRegistry with(List<? extends EnvDefinition> more) {
        List<EnvDefinition> all = new ArrayList<>(byId.values());
        all.addAll(more);
        return new EnvRegistry(all);
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

    /** Resolves {@code params} for {@code envId} and configures it. Throws as {@link #get} and {@link Parameters#resolve}. */
    public ConfiguredEnv configure(String envId, Map<String, ?> params) {
        EnvDefinition definition = get(envId);
        return definition.configure(Parameters.resolve(definition.parameters(), params));
    }

    /** A vector env of {@code envId} in one call (tests, benchmarks, in-process use). */
    public BatchedVectorEnv make(String envId, Map<String, ?> params, VectorOptions options) {
        return new BatchedVectorEnv(configure(envId, params), options);
    }
}
