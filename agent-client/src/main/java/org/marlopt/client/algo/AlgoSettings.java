package org.marlopt.client.algo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds an algorithm's settings ({@code algo.NAME=VALUE}, as text) onto its hyperparameter record:
 * every component keeps its default unless a setting names it. Written here rather than taken from
 * a configuration library because the record itself is the schema (names, types, defaults), and the
 * errors must name the {@code algo.} setting and list the valid ones, which a generic binder would not.
 */
public final class AlgoSettings {

    private AlgoSettings() {}

    /**
     * {@code defaults} with {@code settings} applied.
     *
     * @throws IllegalArgumentException naming the setting, when one is unknown or its value malformed, or when the
     *     record's own checks refuse the result
     */
    public static <R extends Record> R bind(String algorithm, R defaults, Map<String, String> settings) {
        Map<String, Object> values = toMap(defaults);
        for (var setting : settings.entrySet()) {
            String name = setting.getKey();
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown setting 'algo." + name + "' for algorithm " + algorithm
                        + (values.isEmpty() ? ", which has no settings of its own"
                                : "; its settings: " + String.join(", ", values.keySet().stream()
                                        .map(key -> "algo." + key).toList())));
            }
            values.put(name, parse(algorithm, name, setting.getValue(), values.get(name).getClass()));
        }
        RecordComponent[] components = defaults.getClass().getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = values.get(components[i].getName());
        }
        try {
            @SuppressWarnings("unchecked")
            R bound = (R) defaults.getClass().getDeclaredConstructor(types).newInstance(args);
            return bound;
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new IllegalArgumentException(algorithm + ": " + invalid.getMessage(), invalid);
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record's components by name, in declaration order (what config.json records). */
    public static Map<String, Object> toMap(Record record) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            try {
                map.put(component.getName(), component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return map;
    }

    private static Object parse(String algorithm, String name, String text, Class<?> type) {
        String value = text.trim();
        try {
            if (type == Integer.class) {
                return Integer.valueOf(value);
            } else if (type == Long.class) {
                return Long.valueOf(value);
            } else if (type == Double.class) {
                return Double.valueOf(value);
            } else if (type == Boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new NumberFormatException();
                }
                return Boolean.valueOf(value);
            }
            return value;
        } catch (NumberFormatException e) {
            String expected = type == Double.class ? "a number" : type == Boolean.class ? "true or false"
                    : "a whole number";
            throw new IllegalArgumentException("setting 'algo." + name + "' of algorithm " + algorithm + " must be "
                    + expected + ", got '" + value + "'");
        }
    }
}
