package org.marlopt.env.param;

import java.util.List;

/**
 * A parameter an environment accepts at creation: its type, default, bounds and a one-line
 * description. Build one with the factory methods; {@link Parameters#resolve} checks values
 * against it.
 *
 * @param defaultValue a Double, Long, Boolean, String or List of Double, matching {@code type};
 *     an empty list default means "derived from the other parameters", as the description says
 * @param min lower bound of a number, an integer or each list element (inclusive; Double.MIN_VALUE
 *     for "above 0")
 * @param max upper bound, likewise
 * @param choices the allowed strings of a CHOICE
 * @param minLength shortest allowed NUMBER_LIST
 * @param maxLength longest allowed NUMBER_LIST
 */
public record ParameterSpec(String name, String description, ParameterType type, Object defaultValue,
                            double min, double max, List<String> choices, int minLength, int maxLength) {

    public ParameterSpec {
        choices = List.copyOf(choices);
        if (defaultValue instanceof List<?> list) {
            defaultValue = List.copyOf(list);
        }
    }

    public static ParameterSpec number(String name, String description, double defaultValue, double min,
                                       double max) {
        return new ParameterSpec(name, description, ParameterType.NUMBER, defaultValue, min, max, List.of(), 0, 0);
    }

    public static ParameterSpec integer(String name, String description, long defaultValue, long min, long max) {
        return new ParameterSpec(name, description, ParameterType.INTEGER, defaultValue, min, max, List.of(), 0, 0);
    }

    public static ParameterSpec bool(String name, String description, boolean defaultValue) {
        return new ParameterSpec(name, description, ParameterType.BOOLEAN, defaultValue, 0, 0, List.of(), 0, 0);
    }

    public static ParameterSpec choice(String name, String description, String defaultValue, List<String> choices) {
        return new ParameterSpec(name, description, ParameterType.CHOICE, defaultValue, 0, 0, choices, 0, 0);
    }

    /** A list of numbers each in [min, max] with a length in [minLength, maxLength]. */
    public static ParameterSpec numbers(String name, String description, List<Double> defaultValue, double min,
                                        double max, int minLength, int maxLength) {
        return new ParameterSpec(name, description, ParameterType.NUMBER_LIST, defaultValue, min, max, List.of(),
                minLength, maxLength);
    }
}
