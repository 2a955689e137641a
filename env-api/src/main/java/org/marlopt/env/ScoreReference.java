package org.marlopt.env;

import java.util.List;

/**
 * How a client normalises the returns of an environment that has no score key: an episode set's
 * mean return R scores (R - R_naive) / (R_optimum - R_naive), both references evaluated greedily
 * on the same reset seeds, so 0 is the naive policy and 1 the optimum (or bound, or strongest
 * reference).
 *
 * @param naivePolicy the policy that scores 0: a classical policy of the catalog
 *     ({@link org.marlopt.env.policy.PolicyDefinition#name()}) or a client-side reference
 *     ({@value #ZERO}, {@value #ORACLE})
 * @param optimumPolicy the policy that scores 1, named the same way
 * @param kind what the optimum policy is: {@value #OPTIMUM}, {@value #BOUND} or {@value #REFERENCE}
 */
public record ScoreReference(String naivePolicy, String optimumPolicy, String kind) {

    /** The client-side reference that sends all-zero actions. */
    public static final String ZERO = "zero";
    /** The seed environment's client-side reference that solves any reset in one step. */
    public static final String ORACLE = "oracle";

    /** The optimum policy is a true optimum: no policy returns more. */
    public static final String OPTIMUM = "optimum";
    /** The optimum policy is a bound no policy can exceed, though it may not be reachable. */
    public static final String BOUND = "bound";
    /**
     * The optimum policy is the strongest known classical policy, used where no optimum is
     * tractable: a policy that beats it scores above 1.
     */
    public static final String REFERENCE = "reference";

    public static final List<String> KINDS = List.of(OPTIMUM, BOUND, REFERENCE);

    public ScoreReference {
        if (naivePolicy == null || naivePolicy.isBlank() || optimumPolicy == null || optimumPolicy.isBlank()) {
            throw new IllegalArgumentException("a score reference needs both policy names, got naive '"
                    + naivePolicy + "' and optimum '" + optimumPolicy + "'");
        }
        if (naivePolicy.equals(optimumPolicy)) {
            throw new IllegalArgumentException("a score reference's naive and optimum policies must differ (both '"
                    + naivePolicy + "'): the normalisation divides by their returns' difference");
        }
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("score reference kind '" + kind + "' is not one of " + KINDS);
        }
    }
}
