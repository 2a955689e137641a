package org.marlopt.client.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.io.Checkpoint;
import org.marlopt.client.io.CheckpointException;

/** What --resume and --out find in a directory, and what --overwrite deletes. */
class RunDirectoryTest {

    @TempDir
    Path dir;

    private void writeRunWithRounds(int rounds) throws IOException {
        Files.writeString(dir.resolve(TrainJob.CONFIG_FILE), "{}");
        StringBuilder csv = new StringBuilder("episode,return\n");
        for (int round = 0; round < rounds; round++) {
            csv.append(round).append(",-1.0\n");
        }
        Files.writeString(dir.resolve(TrainJob.EPISODES_FILE), csv);
    }

    private String resumeError() {
        return assertThrows(IllegalArgumentException.class, () -> RunDirectory.checkpointIn(dir, "--resume"))
                .getMessage();
    }

    @Test
    void aRunWithoutACheckpointStoppedBeforeItsFirstOneAndStartsOver() throws IOException {
        writeRunWithRounds(3);
        String message = resumeError();
        assertTrue(message.contains("the run stopped before its first checkpoint (3 rounds in episodes.csv"),
                message);
        assertTrue(message.contains("start over with: train --config " + dir.resolve("config.json") + " --out "
                + dir + " --overwrite"), message);
        assertFalse(message.contains("interrupted"), message);
    }

    @Test
    void aPartialFirstSaveIsCalledAnInterruptedSave() throws IOException {
        writeRunWithRounds(3);
        Files.createDirectories(dir.resolve("checkpoint.tmp/agents"));
        String message = resumeError();
        assertTrue(message.contains("the run's first checkpoint save was interrupted (only checkpoint.tmp/"),
                message);
        assertTrue(message.contains("--overwrite"), message);
    }

    @Test
    void aDirectoryWithoutARunOrACheckpointIsNamedAsSuch() throws IOException {
        assertTrue(resumeError().contains("neither a run directory nor a checkpoint"), resumeError());
        Path absent = dir.resolve("absent");
        String message = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.checkpointIn(absent, "--checkpoint")).getMessage();
        assertTrue(message.startsWith("--checkpoint " + absent + ": the directory does not exist"), message);
    }

    @Test
    void aCheckpointWithoutItsManifestIsCalledIncompleteNotAnInterruptedSave() throws IOException {
        Path checkpoint = dir.resolve("checkpoint");
        Files.createDirectories(checkpoint.resolve("agents"));
        assertEquals(checkpoint, RunDirectory.checkpointIn(checkpoint, "--resume"));
        String message = assertThrows(CheckpointException.class, () -> Checkpoint.config(checkpoint)).getMessage();
        assertTrue(message.contains("incomplete checkpoint") && message.contains("manifest.json is missing"),
                message);
        assertFalse(message.contains("interrupted"), message);
    }

    @Test
    void outOntoARunIsRefusedAndOverwriteDeletesOnlyThatRunsFiles() throws IOException {
        writeRunWithRounds(3);
        Files.createDirectories(dir.resolve("checkpoint/agents"));
        Files.writeString(dir.resolve("notes.txt"), "mine");

        String message = assertThrows(IllegalArgumentException.class, () -> RunDirectory.prepareFresh(dir, false))
                .getMessage();
        assertTrue(message.contains("--out " + dir + " already holds a run: continue it with --resume " + dir
                + ", replace it with --overwrite"), message);
        assertTrue(Files.exists(dir.resolve(TrainJob.EPISODES_FILE)), "a refusal deletes nothing");

        RunDirectory.prepareFresh(dir, true);
        assertFalse(RunDirectory.holdsRun(dir));
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aDirectoryWithoutARunNeedsNoOverwrite() throws IOException {
        Files.writeString(dir.resolve("experiment-run.json"), "{}");
        RunDirectory.prepareFresh(dir, false);
        assertTrue(Files.exists(dir.resolve("experiment-run.json")));
    }
}
