package org.marlopt.env;

/**
 * A caller's input was invalid: the message says what was wrong and how to fix it, and
 * {@link #field()} names the input at fault as a request path such as {@code actions[2].values}.
 * The environment is unchanged.
 */
public class EnvArgumentException extends IllegalArgumentException {

    private final String field;

    public EnvArgumentException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
