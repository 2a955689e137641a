package org.marlopt.env;

/** A per-copy diagnostic array of {@code size} values that every reset and step reports. */
public record InfoSpec(String name, String description, int size) {

    public static InfoSpec scalar(String name, String description) {
        return new InfoSpec(name, description, 1);
    }
}
