package org.marlopt.envs.loadbalance;

import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/**
 * One copy of {@value LoadBalance#ID} in park mode: Park's LoadBalanceEnv
 * (park/envs/load_balance/load_balance.py). Reset jumps to the first arrival; a step sends the
 * arriving job to the chosen server and runs the servers until the next arrival, or, after the
 * last of num_stream_jobs jobs, until every job is done, which terminates the episode.
 */
final class ParkLoadBalanceCopy implements EnvCopy {

    private final LoadBalance.Settings settings;
    private final ParkServer[] servers;
    private final JobStream jobs;
    private final JobStream.Arrival incoming = new JobStream.Arrival();
    private final ResponseStats stats = new ResponseStats();
    private int jobsArrived;
    private boolean drained;

    ParkLoadBalanceCopy(LoadBalance.Settings settings, JobStream jobs) {
        this.settings = settings;
        this.jobs = jobs;
        this.servers = new ParkServer[settings.numServers()];
        for (int j = 0; j < servers.length; j++) {
            servers[j] = new ParkServer(settings.serviceRates()[j]);
        }
    }

    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        jobs.restart(random.split());
        jobs.next(incoming);
        jobsArrived = 1;
        drained = false;
        for (ParkServer server : servers) {
            server.clear(incoming.time);
        }
        stats.startEpisode();
        stats.write(out, 0);
    }

    @Override
    public void step(float[][] actions, CopyOutput out) {
        stats.startStep();
        servers[argmax(actions[0])].admit(incoming.time, incoming.size, stats);
        double until;
        if (jobsArrived < settings.numStreamJobs()) {
            jobs.next(incoming);
            jobsArrived++;
            until = incoming.time;
        } else {
            drained = true;
            until = Double.POSITIVE_INFINITY;
        }
        double timeInSystem = 0;
        int jobsInSystem = 0;
        for (ParkServer server : servers) {
            server.completeBefore(until, stats);
            timeInSystem += server.takeJobsTimesTime();
            jobsInSystem += server.jobs();
        }
        stats.addTimeInSystem(timeInSystem);
        out.sharedReward((float) (-settings.rewardScale() * timeInSystem));
        out.terminated(drained);
        stats.write(out, jobsInSystem);
    }

    /** Park's Discrete(N) choice: the highest score, the lowest index among equals. */
    static int argmax(float[] scores) {
        int best = 0;
        for (int j = 1; j < scores.length; j++) {
            if (scores[j] > scores[best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public void observe(CopyOutput out) {
        double now = incoming.time;
        for (int j = 0; j < servers.length; j++) {
            float work = drained ? 0f : (float) servers[j].work(now);
            out.observation(0, j, Math.min(work, LoadBalance.PARK_OBSERVATION_CAP));
            out.state(j, Math.min(work, LoadBalance.PARK_OBSERVATION_CAP));
        }
        float size = drained ? 0f : (float) Math.min(incoming.size, LoadBalance.PARK_OBSERVATION_CAP);
        out.observation(0, servers.length, size);
        out.state(servers.length, size);
    }
}
