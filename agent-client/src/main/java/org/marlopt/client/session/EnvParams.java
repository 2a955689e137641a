package org.marlopt.client.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.marlopt.client.DidYouMean;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.NumberList;
import org.marlopt.proto.env.v2.ParameterInfo;
import org.marlopt.proto.env.v2.ParameterValue;

/**
 * Environment parameters as a user writes them ({@code 8}, {@code 0.5}, {@code true},
 * {@code ring}, {@code 1,2,3}), typed against the parameters the server declares
 * (ListEnvironments). A wrong name or value fails here, before any session is made, with a message
 * naming the parameter, its type and bounds, and the closest declared name or choice. The server
 * still checks what declarations cannot express (combinations such as param_dim divisible by
 * num_agents) when the session is made.
 */
public final class EnvParams {

    private EnvParams() {}

    /**
     * The given parameters as protocol values, in the given order.
     *
     * @param given parameter name -> text
     * @throws IllegalArgumentException for an undeclared name or a value that does not fit its declaration
     */
    public static Map<String, ParameterValue> parse(EnvironmentInfo env, Map<String, String> given) {
        Map<String, ParameterInfo> declared = declarations(env);
        Map<String, ParameterValue> values = new LinkedHashMap<>();
        given.forEach((name, text) -> {
            ParameterInfo info = declared.get(name);
            if (info == null) {
                String hint = didYouMean(name, declared.keySet());
                throw new IllegalArgumentException("unknown parameter '" + name + "' for " + env.getId() + "; "
                        + (hint.isEmpty() ? "" : hint + " ") + "its parameters are " + declared.keySet()
                        + " ('agent-client envs' lists them with their types and bounds)");
            }
            values.put(name, parse(env.getId(), info, text));
        });
        return values;
    }

    /** Every declared parameter with the value in force: the given ones, else the defaults. */
    public static Map<String, Object> resolve(EnvironmentInfo env, Map<String, String> given) {
        Map<String, ParameterValue> parsed = parse(env, given);
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (ParameterInfo info : env.getParametersList()) {
            resolved.put(info.getName(), toJava(parsed.getOrDefault(info.getName(), info.getDefaultValue())));
        }
        return resolved;
    }

    /** One value: a Double, Long, Boolean, String or List of Double. */
    public static Object toJava(ParameterValue value) {
        return switch (value.getKindCase()) {
            case NUMBER -> value.getNumber();
            case INTEGER -> value.getInteger();
            case BOOLEAN -> value.getBoolean();
            case TEXT -> value.getText();
            case NUMBERS -> List.copyOf(value.getNumbers().getValuesList());
            case KIND_NOT_SET -> null;
        };
    }

    /** A one-line declaration, e.g. "integer in [2, 1024], default 8". */
    public static String describe(ParameterInfo info) {
        String type = switch (info.getType()) {
            case PARAMETER_TYPE_NUMBER -> "number" + bounds(info);
            case PARAMETER_TYPE_INTEGER -> "integer" + bounds(info);
            case PARAMETER_TYPE_BOOLEAN -> "boolean (true or false)";
            case PARAMETER_TYPE_CHOICE -> "choice of " + info.getChoicesList();
            case PARAMETER_TYPE_NUMBER_LIST -> "list of " + lengths(info) + " comma-separated numbers" + bounds(info);
            case PARAMETER_TYPE_UNSPECIFIED, UNRECOGNIZED -> "parameter of unknown type " + info.getTypeValue();
        };
        return type + ", default " + format(info.getDefaultValue());
    }

    private static ParameterValue parse(String envId, ParameterInfo info, String raw) {
        String text = raw == null ? "" : raw.trim();
        ParameterValue.Builder value = ParameterValue.newBuilder();
        switch (info.getType()) {
            case PARAMETER_TYPE_NUMBER -> value.setNumber(number(envId, info, text, text));
            case PARAMETER_TYPE_INTEGER -> value.setInteger(integer(envId, info, text));
            case PARAMETER_TYPE_BOOLEAN -> {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw bad(envId, info, text, "");
                }
                value.setBoolean(Boolean.parseBoolean(text));
            }
            case PARAMETER_TYPE_CHOICE -> {
                if (!info.getChoicesList().contains(text)) {
                    throw bad(envId, info, text, didYouMean(text, info.getChoicesList()));
                }
                value.setText(text);
            }
            case PARAMETER_TYPE_NUMBER_LIST -> value.setNumbers(numbers(envId, info, text));
            case PARAMETER_TYPE_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("parameter '"
                    + info.getName() + "' of " + envId + " has a type this client does not know ("
                    + info.getTypeValue() + "); update the client");
        }
        return value.build();
    }

    private static double number(String envId, ParameterInfo info, String text, String whole) {
        double number;
        try {
            number = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw bad(envId, info, whole, "");
        }
        if (!Double.isFinite(number) || number < info.getMin() || number > info.getMax()) {
            throw bad(envId, info, whole, "");
        }
        return number;
    }

    private static long integer(String envId, ParameterInfo info, String text) {
        double number = number(envId, info, text, text);
        if (number != Math.rint(number)) {
            throw bad(envId, info, text, "");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return (long) number; // written as 1e3 or 8.0
        }
    }

    private static NumberList numbers(String envId, ParameterInfo info, String text) {
        String inner = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        NumberList.Builder list = NumberList.newBuilder();
        if (!inner.isBlank()) {
            for (String element : inner.split(",")) {
                list.addValues(number(envId, info, element.trim(), text));
            }
        }
        boolean derivedDefault = list.getValuesCount() == 0 && info.getDefaultValue().getNumbers().getValuesCount() == 0;
        if (!derivedDefault && (list.getValuesCount() < info.getMinLength()
                || list.getValuesCount() > info.getMaxLength())) {
            throw bad(envId, info, text, "got " + list.getValuesCount() + " numbers");
        }
        return list.build();
    }

    private static IllegalArgumentException bad(String envId, ParameterInfo info, String text, String hint) {
        return new IllegalArgumentException("bad value '" + text + "' for parameter '" + info.getName() + "' of "
                + envId + " (" + describe(info) + ")" + (hint.isEmpty() ? "" : "; " + hint));
    }

    /** "did you mean 'x'?" for the candidate closest to {@code name}, or "" when none is close. */
    static String didYouMean(String name, Collection<String> candidates) {
        return DidYouMean.hint(name, candidates);
    }

    private static Map<String, ParameterInfo> declarations(EnvironmentInfo env) {
        Map<String, ParameterInfo> declared = new LinkedHashMap<>();
        env.getParametersList().forEach(info -> declared.put(info.getName(), info));
        return declared;
    }

    /** " in [min, max]", " >= min", " <= max" or "" ({@code Double.MIN_VALUE} reads as "greater than 0"). */
    private static String bounds(ParameterInfo info) {
        boolean positive = info.getMin() > 0 && info.getMin() < 1e-300;
        boolean low = positive || info.getMin() > -1e15;
        boolean high = info.getMax() < 1e15;
        if (low && high) {
            return " in " + (positive ? "(0" : "[" + format(info.getMin())) + ", " + format(info.getMax()) + "]";
        }
        if (low) {
            return positive ? " > 0" : " >= " + format(info.getMin());
        }
        return high ? " <= " + format(info.getMax()) : "";
    }

    private static String lengths(ParameterInfo info) {
        return info.getMinLength() == info.getMaxLength() ? Integer.toString(info.getMinLength())
                : info.getMinLength() + " to " + info.getMaxLength();
    }

    private static String format(ParameterValue value) {
        Object java = toJava(value);
        if (java instanceof List<?> list) {
            List<String> elements = new ArrayList<>();
            list.forEach(element -> elements.add(format((Double) element)));
            return elements.isEmpty() ? "[] (derived from the other parameters)" : String.join(",", elements);
        }
        return java instanceof Double number ? format(number) : String.valueOf(java);
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
