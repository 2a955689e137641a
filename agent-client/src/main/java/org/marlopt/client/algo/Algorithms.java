package org.marlopt.client.algo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The training algorithms by name. Adding one is a file in this package implementing
 * {@link Algorithm} plus one {@link #register} line below.
 */
public final class Algorithms {

    /**
     * One registered algorithm.
     *
     * @param name what {@code --algo} and {@code algorithm=} call it
     * @param needsRewardGradient whether its training sessions must return each agent's reward gradient
     * @param factory makes it for a run
     */
    public record Entry(String name, boolean needsRewardGradient, Function<Algorithm.Setup, Algorithm> factory) {
    }

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        register(new Entry(RewardGradientTrainer.NAME, true, RewardGradientTrainer::new));
        register(new Entry(Matd3.NAME, false, Matd3::new));
    }

    /** The algorithm {@code train} uses when none is given. */
    public static final String DEFAULT = RewardGradientTrainer.NAME;

    private Algorithms() {}

    private static void register(Entry entry) {
        if (BY_NAME.putIfAbsent(entry.name(), entry) != null) {
            throw new IllegalStateException("algorithm " + entry.name() + " is registered twice");
        }
    }

    /** Every registered name, in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(BY_NAME.keySet());
    }

    /**
     * The algorithm called {@code name}.
     *
     * @throws IllegalArgumentException naming the available algorithms when there is none by that name
     */
    public static Entry get(String name) {
        Entry entry = name == null ? null : BY_NAME.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "'; available algorithms: "
                    + String.join(", ", names()));
        }
        return entry;
    }

    /** Makes the algorithm {@code setup.config().algorithm()} names. */
    public static Algorithm create(Algorithm.Setup setup) {
        return get(setup.config().algorithm()).factory().apply(setup);
    }
}
