package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.train.StackedAdam;
import org.marlopt.client.train.TrainConfig;

class CheckpointTest {

    static final TrainConfig CONFIG = TrainConfig.defaults("DistributedLeastSquares-v1")
            .with(Map.of("episodes", 10, "seed", 3, "param.topology", "erdos_renyi"));
    static final List<String> AGENTS = List.of("agent_0", "agent_1", "agent_2", "agent_3");
    static final Map<String, Object> PROVENANCE = Map.of("env_id", "DistributedLeastSquares-v1");

    @TempDir
    Path dir;

    NDManager manager;
    List<Model> models;
    AgentTeam team;
    StackedAdam optimizer;
    Path checkpoint;

    @BeforeEach
    void saveOne() throws IOException {
        manager = NDManager.newBaseManager();
        models = AgentNetwork.newModels(AGENTS, 30, CONFIG.hiddenSize(), 12);
        AgentTeam.initialize(models, CONFIG.seed());
        team = AgentTeam.fromModels(manager, models);
        NDList moments = new NDList();
        for (int copy = 0; copy < 2; copy++) {
            team.parameters().forEach(parameter -> moments.add(manager.zeros(parameter.getShape())));
        }
        moments.get(0).addi(0.25f);
        optimizer = StackedAdam.restore(manager, moments, 35, team.parameters(), CONFIG);
        checkpoint = dir.resolve("checkpoint");
        Checkpoint.save(checkpoint, new Checkpoint.State(CONFIG, 7, 1234, 35, models, optimizer.state()), "test",
                PROVENANCE);
    }

    @AfterEach
    void close() {
        models.forEach(Model::close);
        manager.close();
    }

    @Test
    void restoresAgentsOptimizerStateAndCounters() {
        try (NDManager loading = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(checkpoint, loading);
            assertEquals(CONFIG, state.config());
            assertEquals(7, state.episodesDone());
            assertEquals(1234, state.envSteps());
            assertEquals(35, state.optimizerStep());
            assertEquals(AGENTS, state.models().stream().map(Model::getName).toList());
            assertArrayEquals(new int[] {30, 64, 12}, AgentNetwork.sizes(state.models().get(3)),
                    "the network's sizes come from the manifest");
            assertEquals(CONFIG, Checkpoint.config(checkpoint));
            for (int a = 0; a < models.size(); a++) {
                List<ai.djl.ndarray.NDArray> saved = AgentNetwork.parameterArrays(models.get(a));
                List<ai.djl.ndarray.NDArray> loaded = AgentNetwork.parameterArrays(state.models().get(a));
                for (int p = 0; p < saved.size(); p++) {
                    assertArrayEquals(saved.get(p).toFloatArray(), loaded.get(p).toFloatArray());
                }
            }
            NDList moments = state.optimizerState();
            assertEquals(12, moments.size());
            assertEquals(0.25f, moments.get(0).toFloatArray()[0]);
            state.models().forEach(Model::close);
        }
    }

    @Test
    void theProvenanceIsKeptBesideTheAgentsAndChecksummed() throws IOException {
        assertEquals("DistributedLeastSquares-v1",
                Json.MAPPER.readTree(checkpoint.resolve(Checkpoint.PROVENANCE).toFile()).get("env_id").asText());
        Files.writeString(checkpoint.resolve(Checkpoint.PROVENANCE), "{\"env_id\": \"Other-v1\"}");
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains(Checkpoint.PROVENANCE), e.getMessage());
    }

    @Test
    void aCheckpointOfTheProtocolV1ClientAsksToTrainAgain() throws IOException {
        Path manifest = checkpoint.resolve(Checkpoint.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(Checkpoint.FORMAT, "marlopt-checkpoint/1"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("protocol v1") && e.getMessage().contains("train again"), e.getMessage());
    }

    @Test
    void aMissingCheckpointIsAClearError() {
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(dir.resolve("nowhere"), manager));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aCheckpointWithoutManifestIsIncomplete() throws IOException {
        Files.delete(checkpoint.resolve(Checkpoint.MANIFEST));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("manifest.json"), e.getMessage());
    }

    @Test
    void aMissingFileIsPartial() throws IOException {
        Files.delete(checkpoint.resolve("agents/agent_2-0000.params"));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("partial") && e.getMessage().contains("agent_2-0000.params"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsPartial() throws IOException {
        Path file = checkpoint.resolve("optimizer.ndlist");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("partial") && e.getMessage().contains("optimizer.ndlist"), e.getMessage());
    }

    @Test
    void aFlippedByteIsCorrupt() throws IOException {
        Path file = checkpoint.resolve("agents/agent_0-0000.params");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aGarbledManifestIsCorrupt() throws IOException {
        Files.writeString(checkpoint.resolve(Checkpoint.MANIFEST), "{\"format\": ");
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    /** A save that crashed between its two renames leaves the previous checkpoint only in checkpoint.old. */
    @Test
    void aCrashBetweenTheRenamesFallsBackToTheOldCheckpoint() throws IOException {
        Path old = dir.resolve("checkpoint.old");
        Files.move(checkpoint, old);
        try (NDManager loading = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(checkpoint, loading);
            assertEquals(7, state.episodesDone());
            assertEquals(1234, state.envSteps());
            state.models().forEach(Model::close);
        }
        assertTrue(Checkpoint.exists(checkpoint));

        // the next save keeps the old checkpoint until the new one is in place, then drops it
        Checkpoint.save(checkpoint, new Checkpoint.State(CONFIG, 9, 99, 45, models, optimizer.state()), "test",
                PROVENANCE);
        assertTrue(Files.notExists(old) && Files.notExists(dir.resolve("checkpoint.tmp")));
        try (NDManager loading = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(checkpoint, loading);
            assertEquals(9, state.episodesDone());
            state.models().forEach(Model::close);
        }

        // the fallback gets the same checks
        Files.move(checkpoint, old);
        Path file = old.resolve("optimizer.ndlist");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x5a;
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        var e = assertThrows(CheckpointException.class, () -> Checkpoint.load(checkpoint, manager));
        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("checkpoint.old"), e.getMessage());
    }

    @Test
    void savingAgainReplacesTheCheckpointAtomically() throws IOException {
        Checkpoint.save(checkpoint, new Checkpoint.State(CONFIG, 9, 99, 45, models, optimizer.state()), "test",
                PROVENANCE);
        assertTrue(Files.notExists(dir.resolve("checkpoint.tmp")) && Files.notExists(dir.resolve("checkpoint.old")));
        try (NDManager loading = NDManager.newBaseManager()) {
            Checkpoint.State state = Checkpoint.load(checkpoint, loading);
            assertEquals(9, state.episodesDone());
            state.models().forEach(Model::close);
        }
    }
}
