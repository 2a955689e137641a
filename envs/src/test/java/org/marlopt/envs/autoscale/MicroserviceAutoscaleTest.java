package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.AutoresetMode;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvRegistry;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.Part;
import org.marlopt.env.VectorOptions;
import org.marlopt.env.vector.Transition;
import org.marlopt.env.vector.VectorEnv;
import org.marlopt.envs.EnvChecks;

class MicroserviceAutoscaleTest {

    private static final String ID = MicroserviceAutoscale.ID;
    private static final EnvRegistry REGISTRY = EnvRegistry.discover();

    private static VectorEnv make(Map<String, Object> params, int copies) {
        return REGISTRY.make(ID, params, new VectorOptions(copies, false, AutoresetMode.DISABLED));
    }

    private static double info(VectorEnv env, Transition transition, String key) {
        return transition.info(env.spec().env().infoIndex(key))[0];
    }

    @Test
    void specDeclaresOneAgentPerServiceWithTheDocumentedSpacesAndInfo() {
        EnvSpec spec = REGISTRY.configure(ID, Map.of()).spec();
        assertEquals(11, spec.numAgents());
        AgentSpec agent = spec.agents().get(3);
        assertEquals(new Part(Part.OWN, 0, 7), agent.observationPart(Part.OWN));
        assertEquals(new Part(Part.INBOX, 7, 2 * (1 + 1)), agent.observationPart(Part.INBOX), "ring, message 1");
        float infinity = Float.POSITIVE_INFINITY;
        assertArrayEquals(new float[] {20, 20, 20, 1, infinity, infinity, infinity},
                Arrays.copyOf(agent.observationSpace().high(), 7));
        assertEquals(BoxSpace.concat(BoxSpace.vector(1, -1f, 1f), BoxSpace.vector(1, -infinity, infinity)),
                agent.actionSpace(), "replicas in [-1, 1], then an unbounded message of 1");
        assertEquals(77, spec.stateSpace().size());
        assertEquals(240, spec.maxEpisodeSteps());
        List<String> names = spec.info().stream().map(InfoSpec::name).toList();
        assertEquals(List.of("cost", "slo_violation", "p50_latency", "p99_latency", "clairvoyant_cost", "user_rate",
                "episode_cost", "episode_slo_violations", "episode_clairvoyant_cost", "utilization_0"),
                names.subList(0, 10));
        assertEquals("utilization_10", names.get(names.size() - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"analytic", "des"})
    void aSeedDeterminesTheEpisode(String fidelity) {
        Map<String, Object> params = Map.of("fidelity", fidelity);
        List<double[]> first = EnvChecks.rollout(make(params, 2), 5, 40, 9);
        List<double[]> again = EnvChecks.rollout(make(params, 2), 5, 40, 9);
        List<double[]> other = EnvChecks.rollout(make(params, 2), 6, 40, 9);
        for (int row = 0; row < first.size(); row++) {
            assertArrayEquals(first.get(row), again.get(row), "row " + row);
        }
        assertFalse(Arrays.equals(first.get(40), other.get(40)), "another seed, another trace");
    }

    /** The user rate does not depend on the fidelity: both draw the trace from the same split of the seed. */
    @Test
    void bothFidelitiesSeeTheSameArrivalTrace() {
        VectorEnv analytic = make(Map.of(), 1);
        VectorEnv des = make(Map.of("fidelity", "des"), 1);
        analytic.reset(3);
        des.reset(3);
        float[][] actions = EnvChecks.zeroActions(analytic);
        for (int step = 0; step < 30; step++) {
            double rate = info(analytic, analytic.step(actions), "user_rate");
            assertEquals(rate, info(des, des.step(actions), "user_rate"));
        }
    }

    /**
     * Agent 0 asks for max_replicas once; every other agent holds its count. The new replicas
     * are starting (and paid for) until ceil(startup_delay / 15) steps have passed.
     */
    @ParameterizedTest
    @CsvSource({"30, 2", "20, 2", "45, 3", "15, 1", "0, 0"})
    void aScaleUpBecomesReadyAfterTheStartupDelay(double delay, int steps) {
        VectorEnv env = make(Map.of("startup_delay", delay, "message_size", 0), 1);
        MicroserviceAutoscale.Settings settings = MicroserviceAutoscale.Settings.of(env.spec().env().params());
        Transition transition = env.reset(1);
        int initial = Math.round(transition.observation(0)[1]);
        float[][] actions = new float[11][1];
        for (int step = 1; step <= Math.max(steps, 1) + 1; step++) {
            for (int agent = 0; agent < 11; agent++) {
                actions[agent][0] = settings.action(Math.round(transition.observation(agent)[0]));
            }
            actions[0][0] = 1f;
            transition = env.step(actions);
            float[] own = transition.observation(0);
            assertEquals(20, own[0], "desired");
            boolean ready = step >= steps;
            assertEquals(ready ? 20 : initial, own[1], "ready after step " + step);
            assertEquals(ready ? 0 : 20 - initial, own[2], "starting after step " + step);
        }
    }

    @Test
    void rewardAndEpisodeFiguresAddUpTheSteps() {
        VectorEnv env = make(Map.of("reward_scale", 2.0, "slo_penalty", 0.25, "fidelity", "des"), 1);
        env.reset(11);
        SplittableRandom random = new SplittableRandom(4);
        double cost = 0;
        double violations = 0;
        double clairvoyant = 0;
        Transition transition = null;
        for (int step = 0; step < 60; step++) {
            transition = env.step(EnvChecks.randomActions(env, random, 1.0));
            double stepCost = info(env, transition, "cost");
            double violation = info(env, transition, "slo_violation");
            assertEquals(violation, info(env, transition, "p99_latency") > 1.0 ? 1.0 : 0.0);
            assertEquals((float) (-2.0 * (stepCost + 0.25 * violation)), transition.reward(5)[0], 1e-6);
            cost += stepCost;
            violations += violation;
            clairvoyant += info(env, transition, "clairvoyant_cost");
        }
        assertTrue(violations > 0 && violations < 60, "random actions violate the SLO sometimes: " + violations);
        assertEquals(cost, info(env, transition, "episode_cost"), 1e-9);
        assertEquals(violations, info(env, transition, "episode_slo_violations"));
        assertEquals(clairvoyant, info(env, transition, "episode_clairvoyant_cost"), 1e-9);
    }

    /** With the clairvoyant allocation held and no start-up, the analytic step meets the SLO at its cost. */
    @Test
    void holdingTheClairvoyantAllocationMeetsTheSloAtItsCost() {
        VectorEnv env = make(Map.of("startup_delay", 0.0, "burst_rate", 0.0, "message_size", 0), 1);
        MicroserviceAutoscale.Settings settings = MicroserviceAutoscale.Settings.of(env.spec().env().params());
        CallGraph graph = settings.graph();
        ClairvoyantAllocation solver = new ClairvoyantAllocation(graph, new AnalyticModel(graph, 5), 1.0, 1, 20);
        env.reset(2);
        ArrivalTrace trace = settings.newTrace();
        trace.reset(new SplittableRandom(0));
        int[] replicas = new int[11];
        float[][] actions = new float[11][1];
        for (int step = 0; step < 240; step += 1) {
            solver.solve(trace.rate(), replicas);
            trace.advance(15);
            for (int agent = 0; agent < 11; agent++) {
                actions[agent][0] = settings.action(replicas[agent]);
            }
            Transition transition = env.step(actions);
            assertEquals(0.0, info(env, transition, "slo_violation"), "step " + step);
            assertEquals(info(env, transition, "clairvoyant_cost"), info(env, transition, "cost"), 1e-9);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "min_replicas=5;max_replicas=3 | params.min_replicas | lower min_replicas",
        "latency_cap=0.5 | params.latency_cap | raise latency_cap",
        "call_from=0,2;call_to=1,1;call_counts=1,1;cpu_demands=0.1,0.1,0.1 | params.call_to | later",
        "call_from=0,7;call_to=1,2;call_counts=1,1;cpu_demands=0.1,0.1,0.1 | params.call_from | in [0, 2]",
        "call_from=0;call_to=1;call_counts=1,1;cpu_demands=0.1,0.1 | params.call_to | one of each per edge",
        "call_from=0;call_to=1;call_counts=1;cpu_demands=0.1,0.1,0.1 | params.call_to | add an edge",
        "fidelity=des;queue_capacity=1000000;max_replicas=10000 | params.queue_capacity | lower queue_capacity"})
    void badParametersNameTheFieldAndTheFix(String given, String field, String fix) {
        Map<String, Object> params = new HashMap<>();
        for (String pair : given.split(";")) {
            String[] parts = pair.split("=");
            boolean list = parts[0].startsWith("call_") || parts[0].equals("cpu_demands");
            boolean number = parts[1].matches("[0-9.]+");
            params.put(parts[0], list ? listOf(parts[1]) : number ? (Object) Double.parseDouble(parts[1]) : parts[1]);
        }
        for (String integer : List.of("min_replicas", "max_replicas", "queue_capacity")) {
            params.computeIfPresent(integer, (key, value) -> ((Double) value).intValue());
        }
        EnvArgumentException rejected = assertThrows(EnvArgumentException.class, () -> REGISTRY.configure(ID, params));
        assertEquals(field, rejected.field());
        assertTrue(rejected.getMessage().contains(fix), rejected.getMessage());
    }

    private static List<Double> listOf(String values) {
        List<Double> list = new ArrayList<>();
        for (String value : values.split(",")) {
            list.add(Double.parseDouble(value));
        }
        return list;
    }

    @Test
    void aSingleServiceGraphNeedsNoEdges() {
        VectorEnv env = make(Map.of("cpu_demands", List.of(0.1), "call_from", List.of(), "call_to", List.of(),
                "call_counts", List.of(), "message_size", 0), 1);
        assertEquals(1, env.spec().env().numAgents());
        env.reset(0);
        Transition transition = env.step(new float[][] {{0f}});
        assertNotEquals(0.0, info(env, transition, "p99_latency"));
    }
}
