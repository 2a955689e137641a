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
     * @param defaults its hyperparameter record with every default, the schema of its {@code algo.} settings
     * @param factory makes it for a run
     */
    public record Entry(String name, boolean needsRewardGradient, Record defaults,
                        Function<Algorithm.Setup, Algorithm> factory) {

        /** Its hyperparameters under {@code settings} (see {@link AlgoSettings#bind}). */
        public Record hyperparameters(Map<String, String> settings) {
            return AlgoSettings.bind(name, defaults, settings);
        }
    }

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        register(new Entry(RewardGradientTrainer.NAME, true, new RewardGradientTrainer.Hyperparameters(),
                RewardGradientTrainer::new));
        register(new Entry(Matd3.NAME, false, Matd3.Hyperparameters.defaults(), Matd3::new));
        register(new Entry(Mappo.NAME, false, Mappo.Hyperparameters.defaults(), Mappo::new));
        register(new Entry(Coma.NAME, false, Coma.Hyperparameters.defaults(), Coma::new));
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

    /** The hyperparameters in force for the run {@code config} describes. */
    public static Record hyperparameters(org.marlopt.client.train.TrainConfig config) {
        return get(config.algorithm()).hyperparameters(config.algoParams());
    }

    /** Makes the algorithm {@code setup.config().algorithm()} names. */
    public static Algorithm create(Algorithm.Setup setup) {
        return get(setup.config().algorithm()).factory().apply(setup);
    }
}
