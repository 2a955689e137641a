package org.marlopt.system.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trainer across three env-server replicas on hosts of their own ({@link ReplicaHosts}), reached by
 * one name: {@code train --server dns:///envs.scaleout.test:P --shards 3} splits its 12 copies into three
 * shard sessions that round-robin puts on the three replicas.
 *
 * <ol>
 *   <li>(iii) reference: the seed run against one replica, {@code --shards 1};
 *   <li>(i) the same seed sharded over the three: every replica's step counter shows a share, the shares
 *       add up to the run's env steps, and the run equals the reference (sharding is bit-identical);
 *   <li>(ii) the same seed sharded again, one replica SIGKILLed 40 % into the run (by the replicas' step
 *       counters; episodes.csv is written through buffers and shows its first rows late): the run
 *       completes (the lost shard is re-made on a live replica and its episode replayed), its
 *       episodes.csv has every episode once, and its weights and optimizer state are byte-identical to
 *       the reference's.
 * </ol>
 *
 * <p>Needs the scale-out agent client ({@code --shards}, round-robin over every address); before it,
 * this test fails at the first {@code --shards} saying so, and {@link ReplicaHostsTest} checks the rest of
 * the machinery with today's flags.
 */
class ScaleOutTest {

    private static final int REPLICAS = 3;
    private static final int KILLED = 2;

    @TempDir
    Path runs;

    @Test
    void oneTrainerAcrossThreeReplicasEqualsOneServerEvenWhenOneDies() throws Exception {
        try (ReplicaHosts hosts = ReplicaHosts.start(REPLICAS)) {
            // (iii) the reference: one replica, one session
            TrainRun reference = TrainRun.start("(iii) reference: replica 0, --shards 1", runs.resolve("reference"),
                    hosts.clientJvmFlags(), SeedTraining.args(hosts.target(hosts.replica(0)), "--shards", "1"));
            try (reference) {
                assertEquals(0, reference.awaitExit(SeedTraining.RUN_TIMEOUT), SeedTraining.explain(reference));
            }
            double[] before = hosts.envStepsOfAll();

            // (i) sharded over the three replicas by name: each takes a share
            TrainRun sharded = TrainRun.start("(i) --shards 3 by name", runs.resolve("sharded"),
                    hosts.clientJvmFlags(), SeedTraining.args(hosts.dnsTarget(), "--shards", "3"));
            try (sharded) {
                assertEquals(0, sharded.awaitExit(SeedTraining.RUN_TIMEOUT), SeedTraining.explain(sharded));
            }
            double[] after = hosts.envStepsOfAll();
            StringBuilder shares = new StringBuilder();
            double total = 0;
            for (int i = 0; i < REPLICAS; i++) {
                double share = after[i] - before[i];
                total += share;
                shares.append(String.format(Locale.ROOT, "%s%s: %.0f steps (%.1f %%)", i == 0 ? "" : ", ",
                        hosts.replica(i).address(), share, 100.0 * share / SeedTraining.ENV_STEPS));
                assertTrue(share > 0, "replica " + i + " (" + hosts.replica(i).address() + ") took no steps: "
                        + shares + "\n" + sharded.logTail());
            }
            System.out.println("[scaleout] (i) shares of " + SeedTraining.ENV_STEPS + " env steps: " + shares);
            assertEquals(SeedTraining.ENV_STEPS, total, 0.0, "the replicas' steps add up to the run's: " + shares);
            assertEquals(SeedTraining.ENV_STEPS, sharded.envSteps());
            Comparisons.assertConsecutiveEpisodes(sharded, SeedTraining.EPISODES);
            Comparisons.assertSameTraining(reference, sharded);

            // (ii) sharded again, one replica killed mid-run
            double[] survivorsAtKill;
            TrainRun interrupted = TrainRun.start("(ii) --shards 3 by name, replica " + KILLED + " killed",
                    runs.resolve("interrupted"), hosts.clientJvmFlags(),
                    SeedTraining.args(hosts.dnsTarget(), "--shards", "3"));
            try (interrupted) {
                double[] atTrigger;
                try {
                    atTrigger = hosts.awaitStepsSince(after, SeedTraining.STEPS_BEFORE_KILL,
                            SeedTraining.RUN_TIMEOUT, interrupted::alive);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + SeedTraining.explain(interrupted), e);
                }
                assertTrue(atTrigger[KILLED] > after[KILLED], "replica " + KILLED + " had no shard to lose: "
                        + hosts.envStepsByAddress());
                hosts.kill(KILLED);
                int rowsAtKill = interrupted.csvRows();
                survivorsAtKill = hosts.envStepsOfAll();
                System.out.println("[scaleout] (ii) killed replica " + KILLED + " " + SeedTraining.STEPS_BEFORE_KILL
                        + " steps into the run (" + rowsAtKill + " rows visible in the CSV); steps now "
                        + hosts.envStepsByAddress());
                assertFalse(hosts.replica(KILLED).alive());
                assertEquals(0, interrupted.awaitExit(SeedTraining.RUN_TIMEOUT), SeedTraining.explain(interrupted));
            }
            System.out.println("[scaleout] (ii) steps at the end: " + hosts.envStepsByAddress());
            double[] end = hosts.envStepsOfAll();
            for (int i = 0; i < REPLICAS; i++) {
                if (i != KILLED) {
                    assertTrue(end[i] > survivorsAtKill[i], "replica " + i + " took no steps after the kill: "
                            + hosts.envStepsByAddress());
                }
            }
            Comparisons.assertConsecutiveEpisodes(interrupted, SeedTraining.EPISODES);
            Comparisons.assertSameTraining(reference, interrupted);
            // Reconnects logs "lost the env server at ..." and "... is back after ...; continuing"
            List<String> outages = interrupted.output().lines()
                    .filter(line -> List.of("lost the env server", "is back after", "outage", "shard").stream()
                            .anyMatch(line.toLowerCase(Locale.ROOT)::contains)).toList();
            System.out.println("[scaleout] (ii) client log on the outage: " + outages);
        }
    }
}
