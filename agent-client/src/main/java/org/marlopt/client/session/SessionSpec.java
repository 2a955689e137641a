package org.marlopt.client.session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Objects;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.comm.CommGraph;
import org.marlopt.env.comm.CommSpec;

/**
 * What a session is, as the server resolved it at Make: one copy's {@link EnvSpec} (agents with
 * their spaces and parts, shared observation, state, info keys with sizes, score and success keys,
 * message channel, parameters in force) and the session's options. Sizes are per copy.
 *
 * <p>What agent i observes, a policy's input, is the shared observation followed by its own:
 * {@link #observationSize(int)} = {@link #sharedSize()} + {@link #ownSize(int)}. Its action is
 * {@link #actionSize(int)} values: the environment action ({@link #envActionSize(int)}), then its
 * outgoing message when the environment has a message channel. Agents may differ in sizes (an
 * Erdos-Renyi graph gives them inboxes of different lengths).
 *
 * @param numEnvs copies stepped together
 * @param rewardGradient whether every step returns d reward / d action
 */
public record SessionSpec(EnvSpec env, int numEnvs, boolean rewardGradient) {

    public String envId() {
        return env.envId();
    }

    public int numAgents() {
        return env.numAgents();
    }

    public List<String> agentNames() {
        return env.agents().stream().map(AgentSpec::name).toList();
    }

    public AgentSpec agent(int agent) {
        return env.agents().get(agent);
    }

    public int sharedSize() {
        return env.sharedObservationSpace().size();
    }

    public int ownSize(int agent) {
        return agent(agent).observationSpace().size();
    }

    public int observationSize(int agent) {
        return sharedSize() + ownSize(agent);
    }

    public int actionSize(int agent) {
        return agent(agent).actionSpace().size();
    }

    public int envActionSize(int agent) {
        return agent(agent).envActionSize();
    }

    /** The largest observation of any agent. */
    public int maxObservationSize() {
        int max = 0;
        for (int agent = 0; agent < numAgents(); agent++) {
            max = Math.max(max, observationSize(agent));
        }
        return max;
    }

    /** The largest action of any agent. */
    public int maxActionSize() {
        int max = 0;
        for (int agent = 0; agent < numAgents(); agent++) {
            max = Math.max(max, actionSize(agent));
        }
        return max;
    }

    public int stateSize() {
        return env.stateSpace().size();
    }

    public int maxEpisodeSteps() {
        return env.maxEpisodeSteps();
    }

    /** The info key that holds an episode's normalised score at its end, or null when there is none. */
    public String scoreKey() {
        return env.scoreKey();
    }

    /** The policies whose returns score 0 and 1 when there is no score key, or null when none is declared. */
    public ScoreReference scoreReference() {
        return env.scoreReference();
    }

    /** The info key that is 1 at the end of a successful episode, or null when success is not defined. */
    public String successKey() {
        return env.successKey();
    }

    /**
     * Whether {@code other}'s sessions are of the same environment, spaces, keys and message
     * channel, with the same reward-gradient option (the number of copies aside). Not
     * {@code env().equals}: a message graph has identity equality, so two Makes never give equal
     * specs; graphs are compared by their edges.
     */
    public boolean sameEnv(SessionSpec other) {
        return rewardGradient == other.rewardGradient && sameComponents(env, other.env);
    }

    /** Equal record components, the message channel's compared so too, its graph by the edges. */
    private static boolean sameComponents(Record a, Record b) {
        for (RecordComponent component : a.getClass().getRecordComponents()) {
            Object x = value(component, a);
            Object y = value(component, b);
            boolean same = x instanceof CommSpec channel && y instanceof CommSpec other ? sameComponents(channel, other)
                    : x instanceof CommGraph graph && y instanceof CommGraph other ? graph.edges().equals(other.edges())
                    : Objects.equals(x, y);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of " + record.getClass(), e);
        }
    }
}
