package org.marlopt.envs.loadbalance;

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
import org.marlopt.env.comm.CommSpec;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * {@value #ID}: K dispatchers route Poisson arrivals of Pareto-sized jobs to N heterogeneous FIFO
 * servers, the team minimising the total time jobs spend in the system. Mode {@code park} is the
 * Park platform's single-dispatcher, one-decision-per-job environment (park-project/park,
 * park/envs/load_balance/load_balance.py, defaults from park/param.py).
 */
public final class LoadBalance implements EnvDefinition {

    public static final String ID = "LoadBalance-v1";
    public static final String MULTI = "multi";
    public static final String PARK = "park";
    public static final String WEIGHTED_RANDOM = "weighted_random";
    public static final String WEIGHTED_ROUND_ROBIN = "weighted_round_robin";
    public static final String WEIGHTS = "weights";
    public static final String LOG_WEIGHTS = "log_weights";

    /** Park's load_balance_obs_high: Park caps every observed value here. */
    static final float PARK_OBSERVATION_CAP = 50_000f;

    static final int MEAN_RESPONSE_TIME = 0;
    static final int P99_RESPONSE_TIME = 1;
    static final int JOBS_COMPLETED = 2;
    static final int JOBS_IN_SYSTEM = 3;
    static final int EPISODE_MEAN_RESPONSE_TIME = 4;
    static final int EPISODE_P99_RESPONSE_TIME = 5;
    static final int EPISODE_JOBS_COMPLETED = 6;
    static final int EPISODE_TIME_IN_SYSTEM = 7;
    /** Multi mode only: an array, one busy fraction per server. */
    static final int UTILISATION = 8;

    private static final List<Double> PARK_SERVICE_RATES =
            List.of(0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.05);

    /** Jobs per server the copy footprint estimate allows for (a ring of this many, doubled while growing). */
    static final int QUEUED_JOBS_ESTIMATE = 256;

    private static final List<ParameterSpec> PARAMETERS = declareParameters();

    /**
     * Multi mode's references, from mean returns at the defaults over 200 seeded episodes:
     * round-robin (as zero: uniform weights) -1.30e6, proportional -7.69e5, power-of-two -6.28e5,
     * jsq -3.66e5, least-work-left -3.39e5. Round-robin overloads the slow servers at load 0.9, so
     * the rate-proportional split is the naive policy; least-work-left is the strongest policy on
     * stale values (jsq-fresh needs fresh_information). Park mode declares none: no classical
     * policy drives it.
     */
    private static final ScoreReference MULTI_SCORE_REFERENCE =
            new ScoreReference(Proportional.NAME, LeastWorkLeft.NAME, ScoreReference.REFERENCE);

    private static final String DESCRIPTION = """
            Load balancing across heterogeneous servers (after Park's load_balance). N FIFO \
            single-server queues with service rates mu_j (default Park's 0.15, 0.25, .., 1.05); a job \
            of size s takes s / mu_j on server j. Jobs arrive as a Poisson process of total rate \
            lambda = load * sum(mu) / E[size], each reaching one of K dispatchers (one agent each) \
            uniformly at random; sizes are Pareto(job_size_shape, job_size_scale), mean \
            shape * scale / (shape - 1) = 300 by default. Arrivals and routing draw from two streams \
            split from the copy's random at reset, so a seed fixes the job sequence whatever the \
            policy. A step is an epoch of epoch time units (default 50: about 0.9 arrivals in the \
            whole system per epoch at the defaults, so decisions are close to per job). Action of \
            dispatcher k: routing weights in [0, 1]^N (normalised; all zero = uniform), or with \
            action_encoding log_weights log-weights a in [-1, 1]^N, weight exp(log_weight_range \
            (a - 1)) and 0 at a = -1; then the message; each of its jobs in the epoch goes to a server drawn by the weights \
            (routing weighted_random) or by nginx's smooth weighted round robin (routing \
            weighted_round_robin, deterministic, its counters kept across epochs). Own observation \
            of dispatcher k: [queue length (jobs in system) of each server, unfinished work in time \
            units (work / mu_j) of each server]; fresh for the servers it owns (j mod K = k), the \
            values at the end of the previous epoch for the others (fresh for all with \
            fresh_information). No shared observation; state: the fresh values of every server. \
            Shared reward: -reward_scale times the integral over the epoch of the number of jobs \
            in the system, so a return is minus the total time jobs spent in the system. Never \
            terminates; truncated at max_episode_steps (default 500, about 450 jobs). Info: \
            per epoch mean_response_time, p99_response_time and jobs_completed of the jobs \
            completed in it (0 when none), jobs_in_system at its end, utilisation (busy fraction \
            of each server in it); over the episode so far episode_mean_response_time, \
            episode_p99_response_time (HdrHistogram, 2 significant digits), \
            episode_jobs_completed and episode_time_in_system; jobs still queued at the end are not \
            completed. Mode park: Park's environment exactly, one agent, one step per arriving \
            job: observation [work of each server in size units (queued sizes plus (finish - now) \
            * mu_j of the running job), the arriving job's size], each capped at 50000; action \
            scores in [0, 1]^N whose argmax (lowest index on ties) is the server; reward minus \
            jobs x time until the next arrival (until the system empties after the last job); \
            integer times as in Park: gaps floor(Exp(job_interval)), sizes floor(Pareto), service \
            times floor(s / mu_j); at equal times arrivals come before completions; the episode \
            terminates after num_stream_jobs jobs (also its max_episode_steps); no utilisation, no \
            channel; load, epoch, routing, fresh_information, num_dispatchers and \
            max_episode_steps do not apply. No reset options. Message channel (multi): ring, \
            message_size 2, unbounded values.""";

    private static List<ParameterSpec> declareParameters() {
        List<ParameterSpec> specs = new ArrayList<>(List.of(
                ParameterSpec.choice("mode", "multi: K dispatchers deciding per epoch; park: Park's single "
                        + "dispatcher deciding per job.", MULTI, List.of(MULTI, PARK)),
                ParameterSpec.integer("num_dispatchers", "K dispatchers, one agent each; dispatcher k owns the "
                        + "servers j with j mod K = k. At most the number of servers.", 4, 1, 1024),
                ParameterSpec.numbers("service_rates", "mu_j of each server: a job of size s takes s / mu_j.",
                        PARK_SERVICE_RATES, 1e-6, 1e6, 1, 1024),
                ParameterSpec.number("load", "lambda E[size] / sum(mu): the offered load (multi mode).", 0.9, 0.01,
                        0.99),
                ParameterSpec.number("job_size_shape", "Pareto shape alpha of job sizes (> 1: finite mean).", 1.5,
                        1.01, 100),
                ParameterSpec.number("job_size_scale", "Pareto scale x_m: the least job size.", 100, 1e-6, 1e9),
                ParameterSpec.number("epoch", "Simulated time per step (multi mode).", 50, 1e-6, 1e9),
                ParameterSpec.choice("routing", "How a dispatcher spreads its jobs by its weights (multi mode).",
                        WEIGHTED_RANDOM, List.of(WEIGHTED_RANDOM, WEIGHTED_ROUND_ROBIN)),
                ParameterSpec.choice("action_encoding", "weights: the action is the routing weights, in "
                        + "[0, 1]; log_weights: log-weights in [-1, 1], weight exp(log_weight_range (a - 1)), "
                        + "none at -1 (multi mode).", WEIGHTS, List.of(WEIGHTS, LOG_WEIGHTS)),
                ParameterSpec.number("log_weight_range", "Under log_weights, the largest weight is "
                        + "exp(2 log_weight_range) times the least non-zero one.", 5, 0.1, 20),
                ParameterSpec.bool("fresh_information", "Every dispatcher sees fresh values of every server "
                        + "(multi mode; the full-information bound).", false),
                ParameterSpec.number("reward_scale", "The reward is -reward_scale * jobs x time.", 1, 1e-12, 1e12),
                ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many epochs (multi "
                        + "mode).", 500, 1, 1_000_000),
                ParameterSpec.integer("num_stream_jobs", "Jobs per episode (park mode; Park's default).", 1000, 1,
                        10_000_000),
                ParameterSpec.number("job_interval", "Mean gap between arrivals, before flooring (park mode; "
                        + "Park's default).", 55, 1, 1e9)));
        specs.addAll(CommParameters.specs("ring", 2));
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
        EnvSpec spec = spec(settings, params);
        if (settings.parkMode()) {
            return ConfiguredEnv.of(spec, () -> new ParkLoadBalanceCopy(settings, new ParkJobs(settings)))
                    .withCopyFootprint(copyFootprintBytes(settings));
        }
        return ConfiguredEnv.of(spec, () -> new LoadBalanceCopy(settings, new PoissonParetoJobs(
                settings.arrivalRate(), settings.jobSizeShape(), settings.jobSizeScale(), settings.numDispatchers())))
                .withCopyFootprint(copyFootprintBytes(settings));
    }

    /**
     * An estimate of one copy's heap, either mode: per server its job ring (arrival and
     * departure or size, two doubles per queued job, sized for {@link #QUEUED_JOBS_ESTIMATE}
     * jobs and the doubling that grows it) and its statistics, per dispatcher its weights and
     * counters over the servers. The rings grow with the queues, so a policy that piles jobs on
     * a few servers for a whole long episode can hold more.
     */
    static long copyFootprintBytes(Settings settings) {
        long servers = settings.numServers();
        long ringBytes = 3L * QUEUED_JOBS_ESTIMATE * Double.BYTES; // two rings of doubles, 1.5x while growing
        long perServer = ringBytes + 7L * Double.BYTES + 96;
        long perDispatcher = 2 * servers * Double.BYTES + 64;
        return 2048 + servers * perServer + settings.numDispatchers() * perDispatcher;
    }

    static EnvSpec spec(Settings settings, Parameters params) {
        return settings.parkMode() ? parkSpec(settings, params) : multiSpec(settings, params);
    }

    private static EnvSpec multiSpec(Settings settings, Parameters params) {
        int numServers = settings.numServers();
        float infinity = Float.POSITIVE_INFINITY;
        BoxSpace serverValues = BoxSpace.vector(2 * numServers, 0f, infinity);
        EnvSpec.Builder builder = commonInfo(EnvSpec.builder(ID, params))
                .info(new InfoSpec("utilisation", "Busy fraction of each server in the epoch.", numServers))
                .scoreReference(MULTI_SCORE_REFERENCE)
                .state(serverValues)
                .maxEpisodeSteps(settings.maxEpisodeSteps())
                .comm(CommParameters.channel(params, settings.numDispatchers(), -infinity, infinity));
        for (int k = 0; k < settings.numDispatchers(); k++) {
            builder.agent("dispatcher_" + k, serverValues,
                    BoxSpace.vector(numServers, settings.encoding().lowestAction(), 1f));
        }
        return builder.build();
    }

    private static EnvSpec parkSpec(Settings settings, Parameters params) {
        int numServers = settings.numServers();
        BoxSpace observation = BoxSpace.vector(numServers + 1, 0f, PARK_OBSERVATION_CAP);
        return commonInfo(EnvSpec.builder(ID, params))
                .state(observation)
                .maxEpisodeSteps(settings.numStreamJobs())
                .comm(CommSpec.NONE)
                .agent("dispatcher_0", observation, BoxSpace.vector(numServers, 0f, 1f))
                .build();
    }

    /** The info keys both modes report, in the order of the index constants. */
    private static EnvSpec.Builder commonInfo(EnvSpec.Builder builder) {
        return builder
                .info(InfoSpec.scalar("mean_response_time", "Mean response time of the jobs completed in the "
                        + "step (0 when none)."))
                .info(InfoSpec.scalar("p99_response_time", "99th percentile of the same (0 when none)."))
                .info(InfoSpec.scalar("jobs_completed", "Jobs completed in the step."))
                .info(InfoSpec.scalar("jobs_in_system", "Jobs queued or in service at the step's end."))
                .info(InfoSpec.scalar("episode_mean_response_time", "Mean response time of the jobs completed "
                        + "so far in the episode."))
                .info(InfoSpec.scalar("episode_p99_response_time", "99th percentile of the same."))
                .info(InfoSpec.scalar("episode_jobs_completed", "Jobs completed so far in the episode."))
                .info(InfoSpec.scalar("episode_time_in_system", "Jobs x time so far in the episode: minus the "
                        + "return over reward_scale."));
    }

    /** The parameters, typed and checked together. */
    record Settings(boolean parkMode, int numDispatchers, double[] serviceRates, double load, double jobSizeShape,
                    double jobSizeScale, double epoch, boolean roundRobinRouting, WeightEncoding encoding,
                    boolean freshInformation,
                    double rewardScale, int maxEpisodeSteps, int numStreamJobs, double jobInterval) {

        static Settings of(Parameters params) {
            Settings settings = new Settings(params.choice("mode").equals(PARK), params.integer("num_dispatchers"),
                    params.numbers("service_rates"), params.number("load"), params.number("job_size_shape"),
                    params.number("job_size_scale"), params.number("epoch"),
                    params.choice("routing").equals(WEIGHTED_ROUND_ROBIN), encoding(params),
                    params.bool("fresh_information"),
                    params.number("reward_scale"), params.integer("max_episode_steps"),
                    params.integer("num_stream_jobs"), params.number("job_interval"));
            settings.check();
            return settings;
        }

        static WeightEncoding encoding(Parameters params) {
            return params.choice("action_encoding").equals(LOG_WEIGHTS)
                    ? new WeightEncoding(true, params.number("log_weight_range")) : WeightEncoding.LINEAR;
        }

        private void check() {
            if (!parkMode && numDispatchers > numServers()) {
                throw new EnvArgumentException("params.num_dispatchers", "num_dispatchers (" + numDispatchers
                        + ") exceeds the number of servers (" + numServers() + "), so some dispatcher would own "
                        + "no server; lower num_dispatchers or give more service_rates");
            }
        }

        int numServers() {
            return serviceRates.length;
        }

        /** E[size] of the Pareto sizes. */
        double meanJobSize() {
            return jobSizeShape * jobSizeScale / (jobSizeShape - 1);
        }

        /** lambda = load * sum(mu) / E[size]: the total arrival rate of the multi mode. */
        double arrivalRate() {
            double totalRate = 0;
            for (double rate : serviceRates) {
                totalRate += rate;
            }
            return load * totalRate / meanJobSize();
        }
    }
}
