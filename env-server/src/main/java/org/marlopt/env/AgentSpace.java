package org.marlopt.env;

/** One agent's name with what it observes and what it sends. */
public record AgentSpace(String name, BoxSpace observationSpace, BoxSpace actionSpace) {}
