package org.marlopt.env.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.marlopt.env.EnvSpec;

/** The classical policies on the class path, found by {@link ServiceLoader}. */
public final class PolicyCatalog {

    private final List<PolicyDefinition> definitions;

    public PolicyCatalog(List<PolicyDefinition> definitions) {
        this.definitions = List.copyOf(definitions);
    }

    public static PolicyCatalog discover() {
        List<PolicyDefinition> found = new ArrayList<>();
        ServiceLoader.load(PolicyDefinition.class).forEach(found::add);
        return new PolicyCatalog(found);
    }

    /** The policies that can drive sessions of {@code spec}, in discovery order. */
    public List<PolicyDefinition> supporting(EnvSpec spec) {
        return definitions.stream().filter(definition -> definition.supports(spec)).toList();
    }

    /**
     * The policy named {@code name}, whether or not it applies to {@code spec}: its
     * {@link PolicyDefinition#create} then says what it needs (a message size, an environment).
     *
     * @throws IllegalArgumentException naming the policies that apply to {@code spec} when no policy has that name
     */
    public PolicyDefinition get(String name, EnvSpec spec) {
        return definitions.stream().filter(definition -> definition.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no classical policy '" + name + "'; for "
                        + spec.envId() + " use one of " + supporting(spec).stream().map(PolicyDefinition::name).toList()));
    }
}
