package org.marlopt.env;

import java.util.List;

/**
 * One agent's interface: its own observation (without the part every agent shares) and its
 * action, each with its named parts. With a message channel the observation ends with the
 * {@value Part#INBOX} part and the action with the {@value Part#MESSAGE} part.
 */
public record AgentSpec(String name, BoxSpace observationSpace, BoxSpace actionSpace,
                        List<Part> observationParts, List<Part> actionParts) {

    public AgentSpec {
        observationParts = List.copyOf(observationParts);
        actionParts = List.copyOf(actionParts);
    }

    /** The named part, or {@code null} when the agent has none of that name. */
    public Part observationPart(String partName) {
        return find(observationParts, partName);
    }

    public Part actionPart(String partName) {
        return find(actionParts, partName);
    }

    /** Values of the environment action, without the message. */
    public int envActionSize() {
        return actionPart(Part.ACTION).size();
    }

    private static Part find(List<Part> parts, String partName) {
        return parts.stream().filter(part -> part.name().equals(partName)).findFirst().orElse(null);
    }
}
