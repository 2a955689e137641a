package org.marlopt.system.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.system.support.ProjectFiles;

/**
 * The scale-out test's machinery, with the flags the agent client has today (one target, one session):
 * three replicas on hosts of their own ({@link ReplicaHosts}), the name that resolves to all three in a
 * client JVM (the JDK and grpc-java's DNS resolver; a round_robin channel to it calls every replica), each replica's step counter read from the host,
 * SIGKILL of the replica a run is using mid-run, and the cleanup.
 *
 * <p>The killed run uses {@code --server dns:///envs.scaleout.test:P --shards 1}: one session, which
 * round_robin puts on one of the three replicas, so when that replica dies the client's reconnect logic
 * re-makes the session on another and replays the episode; the run must then end exactly as a run
 * against one replica that never failed.
 */
class ReplicaHostsTest {

    @TempDir
    Path runs;

    @Test
    void replicasOnOwnHostsBehindOneNameSurviveTheLossOfTheOneInUse() throws Exception {
        ReplicaHosts hosts = ReplicaHosts.start(3);
        try {
            List<String> addresses = hosts.replicas().stream().map(ReplicaHosts.Replica::address).toList();

            // a client JVM with the hosts file resolves the name to every replica, in the JDK and in grpc-java
            String probe = resolveInClientJvm(hosts);
            System.out.println("[scaleout] " + probe.strip().replace("\n", "\n[scaleout] "));
            String jdkLine = line(probe, "jdk ");
            String grpcLine = line(probe, "grpc ");
            String roundRobinLine = line(probe, "round_robin ");
            for (String address : addresses) {
                assertTrue(jdkLine.contains(address), "JDK resolution misses " + address + ": " + probe);
                assertTrue(grpcLine.contains(address + ":" + hosts.port()),
                        "grpc's DNS resolver misses " + address + ": " + probe);
                // a round_robin channel to the name spreads calls over every replica
                assertTrue(roundRobinLine.contains(address + ":" + hosts.port() + "="),
                        "round_robin never called " + address + ": " + probe);
            }

            // every replica serves metrics to the host; nothing stepped yet
            double[] none = hosts.envStepsOfAll();
            assertEquals(List.of(0.0, 0.0, 0.0), Arrays.stream(none).boxed().toList(), hosts.describe());

            // an uninterrupted run against replica 1's address: all its steps land there
            TrainRun reference = TrainRun.start("reference (replica 1 only)", runs.resolve("reference"),
                    hosts.clientJvmFlags(), SeedTraining.args(hosts.target(hosts.replica(1))));
            try (reference) {
                assertEquals(0, reference.awaitExit(SeedTraining.RUN_TIMEOUT), reference.logTail());
            }
            double[] afterReference = hosts.envStepsOfAll();
            System.out.println("[scaleout] steps after the reference run: " + hosts.envStepsByAddress());
            assertEquals(List.of(0.0, (double) SeedTraining.ENV_STEPS, 0.0),
                    Arrays.stream(afterReference).boxed().toList());

            // the same seed by name in one shard (one session, so one replica); that replica is killed mid-run
            TrainRun byName = TrainRun.start("by name, one replica killed", runs.resolve("killed"),
                    hosts.clientJvmFlags(), SeedTraining.args(hosts.dnsTarget(), "--shards", "1"));
            int killed;
            double[] atKill;
            try (byName) {
                // the replica round_robin chose: the one whose counter moves (polled from its first steps)
                killed = awaitInUse(hosts, afterReference, byName);
                double[] atTrigger = hosts.awaitStepsSince(afterReference, SeedTraining.STEPS_BEFORE_KILL, SeedTraining.RUN_TIMEOUT,
                        byName::alive);
                hosts.kill(killed);
                int rowsAtKill = byName.csvRows();
                atKill = hosts.envStepsOfAll();
                System.out.println("[scaleout] killed replica " + killed + " after it counted "
                        + (atTrigger[killed] - afterReference[killed]) + " of the run's " + SeedTraining.ENV_STEPS
                        + " steps (" + rowsAtKill + " rows visible in the CSV); steps now " + hosts.envStepsByAddress());
                assertFalse(hosts.replica(killed).alive(), "replica " + killed + " survived SIGKILL");
                int dead = killed;
                assertThrows(IOException.class, () -> hosts.metricsText(dead), "a killed replica's metrics");
                assertEquals(0, byName.awaitExit(SeedTraining.RUN_TIMEOUT), byName.logTail());
                assertTrue(atTrigger[killed] - afterReference[killed] < SeedTraining.ENV_STEPS,
                        "the run had ended before the kill");
            }
            double[] end = hosts.envStepsOfAll();
            System.out.println("[scaleout] steps at the end: " + hosts.envStepsByAddress());
            double elsewhere = 0;
            for (int i = 0; i < end.length; i++) {
                if (i != killed) {
                    elsewhere += end[i] - atKill[i];
                }
            }
            assertTrue(elsewhere > 0, "no other replica took over: " + hosts.envStepsByAddress());
            System.out.println("[scaleout] after the kill the other replicas took " + elsewhere
                    + " steps (the rest of the run plus the replayed episode)");

            Comparisons.assertConsecutiveEpisodes(byName, SeedTraining.EPISODES);
            Comparisons.assertSameTraining(reference, byName);
        } finally {
            hosts.close();
            List<String> leftovers = hosts.leftovers();
            assertTrue(leftovers.isEmpty(), "left behind: " + leftovers);
            for (ReplicaHosts.Replica replica : hosts.replicas()) {
                assertFalse(replica.alive(), "replica " + replica.index() + " still runs after close");
            }
            assertFalse(Files.exists(hosts.hostsFile()), "hosts file left behind");
        }
    }

    /** The one replica whose step count grows past {@code before} while {@code run} trains. */
    private static int awaitInUse(ReplicaHosts hosts, double[] before, TrainRun run) throws InterruptedException {
        long deadline = System.nanoTime() + SeedTraining.RUN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            double[] now = hosts.envStepsOfAll();
            List<Integer> grew = new ArrayList<>();
            for (int i = 0; i < now.length; i++) {
                if (now[i] > before[i]) {
                    grew.add(i);
                }
            }
            if (!grew.isEmpty()) {
                assertEquals(1, grew.size(), "one session, one replica in use: before " + Arrays.toString(before)
                        + ", now " + Arrays.toString(now));
                return grew.get(0);
            }
            assertTrue(run.alive(), "the run ended before any replica counted steps\n" + run.logTail());
            Thread.sleep(50);
        }
        throw new AssertionError("no replica counted steps\n" + run.logTail());
    }

    /** ResolveProbe in a JVM started like the client: its hosts file, the client jar's grpc-java. */
    static String resolveInClientJvm(ReplicaHosts hosts) throws IOException, InterruptedException {
        Path testClasses = Path.of(ResolveProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> command = new ArrayList<>(List.of(ProjectFiles.javaExecutable()));
        command.addAll(hosts.clientJvmFlags());
        command.addAll(List.of("-cp", ProjectFiles.runnableJar("agent-client") + ":" + testClasses,
                ResolveProbe.class.getName(), ReplicaHosts.NAME, hosts.dnsTarget()));
        Path log = Files.createTempFile("resolve-probe", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ResolveProbe hung");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String line(String output, String prefix) {
        return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in:\n" + output));
    }
}
