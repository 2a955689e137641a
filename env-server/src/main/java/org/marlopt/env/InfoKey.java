package org.marlopt.env;

/** A per-copy diagnostic an environment reports with every reset and step. */
public record InfoKey(String name, String description) {}
