package org.marlopt.env.param;

/** The kinds of value an environment parameter takes. */
public enum ParameterType {
    /** A finite real number in [min, max]. */
    NUMBER,
    /** A whole number in [min, max]. */
    INTEGER,
    BOOLEAN,
    /** One string from a fixed list of choices, such as a topology name. */
    CHOICE,
    /** A list of finite numbers, each in [min, max], its length in [minLength, maxLength]. */
    NUMBER_LIST
}
