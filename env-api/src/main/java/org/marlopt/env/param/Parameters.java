package org.marlopt.env.param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.env.EnvArgumentException;

/**
 * Parameter values checked against an environment's declared {@link ParameterSpec}s, every
 * declared parameter present (defaults filled in). Immutable. Values are Double (NUMBER), Long
 * (INTEGER), Boolean, String (CHOICE) or an unmodifiable List of Double (NUMBER_LIST).
 */
public final class Parameters {

    private final Map<String, Object> values;

    private Parameters(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Checks {@code given} against {@code specs} and fills in defaults. A given value may be a
     * Number for NUMBER and INTEGER (an integer must be whole), a Boolean, a String, or a List of
     * Numbers.
     *
     * @throws EnvArgumentException naming {@code params.<name>} for an unknown name, a wrong type,
     *     a value out of bounds or not among the choices
     */
    public static Parameters resolve(List<ParameterSpec> specs, Map<String, ?> given) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new EnvArgumentException("params." + name, "unknown parameter '" + name + "'; accepted: "
                        + byName.keySet() + " (ListEnvironments lists them with their types and bounds)");
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ParameterSpec spec : specs) {
            Object value = given.containsKey(spec.name()) ? given.get(spec.name()) : spec.defaultValue();
            resolved.put(spec.name(), check(spec, value));
        }
        return new Parameters(resolved);
    }

    /** The values in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    public double number(String name) {
        return (Double) get(name, ParameterType.NUMBER);
    }

    /** An INTEGER parameter; its bounds are declared within int range. */
    public int integer(String name) {
        return Math.toIntExact((Long) get(name, ParameterType.INTEGER));
    }

    public boolean bool(String name) {
        return (Boolean) get(name, ParameterType.BOOLEAN);
    }

    public String choice(String name) {
        return (String) get(name, ParameterType.CHOICE);
    }

    /** A NUMBER_LIST as a fresh array (empty when the default "derived" list is in force). */
    public double[] numbers(String name) {
        @SuppressWarnings("unchecked")
        List<Double> list = (List<Double>) get(name, ParameterType.NUMBER_LIST);
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private Object get(String name, ParameterType type) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' is declared");
        }
        if (!typeOf(value).equals(type)) {
            throw new IllegalArgumentException("parameter '" + name + "' is a " + typeOf(value) + ", not a " + type);
        }
        return value;
    }

    private static ParameterType typeOf(Object value) {
        if (value instanceof Double) {
            return ParameterType.NUMBER;
        } else if (value instanceof Long) {
            return ParameterType.INTEGER;
        } else if (value instanceof Boolean) {
            return ParameterType.BOOLEAN;
        } else if (value instanceof String) {
            return ParameterType.CHOICE;
        }
        return ParameterType.NUMBER_LIST;
    }

    private static Object check(ParameterSpec spec, Object value) {
        String field = "params." + spec.name();
        String name = spec.name();
        return switch (spec.type()) {
            case NUMBER -> {
                double number = finiteNumber(field, name, value);
                requireInBounds(field, name, number, spec);
                yield number;
            }
            case INTEGER -> {
                double number = finiteNumber(field, name, value);
                if (number != Math.rint(number)) {
                    throw new EnvArgumentException(field, name + " must be a whole number, got " + value);
                }
                requireInBounds(field, name, number, spec);
                yield (long) number;
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean bool)) {
                    throw new EnvArgumentException(field, name + " must be true or false, got " + describe(value));
                }
                yield bool;
            }
            case CHOICE -> {
                if (!(value instanceof String text) || !spec.choices().contains(text)) {
                    throw new EnvArgumentException(field, name + " must be one of " + spec.choices() + ", got "
                            + describe(value));
                }
                yield text;
            }
            case NUMBER_LIST -> numberList(spec, field, value);
        };
    }

    private static List<Double> numberList(ParameterSpec spec, String field, Object value) {
        String name = spec.name();
        if (!(value instanceof List<?> list)) {
            throw new EnvArgumentException(field, name + " must be a list of numbers, got " + describe(value));
        }
        boolean derivedDefault = list.isEmpty() && list.equals(spec.defaultValue());
        if (!derivedDefault && (list.size() < spec.minLength() || list.size() > spec.maxLength())) {
            throw new EnvArgumentException(field, name + " must have " + spec.minLength()
                    + (spec.minLength() == spec.maxLength() ? "" : " to " + spec.maxLength()) + " numbers, got "
                    + list.size());
        }
        List<Double> numbers = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            double number = finiteNumber(field, name + "[" + i + "]", list.get(i));
            requireInBounds(field, name + "[" + i + "]", number, spec);
            numbers.add(number);
        }
        return List.copyOf(numbers);
    }

    private static double finiteNumber(String field, String name, Object value) {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new EnvArgumentException(field, name + " must be a finite number, got " + describe(value));
        }
        return number.doubleValue();
    }

    private static void requireInBounds(String field, String name, double value, ParameterSpec spec) {
        if (value < spec.min() || value > spec.max()) {
            throw new EnvArgumentException(field, name + " must be in " + range(spec) + ", got " + format(value));
        }
    }

    /** The bounds as a user reads them: a minimum of Double.MIN_VALUE is how a spec says "above 0". */
    private static String range(ParameterSpec spec) {
        String low = spec.min() == Double.MIN_VALUE ? "(0" : "[" + format(spec.min());
        return low + ", " + format(spec.max()) + "]";
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String describe(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Parameters parameters && values.equals(parameters.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
