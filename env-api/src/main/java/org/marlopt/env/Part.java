package org.marlopt.env;

/** A named run of {@code size} consecutive elements starting at {@code offset} in a flat vector. */
public record Part(String name, int offset, int size) {

    public static final String OWN = "own";
    public static final String INBOX = "inbox";
    public static final String ACTION = "action";
    public static final String MESSAGE = "message";

    public int end() {
        return offset + size;
    }
}
