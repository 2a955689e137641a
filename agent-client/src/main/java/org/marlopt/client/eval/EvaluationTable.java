package org.marlopt.client.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Formats evaluation results as a plain-text table, one row per policy: return, length, then
 * success, steps to success and normalised score where the environment defines them, then the
 * environment's own figures.
 */
public final class EvaluationTable {

    private record Column(String header, Function<EvaluationResult, String> cell) {
    }

    private EvaluationTable() {}

    public static String format(List<EvaluationResult> results) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("policy", EvaluationResult::policy));
        columns.add(new Column("return", r -> number(r.meanReturn())));
        columns.add(new Column("length", r -> String.format(Locale.ROOT, "%.2f", r.meanEpisodeLength())));
        if (results.stream().anyMatch(r -> r.successRate() != null)) {
            columns.add(new Column("success", r -> percent(r.successRate())));
            columns.add(new Column("steps to success", r -> r.stepsToSuccess() == null ? "-"
                    : number(r.stepsToSuccess().mean())));
        }
        if (results.stream().anyMatch(r -> r.normalizedScore() != null)) {
            columns.add(new Column("score", r -> number(r.normalizedScore())));
        }
        for (String key : results.get(0).environmentKeys().keySet()) {
            columns.add(new Column(key, r -> r.environmentKeys().get(key) instanceof Number value
                    ? key.endsWith("_rate") ? percent(value.doubleValue()) : number(value.doubleValue()) : "-"));
        }
        columns.add(new Column("episodes", r -> Integer.toString(r.episodes())));

        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).header().length();
            for (EvaluationResult result : results) {
                widths[c] = Math.max(widths[c], columns.get(c).cell().apply(result).length());
            }
        }
        StringBuilder table = new StringBuilder();
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(pad(columns.get(c).header(), widths[c], c == 0));
        }
        table.append(header.toString().stripTrailing()).append('\n');
        table.append("-".repeat(header.toString().stripTrailing().length())).append('\n');
        for (EvaluationResult result : results) {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                row.append(pad(columns.get(c).cell().apply(result), widths[c], c == 0));
            }
            table.append(row.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    /** The first column left-aligned, the others right-aligned, two spaces apart. */
    private static String pad(String text, int width, boolean first) {
        String padding = " ".repeat(width - text.length());
        return first ? text + padding + "  " : padding + text + "  ";
    }

    private static String number(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String percent(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }
}
