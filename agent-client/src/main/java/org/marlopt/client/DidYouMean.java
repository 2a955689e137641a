package org.marlopt.client;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** The "did you mean" hint of an unknown name: the closest known one, when any is close. */
public final class DidYouMean {

    private DidYouMean() {}

    /** "did you mean 'x'?" for the candidate closest to {@code name}, or "" when none is close. */
    public static String hint(String name, Collection<String> candidates) {
        return hint(name, candidates, Map.of());
    }

    /**
     * As {@link #hint(String, Collection)}, also knowing names that users write for a candidate
     * (a flag's name for its setting, e.g. lr for learningRate).
     *
     * @param aliases another name -> the candidate it means
     */
    public static String hint(String name, Collection<String> candidates, Map<String, String> aliases) {
        String typed = normalized(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed, normalized(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            if (distance(typed, normalized(alias.getKey())) < bestDistance) {
                best = alias.getValue();
                bestDistance = distance(typed, normalized(alias.getKey()));
            }
        }
        boolean close = best != null && bestDistance <= Math.max(2, typed.length() / 3);
        return close ? "did you mean '" + best + "'?" : "";
    }

    /** Edits apart, a name inside the other counting as one (num for num_agents). */
    private static int distance(String typed, String candidate) {
        if (!typed.isEmpty() && (candidate.contains(typed) || typed.contains(candidate))) {
            return typed.equals(candidate) ? 0 : 1;
        }
        return LevenshteinDistance.getDefaultInstance().apply(typed, candidate);
    }

    /** Case, dashes and underscores aside: learning_rate, learning-rate and LearningRate are one name. */
    private static String normalized(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
