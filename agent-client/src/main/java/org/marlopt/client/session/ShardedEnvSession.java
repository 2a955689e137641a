package org.marlopt.client.session;

import io.grpc.Status;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.marlopt.env.InfoSpec;

/**
 * {@code numEnvs} copies split into contiguous shards, each its own session on its own Interact
 * stream (so a round-robin channel puts them on different replicas), stepped concurrently and
 * presented as one session: copy i of the whole is copy i - firstCopy(k) of shard k, and shard k
 * is reset with {@code seed + firstCopy(k)}, so every copy is seeded {@code seed + i} as in one
 * session. Copies are independent given their seeds and actions, so every answer is bit for bit
 * the one session's.
 *
 * <p>Each shard's answer is copied into this session's arrays by the thread that stepped it (the
 * shards' ranges are disjoint); the wait for every shard orders those writes before the caller's
 * reads. A call waits for every shard before it returns or throws, so no shard is ever left
 * mid-call; after a failure the shards may stand at different steps, so reset before going on (a
 * transport failure is ridden out inside each shard when it is a {@link ResilientEnvSession}).
 */
final class ShardedEnvSession implements EnvSession {

    private final List<EnvSession> shards;
    /** Shard k holds copies {@code [firstCopy[k], firstCopy[k + 1])}. */
    private final int[] firstCopy;
    private final ExecutorService pool;
    private final SessionSpec spec;
    /** Per shard and agent: its slice of the joint action, reused. */
    private final float[][][] shardActions;
    private final float[] shared;
    private final float[][] own;
    private final float[][] rewards;
    private final float[][] rewardGradients;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final boolean[] episodeStart;
    private final Map<String, double[]> info = new LinkedHashMap<>();
    private final float[] state;
    private final float[] finalShared;
    private final float[][] finalOwn;
    private final float[] finalState;

    private ShardedEnvSession(List<EnvSession> shards, int[] firstCopy) {
        this.shards = shards;
        this.firstCopy = firstCopy;
        this.pool = Executors.newFixedThreadPool(shards.size(), daemonThreads());
        SessionSpec first = shards.get(0).spec();
        int copies = firstCopy[shards.size()];
        this.spec = new SessionSpec(first.env(), copies, first.rewardGradient());
        int agents = spec.numAgents();
        this.shardActions = new float[shards.size()][agents][];
        this.own = new float[agents][];
        this.finalOwn = new float[agents][];
        this.rewards = new float[agents][copies];
        this.rewardGradients = new float[agents][];
        for (int agent = 0; agent < agents; agent++) {
            own[agent] = new float[copies * spec.ownSize(agent)];
            finalOwn[agent] = new float[own[agent].length];
            rewardGradients[agent] = new float[spec.rewardGradient() ? copies * spec.actionSize(agent) : 0];
            for (int k = 0; k < shards.size(); k++) {
                shardActions[k][agent] = new float[copiesOf(k) * spec.actionSize(agent)];
            }
        }
        this.shared = new float[copies * spec.sharedSize()];
        this.finalShared = new float[shared.length];
        this.state = new float[copies * spec.stateSize()];
        this.finalState = new float[state.length];
        this.terminated = new boolean[copies];
        this.truncated = new boolean[copies];
        this.episodeStart = new boolean[copies];
        for (InfoSpec key : spec.env().info()) {
            info.put(key.name(), new double[copies * key.size()]);
        }
    }

    /**
     * Opens {@code shardCount} sessions of {@code request}'s copies, one after another, the first
     * {@code numEnvs % shardCount} of them one copy larger.
     *
     * @param opener opens one shard's session (a new stream)
     * @throws IllegalArgumentException unless 1 <= shardCount <= numEnvs
     */
    static ShardedEnvSession open(SessionRequest request, int shardCount, Function<SessionRequest, EnvSession> opener) {
        if (shardCount < 1 || shardCount > request.numEnvs()) {
            throw new IllegalArgumentException("cannot split " + request.numEnvs() + " copies into " + shardCount
                    + " shards: give 1.." + request.numEnvs());
        }
        int[] firstCopy = firstCopies(request.numEnvs(), shardCount);
        List<EnvSession> shards = new ArrayList<>();
        try {
            for (int k = 0; k < shardCount; k++) {
                shards.add(opener.apply(new SessionRequest(request.envId(), request.params(),
                        firstCopy[k + 1] - firstCopy[k], request.rewardGradient())));
                requireSameSpec(shards.get(0).spec(), shards.get(k).spec());
            }
        } catch (RuntimeException e) {
            shards.forEach(EnvSession::close);
            throw e;
        }
        return new ShardedEnvSession(List.copyOf(shards), firstCopy);
    }

    /** Contiguous ranges of {@code copies} over {@code shards}, sizes differing by at most one. */
    static int[] firstCopies(int copies, int shards) {
        int[] first = new int[shards + 1];
        for (int k = 0; k <= shards; k++) {
            first[k] = k * (copies / shards) + Math.min(k, copies % shards);
        }
        return first;
    }

    private static void requireSameSpec(SessionSpec first, SessionSpec other) {
        if (!other.sameEnv(first)) {
            throw new IllegalStateException("the env server replicas made the shards of one " + first.envId()
                    + " session with different specs (parameters, spaces or keys); run the same server release "
                    + "and environments on every replica");
        }
    }

    @Override
    public SessionSpec spec() {
        return spec;
    }

    @Override
    public void reset(long seed) {
        onEveryShard(k -> {
            shards.get(k).reset(seed + firstCopy[k]);
            gather(k);
        });
    }

    @Override
    public void step(float[][] actions) {
        requireShape(actions);
        onEveryShard(k -> {
            for (int agent = 0; agent < actions.length; agent++) {
                int size = spec.actionSize(agent);
                System.arraycopy(actions[agent], firstCopy[k] * size, shardActions[k][agent], 0,
                        shardActions[k][agent].length);
            }
            shards.get(k).step(shardActions[k]);
            gather(k);
        });
    }

    private void requireShape(float[][] actions) {
        if (actions.length != spec.numAgents()) {
            throw new IllegalArgumentException("got actions for " + actions.length + " agents, the session has "
                    + spec.numAgents());
        }
        for (int agent = 0; agent < actions.length; agent++) {
            int expected = spec.numEnvs() * spec.actionSize(agent);
            if (actions[agent].length != expected) {
                throw new IllegalArgumentException("got " + actions[agent].length + " action values for agent "
                        + spec.agent(agent).name() + ", expected " + expected);
            }
        }
    }

    /**
     * Runs {@code work} for every shard on the pool and waits for all of them; then throws the
     * first shard's failure, if any. An interrupt of the caller cancels (interrupts) the shards'
     * calls, which breaks their sessions, as it would one session's.
     */
    private void onEveryShard(IntConsumer work) {
        List<Future<?>> calls = new ArrayList<>();
        for (int k = 0; k < shards.size(); k++) {
            int shard = k;
            calls.add(pool.submit(() -> work.accept(shard)));
        }
        RuntimeException failure = null;
        for (Future<?> call : calls) {
            RuntimeException thrown = awaitShard(call, calls);
            failure = failure == null ? thrown : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for one shard's call; returns its failure, or null. */
    private static RuntimeException awaitShard(Future<?> call, List<Future<?>> all) {
        try {
            call.get();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            return e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            all.forEach(other -> other.cancel(true));
            Thread.currentThread().interrupt();
            return new EnvCallException(Status.Code.CANCELLED, "interrupted while waiting for the env server", null);
        }
    }

    /** Copies shard k's answer into its range of this session's arrays. */
    private void gather(int k) {
        EnvSession shard = shards.get(k);
        copy(shard.sharedObservation(), shared, k, spec.sharedSize());
        copy(shard.finalSharedObservation(), finalShared, k, spec.sharedSize());
        copy(shard.state(), state, k, spec.stateSize());
        copy(shard.finalState(), finalState, k, spec.stateSize());
        copy(shard.terminated(), terminated, k, 1);
        copy(shard.truncated(), truncated, k, 1);
        copy(shard.episodeStart(), episodeStart, k, 1);
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            copy(shard.ownObservation(agent), own[agent], k, spec.ownSize(agent));
            copy(shard.finalOwnObservation(agent), finalOwn[agent], k, spec.ownSize(agent));
            copy(shard.rewards(agent), rewards[agent], k, 1);
            copy(shard.rewardGradient(agent), rewardGradients[agent], k,
                    spec.rewardGradient() ? spec.actionSize(agent) : 0);
        }
        for (InfoSpec key : spec.env().info()) {
            copy(shard.info(key.name()), info.get(key.name()), k, key.size());
        }
    }

    /** Puts a shard's array ({@code perCopy} values per copy) at shard k's first copy in {@code into}. */
    private void copy(Object from, Object into, int k, int perCopy) {
        System.arraycopy(from, 0, into, firstCopy[k] * perCopy, Array.getLength(from));
    }

    private int copiesOf(int k) {
        return firstCopy[k + 1] - firstCopy[k];
    }

    @Override
    public float[] sharedObservation() {
        return shared;
    }

    @Override
    public float[] ownObservation(int agent) {
        return own[agent];
    }

    @Override
    public boolean[] episodeStart() {
        return episodeStart;
    }

    @Override
    public float[] rewards(int agent) {
        return rewards[agent];
    }

    @Override
    public float[] rewardGradient(int agent) {
        return rewardGradients[agent];
    }

    @Override
    public boolean[] terminated() {
        return terminated;
    }

    @Override
    public boolean[] truncated() {
        return truncated;
    }

    @Override
    public double[] info(String key) {
        double[] values = info.get(key);
        if (values == null) {
            throw new IllegalArgumentException("no info key '" + key + "'; the spec declares " + info.keySet());
        }
        return values;
    }

    @Override
    public float[] state() {
        return state;
    }

    @Override
    public float[] finalSharedObservation() {
        return finalShared;
    }

    @Override
    public float[] finalOwnObservation(int agent) {
        return finalOwn[agent];
    }

    @Override
    public float[] finalState() {
        return finalState;
    }

    /** Closes every shard's session, then the pool. */
    @Override
    public void close() {
        try {
            shards.forEach(EnvSession::close);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "env-shard-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
