package org.marlopt.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.env.param.ParameterSpec;

/**
 * {@code --param NAME=VALUE} texts typed as the environment declares each parameter: a number,
 * a whole number, {@code true}/{@code false}, a choice, or comma-separated numbers for a list.
 * Bounds and names are left to {@link org.marlopt.env.param.Parameters#resolve}: an undeclared
 * name stays a string, so its error lists the accepted names.
 */
final class ParameterTexts {

    private ParameterTexts() {}

    /** @throws IllegalArgumentException naming the parameter when a text does not parse as its type */
    static Map<String, Object> parse(List<ParameterSpec> specs, Map<String, String> texts) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Map<String, Object> values = new LinkedHashMap<>();
        texts.forEach((name, text) -> {
            ParameterSpec spec = byName.get(name);
            values.put(name, spec == null ? text : parse(spec, text.trim()));
        });
        return values;
    }

    private static Object parse(ParameterSpec spec, String text) {
        try {
            return switch (spec.type()) {
                case NUMBER -> Double.parseDouble(text);
                case INTEGER -> Long.parseLong(text);
                case BOOLEAN -> bool(text);
                case CHOICE -> text;
                case NUMBER_LIST -> numbers(text);
            };
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException("--param " + spec.name() + "=" + text + ": " + spec.name() + " takes "
                    + expected(spec), e);
        }
    }

    private static boolean bool(String text) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("not a boolean: " + text);
        }
        return text.equals("true");
    }

    private static List<Double> numbers(String text) {
        List<Double> numbers = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String element : text.split(",")) {
                numbers.add(Double.parseDouble(element.trim()));
            }
        }
        return numbers;
    }

    private static String expected(ParameterSpec spec) {
        return switch (spec.type()) {
            case NUMBER -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + spec.choices();
            case NUMBER_LIST -> "comma-separated numbers, e.g. 0.5,1,2";
        };
    }
}
