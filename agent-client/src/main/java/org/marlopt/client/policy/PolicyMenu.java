package org.marlopt.client.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.env.policy.PolicyDefinition;

/**
 * The policies {@code --policy} can name for one session, in this order: {@code learned} (when
 * trained agents are at hand), {@code zero}, the environment's own references (the seed's
 * {@code oracle}), then every classical algorithm of the catalog that supports the environment.
 * {@code all} names every one of them.
 */
public final class PolicyMenu {

    public static final String ALL = "all";

    private final SessionSpec spec;
    private final Map<String, Supplier<Policy>> byName = new LinkedHashMap<>();
    private final List<String> classical = new ArrayList<>();
    private final Map<String, Double> settings;

    /**
     * @param learned makes the trained agents' policy, or null when there are none
     * @param references the environment's own reference policies, made for this session
     * @param settings hyperparameters for the classical policies; must be empty when none is chosen
     */
    public PolicyMenu(SessionSpec spec, Supplier<Policy> learned, List<Policy> references, PolicyCatalog catalog,
                      Map<String, Double> settings) {
        this.spec = spec;
        this.settings = Map.copyOf(settings);
        if (learned != null) {
            byName.put(LearnedPolicy.NAME, learned);
        }
        byName.put(ZeroPolicy.NAME, ZeroPolicy::new);
        references.forEach(policy -> byName.put(policy.name(), () -> policy));
        for (PolicyDefinition definition : catalog.supporting(spec.env())) {
            byName.put(definition.name(), () -> new ClassicalPolicy(definition, spec, this.settings));
            classical.add(definition.name());
        }
    }

    /** Every policy this session can be evaluated with. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The policies named by {@code requested} ({@code all} for every one), made for the session.
     *
     * @throws IllegalArgumentException for a name that does not apply, saying which do
     */
    public List<Policy> select(List<String> requested) {
        List<String> names = requested.contains(ALL) ? names() : requested;
        for (String name : names) {
            if (!byName.containsKey(name)) {
                throw unknown(name);
            }
        }
        if (!settings.isEmpty() && names.stream().noneMatch(classical::contains)) {
            throw new IllegalArgumentException("--policy-setting " + settings.keySet() + " sets hyperparameters of "
                    + "classical policies, and none is chosen; for " + spec.envId() + " they are " + classical);
        }
        List<Policy> policies = new ArrayList<>();
        for (String name : names) {
            policies.add(byName.get(name).get());
        }
        return policies;
    }

    private IllegalArgumentException unknown(String name) {
        if (name.equals(LearnedPolicy.NAME)) { // on the menu whenever trained agents are given
            return new IllegalArgumentException("policy 'learned' needs trained agents: give --checkpoint DIR "
                    + "(a run directory or its checkpoint)");
        }
        return new IllegalArgumentException("unknown policy '" + name + "' for " + spec.envId() + "; choose from "
                + names() + " or " + ALL);
    }
}
