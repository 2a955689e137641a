package org.marlopt.system.observability;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tests need to know about a dashboard's PromQL without a PromQL parser. */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[([^]]*)]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\(\\s*(?:([^,]+?)\\s*,\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)\\s*$");

    private PromQl() {
    }

    /**
     * The expression Grafana would send: its interval macros replaced by fixed durations, and every
     * dashboard variable by ".*", the value Grafana sends for "All".
     */
    static String resolveGrafanaMacros(String expr, List<String> variableNames, Duration rateInterval,
                                       Duration range) {
        String resolved = expr
                .replace("$__rate_interval", rateInterval.toSeconds() + "s")
                .replace("$__interval", rateInterval.toSeconds() + "s")
                .replace("$__range", range.toSeconds() + "s");
        for (String name : variableNames) {
            resolved = resolved.replace("${" + name + "}", ".*").replaceAll(Pattern.quote("$" + name) + "\\b", ".*");
        }
        return resolved;
    }

    /** The metric names an expression selects: identifiers that are neither functions, keywords nor labels. */
    static Set<String> metricNames(String expr) {
        String bare = STRING.matcher(expr).replaceAll("\"\"");
        bare = LABEL_MATCHERS.matcher(bare).replaceAll(" ");
        bare = RANGE.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean isFunctionCall = bare.substring(identifier.end()).stripLeading().startsWith("(");
            boolean isPartOfNumber = identifier.start() > 0
                    && Character.isDigit(bare.charAt(identifier.start() - 1));
            if (!isFunctionCall && !isPartOfNumber && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    /** The contents of every range selector, e.g. "$__rate_interval" for {@code rate(x[$__rate_interval])}. */
    static List<String> rangeSelectors(String expr) {
        return RANGE.matcher(STRING.matcher(expr).replaceAll("\"\"")).results().map(r -> r.group(1)).toList();
    }

    /** Grafana's {@code label_values(selector, label)} variable query, as Prometheus API arguments. */
    record LabelValuesQuery(String selector, String label) {
        static LabelValuesQuery parse(String query) {
            Matcher matcher = LABEL_VALUES.matcher(query);
            if (!matcher.matches() || matcher.group(1) == null) {
                throw new IllegalArgumentException("not label_values(<selector>, <label>): " + query);
            }
            return new LabelValuesQuery(matcher.group(1), matcher.group(2));
        }
    }
}
