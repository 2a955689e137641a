package org.marlopt.client.eval;

import java.util.List;
import java.util.Locale;

/** Formats evaluation results as a plain-text table, one row per policy. */
public final class EvaluationTable {

    private EvaluationTable() {}

    public static String format(List<EvaluationResult> results) {
        StringBuilder table = new StringBuilder();
        String header = String.format(Locale.ROOT, "%-8s %10s %10s %10s %12s %12s %9s%n",
                "policy", "one-step", "success", "steps", "|err| 1st", "return", "episodes");
        table.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (EvaluationResult r : results) {
            table.append(String.format(Locale.ROOT, "%-8s %9.2f%% %9.2f%% %10s %12.4f %12.3f %9d%n",
                    r.policy(), 100 * r.oneStepSuccessRate(), 100 * r.successRate(),
                    r.meanStepsToSolve() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.meanStepsToSolve()),
                    r.meanAbsErrorFirstStep(), r.meanReturn(), r.episodes()));
        }
        return table.toString();
    }
}
