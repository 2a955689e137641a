package org.marlopt.env;

import java.util.ArrayList;
import java.util.List;
import org.marlopt.env.comm.CommSpec;
import org.marlopt.env.param.Parameters;

/**
 * Everything about one copy of an environment that a learner needs: agents in their fixed order
 * with their spaces, the observation every agent shares, the global state, the step limit, the
 * parameters in force, the info arrays, the message channel, and what the environment offers
 * (reward gradient, a normalised score or the references that normalise its returns, success).
 * Build one with {@link #builder}.
 *
 * @param scoreKey info key holding the episode's normalised score (0 naive, 1 optimal) in the step
 *     that ends it, or null
 * @param scoreReference the policies that normalise the returns when there is no score key, or null
 * @param successKey info key that is 1 in the step that ends a successful episode, or null
 */
public record EnvSpec(
        String envId,
        List<AgentSpec> agents,
        BoxSpace sharedObservationSpace,
        BoxSpace stateSpace,
        int maxEpisodeSteps,
        Parameters params,
        List<InfoSpec> info,
        CommSpec comm,
        boolean rewardGradientAvailable,
        String scoreKey,
        ScoreReference scoreReference,
        String successKey) {

    public EnvSpec {
        agents = List.copyOf(agents);
        info = List.copyOf(info);
    }

    public int numAgents() {
        return agents.size();
    }

    /** The index of the info array named {@code key}, or -1. */
    public int infoIndex(String key) {
        for (int i = 0; i < info.size(); i++) {
            if (info.get(i).name().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    public static Builder builder(String envId, Parameters params) {
        return new Builder(envId, params);
    }

    /**
     * Collects what an environment declares about its own dynamics (agents with their own
     * observation and environment action, shared observation, state, info) and adds the message
     * channel's parts to every agent.
     */
    public static final class Builder {
        private final String envId;
        private final Parameters params;
        private final List<String> names = new ArrayList<>();
        private final List<BoxSpace> observations = new ArrayList<>();
        private final List<BoxSpace> actions = new ArrayList<>();
        private final List<InfoSpec> info = new ArrayList<>();
        private BoxSpace shared = BoxSpace.vector(0, 0f, 0f);
        private BoxSpace state;
        private int maxEpisodeSteps;
        private CommSpec comm = CommSpec.NONE;
        private boolean rewardGradient;
        private String scoreKey;
        private ScoreReference scoreReference;
        private String successKey;

        private Builder(String envId, Parameters params) {
            this.envId = envId;
            this.params = params;
        }

        /** An agent with its own observation (no inbox) and its environment action (no message). */
        public Builder agent(String name, BoxSpace ownObservation, BoxSpace action) {
            names.add(name);
            observations.add(ownObservation);
            actions.add(action);
            return this;
        }

        public Builder sharedObservation(BoxSpace space) {
            this.shared = space;
            return this;
        }

        public Builder state(BoxSpace space) {
            this.state = space;
            return this;
        }

        public Builder maxEpisodeSteps(int steps) {
            this.maxEpisodeSteps = steps;
            return this;
        }

        public Builder info(InfoSpec key) {
            info.add(key);
            return this;
        }

        public Builder comm(CommSpec channel) {
            this.comm = channel;
            return this;
        }

        public Builder rewardGradient(boolean available) {
            this.rewardGradient = available;
            return this;
        }

        /** The info key (size 1) holding the normalised score at an episode's end. */
        public Builder scoreKey(String key) {
            this.scoreKey = key;
            return this;
        }

        /** The policies whose returns score 0 and 1, for an environment without a score key. */
        public Builder scoreReference(ScoreReference reference) {
            this.scoreReference = reference;
            return this;
        }

        /** The info key (size 1) that is 1 at the end of a successful episode. */
        public Builder successKey(String key) {
            this.successKey = key;
            return this;
        }

        public EnvSpec build() {
            if (state == null || maxEpisodeSteps < 1 || names.isEmpty()) {
                throw new IllegalStateException("an EnvSpec needs agents, a state space and max episode steps >= 1");
            }
            for (String key : new String[] {scoreKey, successKey}) {
                if (key != null && info.stream().noneMatch(spec -> spec.name().equals(key) && spec.size() == 1)) {
                    throw new IllegalStateException("score or success key '" + key + "' is not a declared scalar info");
                }
            }
            if (scoreKey != null && scoreReference != null) {
                throw new IllegalStateException(envId + " declares both score key '" + scoreKey + "' and a score "
                        + "reference " + scoreReference + ": the score key already normalises its episodes, so "
                        + "drop the reference");
            }
            List<AgentSpec> agents = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                agents.add(withChannel(i));
            }
            return new EnvSpec(envId, agents, shared, state, maxEpisodeSteps, params, info, comm, rewardGradient,
                    scoreKey, scoreReference, successKey);
        }

        private AgentSpec withChannel(int agent) {
            BoxSpace own = observations.get(agent);
            BoxSpace action = actions.get(agent);
            List<Part> observationParts = new ArrayList<>(List.of(new Part(Part.OWN, 0, own.size())));
            List<Part> actionParts = new ArrayList<>(List.of(new Part(Part.ACTION, 0, action.size())));
            if (comm.enabled()) {
                BoxSpace inbox = comm.inboxSpace(agent);
                BoxSpace message = comm.messageSpace();
                observationParts.add(new Part(Part.INBOX, own.size(), inbox.size()));
                actionParts.add(new Part(Part.MESSAGE, action.size(), message.size()));
                own = BoxSpace.concat(own, inbox);
                action = BoxSpace.concat(action, message);
            }
            return new AgentSpec(names.get(agent), own, action, observationParts, actionParts);
        }
    }
}
