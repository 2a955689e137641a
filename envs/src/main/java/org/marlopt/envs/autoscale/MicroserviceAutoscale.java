package org.marlopt.envs.autoscale;

import java.util.ArrayList;
import java.util.List;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.comm.CommParameters;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * {@value #ID}: one agent per microservice of an application call graph sets its replica count;
 * the team pays for replicas and for end-to-end p99 latency above the SLO.
 */
public final class MicroserviceAutoscale implements EnvDefinition {

    public static final String ID = "MicroserviceAutoscale-v1";

    /** The default graph: Online Boutique without its load generator, in a topological order. */
    static final List<String> BOUTIQUE_SERVICES = List.of("frontend", "checkout", "recommendation", "ad", "cart",
            "productcatalog", "currency", "payment", "shipping", "email", "redis-cart");
    /** Seconds one replica (the manifests' 100m CPU request) works per call; illustrative. */
    static final List<Double> BOUTIQUE_DEMANDS = List.of(0.1, 0.08, 0.06, 0.04, 0.03, 0.02, 0.01, 0.02, 0.02, 0.04,
            0.006);
    static final List<Double> BOUTIQUE_FROM = List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0,
            1.0, 2.0, 4.0);
    static final List<Double> BOUTIQUE_TO = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0,
            5.0, 10.0);
    /** Calls per call of the caller; fractions are the share of frontend requests that make the call. */
    static final List<Double> BOUTIQUE_COUNTS = List.of(0.1, 0.5, 0.5, 1.0, 2.0, 3.0, 0.2, 2.0, 1.0, 2.0, 1.0, 2.0,
            1.0, 1.0, 1.0);

    // info keys, in declaration order; one utilization_<i> per service follows
    static final int COST = 0;
    static final int SLO_VIOLATION = 1;
    static final int P50_LATENCY = 2;
    static final int P99_LATENCY = 3;
    static final int CLAIRVOYANT_COST = 4;
    static final int USER_RATE = 5;
    static final int EPISODE_COST = 6;
    static final int EPISODE_SLO_VIOLATIONS = 7;
    static final int EPISODE_CLAIRVOYANT_COST = 8;
    static final int FIRST_UTILIZATION = 9;

    /** Per agent: desired, ready, starting replicas, utilisation, call rate, own latency, user rate. */
    static final int OBSERVATION_SIZE = 7;

    private static final List<ParameterSpec> PARAMETERS = declareParameters();

    /**
     * From mean returns at the defaults over 200 seeded episodes: zero (11 replicas of every
     * service) -290.9, hpa -151.8 (cheaper, but over the SLO in about 190 of 240 steps),
     * static-peak -83.8. Static-peak is the strongest classical policy, so it cannot also be the
     * naive one: zero, the static over-provisioning, is. No clairvoyant policy exists to bound them.
     */
    private static final ScoreReference SCORE_REFERENCE =
            new ScoreReference(ScoreReference.ZERO, StaticPeak.NAME, ScoreReference.REFERENCE);

    private static final String DESCRIPTION = """
            Microservice autoscaling: one agent per service of a call graph (default Online Boutique's 11 \
            services, load generator excluded: agent_0..agent_10 = frontend, checkout, recommendation, ad, \
            cart, productcatalog, currency, payment, shipping, email, redis-cart) sets its replica count. \
            A user request calls service 0 once; edge call_from[e] -> call_to[e] makes call_counts[e] calls \
            per call of the caller, one after another (integer part always, fraction with that probability). \
            A step is step_seconds of simulated time. Action a_i in [-1, 1] sets the desired replicas \
            round(min_replicas + (a_i + 1) / 2 * (max_replicas - min_replicas)); new replicas serve after \
            startup_delay (rounded up to whole steps), removed ones (starting first) stop at once. User rate: \
            peak_rate * (trough_fraction + (1 - trough_fraction) (1 - cos(2 pi t / period)) / 2) * (1 + \
            bursts), bursts Poisson (burst_rate per hour) of excess ~ Exponential(burst_size) decaying with \
            time constant burst_decay, all from the copy's seed; the rate of a step is that at its start. \
            fidelity analytic: each service an M/M/c queue (Erlang C) at call rate user rate * visits, \
            service time cpu_demands[i]; a call's latency L_s = T_s + its sequential calls' latencies, whose \
            mean and variance (counts' variance included) give the end-to-end p50 and p99 of the moment- \
            matched log-normal; a saturated service (rho >= 1) gives latency_cap. \
            fidelity des: a discrete-event simulation of the requests through FCFS queues with exponential \
            service, a replica not held while its call waits for its own calls, measuring the p50 and p99 of \
            the requests completed in the step (a call finding queue_capacity calls waiting fails and counts \
            as latency_cap; requests in flight carry over; removed busy replicas finish their call). \
            Reward (shared) = -reward_scale * (price_per_replica_step * (ready + \
            starting replicas) + slo_penalty * [p99 > slo]). Observation per agent: [desired, ready, \
            starting replicas, busy fraction of its ready replicas over the last step, its call rate, its \
            mean call latency, the user rate]; state: all agents' observations. Info: cost (replica cost), \
            slo_violation, p50_latency, p99_latency, clairvoyant_cost (replica cost of the fewest replicas \
            meeting the SLO at the step's rate under the analytic model, ignoring start-up; greedy marginal \
            analysis), user_rate, \
            episode_cost, episode_slo_violations, episode_clairvoyant_cost (sums over the episode so far), \
            utilization_<i> per service. Reset starts at the trough with the clairvoyant allocation ready and \
            the analytic model's measurements in the first observation. Defaults are illustrative (see \
            docs/environments.md): demands are seconds on a 100m-CPU replica; peak_rate 60 keeps a des step \
            near a millisecond; the p99 floor with unlimited replicas is 0.85 s, under the 1.0 s slo. \
            Never terminates; truncated at max_episode_steps. Message channel: ring, message_size 1.""";

    private static List<ParameterSpec> declareParameters() {
        List<ParameterSpec> specs = new ArrayList<>(List.of(
                ParameterSpec.numbers("cpu_demands", "Seconds one replica works per call, per service; service 0 "
                        + "is the entry. Default: Online Boutique, illustrative (a replica is the manifests' 100m "
                        + "CPU request, so a call's CPU time x 10).", BOUTIQUE_DEMANDS, 1e-6, 1e3, 1, 256),
                ParameterSpec.numbers("call_from", "Calling service of each edge (index).", BOUTIQUE_FROM, 0, 255, 0,
                        4096),
                ParameterSpec.numbers("call_to", "Called service of each edge (index > call_from).", BOUTIQUE_TO,
                        0, 255, 0, 4096),
                ParameterSpec.numbers("call_counts", "Calls per call of the caller along each edge; default "
                        + "illustrative, from Online Boutique's page mix.", BOUTIQUE_COUNTS, 0, 100, 0, 4096),
                ParameterSpec.number("step_seconds", "Simulated seconds per step (the HPA sync period).", 15, 1e-3,
                        3600),
                ParameterSpec.integer("min_replicas", "Fewest replicas of a service.", 1, 1, 10_000),
                ParameterSpec.integer("max_replicas", "Most replicas of a service.", 20, 1, 10_000),
                ParameterSpec.number("startup_delay", "Seconds before a new replica serves; rounded up to whole "
                        + "steps.", 30, 0, 86_400),
                ParameterSpec.number("peak_rate", "User requests per second at the diurnal peak (before bursts).",
                        60, 1e-6, 1e6),
                ParameterSpec.number("trough_fraction", "Rate at the trough as a fraction of peak_rate.", 0.2, 0, 1),
                ParameterSpec.number("period", "Seconds of one diurnal cycle (default: one compressed day per "
                        + "episode).", 3600, 1e-3, 1e9),
                ParameterSpec.number("burst_rate", "Burst onsets per simulated hour (Poisson).", 3, 0, 1e6),
                ParameterSpec.number("burst_size", "Mean excess rate of a burst, as a multiple of the diurnal "
                        + "rate.", 0.5, 0, 100),
                ParameterSpec.number("burst_decay", "Seconds for a burst's excess to fall by a factor e.", 120,
                        1e-3, 1e9),
                ParameterSpec.choice("fidelity", "analytic: M/M/c formulas; des: discrete-event simulation.",
                        "analytic", List.of("analytic", "des")),
                ParameterSpec.number("slo", "End-to-end p99 latency objective, seconds.", 1.0, 1e-6, 1e6),
                ParameterSpec.number("slo_penalty", "Cost of a step whose p99 exceeds slo.", 0.5, 0, 1e6),
                ParameterSpec.number("price_per_replica_step", "Cost of one replica (ready or starting) for one "
                        + "step.", 0.01, 0, 1e6),
                ParameterSpec.number("reward_scale", "Reward = -reward_scale * cost.", 1, 1e-9, 1e9),
                ParameterSpec.number("latency_cap", "Latency reported for a saturated service or a failed call, "
                        + "seconds; above slo.", 5, 1e-6, 1e6),
                ParameterSpec.integer("queue_capacity", "des only: calls a service holds waiting; one more fails.",
                        200, 1, 1_000_000),
                ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many steps.", 240, 1,
                        10_000_000)));
        specs.addAll(CommParameters.specs("ring", 1));
        return List.copyOf(specs);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        Settings settings = Settings.of(params);
        return ConfiguredEnv.of(spec(settings, params), () -> new MicroserviceAutoscaleCopy(settings))
                .withCopyFootprint(MicroserviceAutoscaleCopy.footprintBytes(settings));
    }

    private static EnvSpec spec(Settings settings, Parameters params) {
        int services = settings.graph().size();
        float infinity = Float.POSITIVE_INFINITY;
        float most = settings.maxReplicas();
        BoxSpace own = new BoxSpace(new int[] {OBSERVATION_SIZE}, new float[] {0, 0, 0, 0, 0, 0, 0},
                new float[] {most, most, most, 1, infinity, infinity, infinity});
        BoxSpace state = own;
        for (int s = 1; s < services; s++) {
            state = BoxSpace.concat(state, own);
        }
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .state(state)
                .maxEpisodeSteps(settings.maxEpisodeSteps())
                .info(InfoSpec.scalar("cost", "Replica cost of the step: price_per_replica_step * (ready + "
                        + "starting)."))
                .info(InfoSpec.scalar("slo_violation", "1 when the step's end-to-end p99 exceeds slo, else 0."))
                .info(InfoSpec.scalar("p50_latency", "End-to-end median latency of the step, seconds."))
                .info(InfoSpec.scalar("p99_latency", "End-to-end p99 latency of the step, seconds."))
                .info(InfoSpec.scalar("clairvoyant_cost", "Replica cost of the fewest replicas meeting the SLO "
                        + "at the step's rate (analytic model, no start-up delay)."))
                .info(InfoSpec.scalar("user_rate", "User requests per second in the step."))
                .info(InfoSpec.scalar("episode_cost", "Sum of cost over the episode so far."))
                .info(InfoSpec.scalar("episode_slo_violations", "Steps with slo_violation 1 in the episode so far."))
                .info(InfoSpec.scalar("episode_clairvoyant_cost", "Sum of clairvoyant_cost over the episode so far."))
                .comm(CommParameters.channel(params, services, -infinity, infinity))
                .scoreReference(SCORE_REFERENCE);
        for (int s = 0; s < services; s++) {
            builder.info(InfoSpec.scalar("utilization_" + s, "Busy fraction of service " + s + "'s ready "
                    + "replicas over the step."));
        }
        for (int s = 0; s < services; s++) {
            builder.agent("agent_" + s, own, BoxSpace.vector(1, -1f, 1f));
        }
        return builder.build();
    }

    /** The parameters, typed and checked together. */
    record Settings(CallGraph graph, double stepSeconds, int minReplicas, int maxReplicas, int startupSteps,
                    double peakRate, double troughFraction, double period, double burstRate, double burstSize,
                    double burstDecay, boolean discreteEvents, double slo, double sloPenalty, double price,
                    double rewardScale, double latencyCap, int queueCapacity, int maxEpisodeSteps) {

        static Settings of(Parameters params) {
            CallGraph graph = new CallGraph(params.numbers("cpu_demands"), params.numbers("call_from"),
                    params.numbers("call_to"), params.numbers("call_counts"));
            double stepSeconds = params.number("step_seconds");
            Settings settings = new Settings(graph, stepSeconds, params.integer("min_replicas"),
                    params.integer("max_replicas"), (int) Math.ceil(params.number("startup_delay") / stepSeconds),
                    params.number("peak_rate"), params.number("trough_fraction"), params.number("period"),
                    params.number("burst_rate"), params.number("burst_size"), params.number("burst_decay"),
                    params.choice("fidelity").equals("des"), params.number("slo"), params.number("slo_penalty"),
                    params.number("price_per_replica_step"), params.number("reward_scale"),
                    params.number("latency_cap"), params.integer("queue_capacity"),
                    params.integer("max_episode_steps"));
            settings.check();
            return settings;
        }

        private void check() {
            if (minReplicas > maxReplicas) {
                throw new EnvArgumentException("params.min_replicas", "min_replicas (" + minReplicas + ") exceeds "
                        + "max_replicas (" + maxReplicas + "); lower min_replicas or raise max_replicas");
            }
            if (latencyCap <= slo) {
                throw new EnvArgumentException("params.latency_cap", "latency_cap (" + latencyCap + ") must be "
                        + "above slo (" + slo + "), or a saturated service would not violate the SLO; raise "
                        + "latency_cap or lower slo");
            }
            long slots = (long) graph.size() * (maxReplicas + queueCapacity) * graph.maxVisitsPerRequest();
            if (discreteEvents && slots > 50_000_000L) {
                throw new EnvArgumentException("params.queue_capacity", "des needs services x (max_replicas + "
                        + "queue_capacity) x calls per request = " + slots + " call slots, over 50 million; lower "
                        + "queue_capacity or max_replicas, or use fidelity analytic");
            }
        }

        /** The desired replicas an action a in [-1, 1] asks for. */
        int desiredReplicas(float action) {
            return (int) Math.round(minReplicas + (action + 1) / 2.0 * (maxReplicas - minReplicas));
        }

        /** The action that asks for {@code replicas}, inverse of {@link #desiredReplicas}. */
        float action(int replicas) {
            return maxReplicas == minReplicas ? 0f
                    : (float) (2.0 * (replicas - minReplicas) / (maxReplicas - minReplicas) - 1);
        }

        ArrivalTrace newTrace() {
            return new ArrivalTrace(peakRate, troughFraction, period, burstRate, burstSize, burstDecay);
        }
    }
}
