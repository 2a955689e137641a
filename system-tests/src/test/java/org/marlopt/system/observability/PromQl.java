package org.marlopt.system.observability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    private static final Pattern AGGREGATION = Pattern.compile(
            "\\b(sum|avg|min|max|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\\s*"
                    + "(?:(by|without)\\s*\\(([^)]*)\\))?\\s*\\(");
    private static final Pattern FUNCTION_BEFORE = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\($");
    /** Series a counter exports: Prometheus counters, and the _count/_sum/_bucket of summaries and histograms. */
    private static final Pattern COUNTER_SERIES = Pattern.compile(".*_(total|count|sum|bucket)");
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
        return selectors(expr).stream().map(Selector::metric).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * One series selector of an expression: the metric, its label matchers ("" when none), its range ("" for an
     * instant vector) and the function it is the direct argument of ("" when none), e.g. "rate".
     */
    record Selector(String metric, String matchers, String range, String function) {

        boolean isCounter() {
            return COUNTER_SERIES.matcher(metric).matches();
        }
    }

    /** Every series selector of {@code expr}, in order. */
    static List<Selector> selectors(String expr) {
        String bare = blankStrings(expr);
        StringBuilder masked = new StringBuilder(bare);
        for (Pattern notMetrics : List.of(LABEL_MATCHERS, RANGE, GROUPING)) {
            notMetrics.matcher(bare).results()
                    .forEach(r -> masked.replace(r.start(), r.end(), " ".repeat(r.end() - r.start())));
        }
        List<Selector> selectors = new ArrayList<>();
        Matcher identifier = IDENTIFIER.matcher(masked);
        while (identifier.find()) {
            if (isMetricName(masked.toString(), identifier)) {
                selectors.add(selectorAt(expr, bare, masked.toString(), identifier.start(), identifier.end()));
            }
        }
        return selectors;
    }

    /** An aggregation such as {@code sum by (run) (...)}: its operator and the labels it keeps or drops. */
    record Aggregation(String operator, String modifier, List<String> labels) {
    }

    /** Every aggregation, read from the grouping written before the argument, as the dashboards write it. */
    static List<Aggregation> aggregations(String expr) {
        return AGGREGATION.matcher(blankStrings(expr)).results()
                .map(r -> new Aggregation(r.group(1), r.group(2) == null ? "" : r.group(2), r.group(3) == null
                        ? List.of() : Arrays.stream(r.group(3).split(",")).map(String::strip).toList()))
                .toList();
    }

    /** Whether {@code expr} divides one thing by another, outside strings. */
    static boolean isRatio(String expr) {
        return blankStrings(expr).contains("/");
    }

    private static boolean isMetricName(String bare, Matcher identifier) {
        String name = identifier.group();
        boolean isFunctionCall = bare.substring(identifier.end()).stripLeading().startsWith("(");
        boolean isPartOfNumber = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
        return !isFunctionCall && !isPartOfNumber && !KEYWORDS.contains(name.toLowerCase());
    }

    /** The selector whose metric name is at [start, end); {@code masked} hides matchers, ranges and groupings. */
    private static Selector selectorAt(String expr, String bare, String masked, int start, int end) {
        int at = skipSpaces(bare, end);
        String matchers = "";
        if (at < bare.length() && bare.charAt(at) == '{') {
            int close = bare.indexOf('}', at);
            matchers = expr.substring(at, close + 1);
            at = skipSpaces(bare, close + 1);
        }
        String range = "";
        if (at < bare.length() && bare.charAt(at) == '[') {
            range = bare.substring(at + 1, bare.indexOf(']', at));
        }
        Matcher function = FUNCTION_BEFORE.matcher(masked.substring(0, start).stripTrailing());
        return new Selector(bare.substring(start, end), matchers, range, function.find() ? function.group(1) : "");
    }

    private static int skipSpaces(String text, int from) {
        int at = from;
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    /** {@code expr} with every string literal's content blanked, so positions still match {@code expr}. */
    private static String blankStrings(String expr) {
        StringBuilder bare = new StringBuilder(expr);
        STRING.matcher(expr).results().forEach(r -> {
            for (int i = r.start() + 1; i < r.end() - 1; i++) {
                bare.setCharAt(i, ' ');
            }
        });
        return bare.toString();
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
