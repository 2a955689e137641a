package org.marlopt.env;

/** A parameter an environment accepts at creation, with its default. */
public record ParameterSpec(String name, String description, double defaultValue, boolean integer) {}
