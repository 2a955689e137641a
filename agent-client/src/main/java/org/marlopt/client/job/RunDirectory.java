package org.marlopt.client.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.marlopt.client.eval.seed.SeedExtras;
import org.marlopt.client.io.Checkpoint;

/**
 * A {@code train} run's output directory: whether {@code --out} would write over a run, clearing
 * one for {@code --overwrite}, and which checkpoint {@code --resume} continues, or, when there is
 * none to continue, what the directory holds instead.
 */
public final class RunDirectory {

    private static final String TEMPORARY = ".tmp";
    private static final String PREVIOUS = ".old";

    /**
     * Everything a train run writes at the top of its directory, checkpoints' temporary and
     * previous siblings included: what {@code --overwrite} deletes, and nothing else.
     */
    static final List<String> RUN_FILES = List.of(TrainJob.CONFIG_FILE, TrainJob.EPISODES_FILE,
            TrainJob.CHECKPOINT_DIR, TrainJob.CHECKPOINT_DIR + TEMPORARY, TrainJob.CHECKPOINT_DIR + PREVIOUS,
            TrainJob.BEST_CHECKPOINT_DIR, TrainJob.BEST_CHECKPOINT_DIR + TEMPORARY,
            TrainJob.BEST_CHECKPOINT_DIR + PREVIOUS, TrainJob.EVALUATIONS_FILE, TrainJob.EVALUATION_EPISODES_FILE,
            TrainJob.EVALUATION_FILE, TrainJob.EVALUATION_ALL_FILE, TrainJob.ABSOLUTE_METRIC_FILE,
            TrainJob.LEARNING_CURVE_FILE, SeedExtras.FINAL_PARAMETERS_FILE, RunSummary.FILE);

    private RunDirectory() {}

    /** Whether {@code dir} holds (part of) a train run: any of {@link #RUN_FILES}. */
    public static boolean holdsRun(Path dir) {
        return RUN_FILES.stream().anyMatch(name -> Files.exists(dir.resolve(name)));
    }

    /**
     * Makes {@code out} ready for a fresh run: refuses a directory holding a run unless
     * {@code overwrite}, then deletes that run's files ({@link #RUN_FILES}; other files stay).
     */
    public static void prepareFresh(Path out, boolean overwrite) throws IOException {
        if (!holdsRun(out)) {
            return;
        }
        if (!overwrite) {
            throw new IllegalArgumentException("--out " + out + " already holds a run: continue it with --resume "
                    + out + ", replace it with --overwrite (deletes that run's files), or choose another --out");
        }
        for (String name : RUN_FILES) {
            deleteRecursively(out.resolve(name));
        }
    }

    /**
     * The checkpoint that {@code flag dir} names ({@code train --resume}, {@code evaluate --checkpoint}):
     * {@code dir/checkpoint}, or {@code dir} itself when it is a checkpoint.
     *
     * @throws IllegalArgumentException naming what {@code dir} holds instead, and what to do
     */
    public static Path checkpointIn(Path dir, String flag) throws IOException {
        Path nested = dir.resolve(TrainJob.CHECKPOINT_DIR);
        if (Checkpoint.exists(nested)) {
            return nested;
        }
        if (Checkpoint.isCheckpoint(dir) || Checkpoint.exists(dir) && !Files.isDirectory(dir)) {
            return dir; // a checkpoint directory (loading checks it), or the previous one a crashed save left beside it
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + dir + ": the directory does not exist (give a run directory, "
                    + "e.g. runs/default, or its checkpoint directory)");
        }
        String startOver = "start over with: train --config " + dir.resolve(TrainJob.CONFIG_FILE) + " --out " + dir
                + " --overwrite";
        if (Files.isDirectory(dir.resolve(TrainJob.CHECKPOINT_DIR + TEMPORARY))) {
            throw new IllegalArgumentException(flag + " " + dir + ": the run's first checkpoint save was "
                    + "interrupted (only " + TrainJob.CHECKPOINT_DIR + TEMPORARY + "/ is there, incomplete), so "
                    + "nothing can be resumed; " + startOver);
        }
        if (holdsRun(dir)) {
            throw new IllegalArgumentException(flag + " " + dir + ": the run stopped before its first checkpoint ("
                    + roundsInCsv(dir) + " rounds in " + TrainJob.EPISODES_FILE + ", no " + TrainJob.CHECKPOINT_DIR
                    + "/ directory), so nothing can be resumed; " + startOver);
        }
        throw new IllegalArgumentException(flag + " " + dir + ": neither a run directory nor a checkpoint (it has "
                + "no " + TrainJob.CHECKPOINT_DIR + "/ and no " + Checkpoint.MANIFEST + ")");
    }

    /** The run directory a checkpoint belongs to (where its episodes.csv is). */
    public static Path ofCheckpoint(Path checkpoint) {
        Path absolute = checkpoint.toAbsolutePath().normalize();
        String name = absolute.getFileName().toString();
        boolean inRun = name.equals(TrainJob.CHECKPOINT_DIR) || name.equals(TrainJob.CHECKPOINT_DIR + PREVIOUS);
        return inRun && absolute.getParent() != null ? absolute.getParent() : checkpoint;
    }

    /** Whether the run in {@code dir} ended normally: trained, evaluated, and summarised. */
    public static boolean finished(Path dir) {
        return Files.isRegularFile(dir.resolve(RunSummary.FILE));
    }

    private static long roundsInCsv(Path dir) throws IOException {
        Path csv = dir.resolve(TrainJob.EPISODES_FILE);
        if (!Files.isRegularFile(csv)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(csv, StandardCharsets.UTF_8)) {
            return Math.max(0, lines.filter(line -> !line.isBlank()).count() - 1); // less the header
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) { // does not follow links: a link is deleted, not its target
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
