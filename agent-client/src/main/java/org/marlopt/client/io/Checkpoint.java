package org.marlopt.client.io;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.marlopt.client.agent.AgentNetwork;
import org.marlopt.client.train.TrainConfig;

/**
 * A training checkpoint directory:
 * <pre>
 *   manifest.json        format, the algorithm that wrote it, counters, network sizes, and the
 *                        SHA-256 and size of every other file
 *   config.json          the run's resolved {@link TrainConfig} (its algorithm too)
 *   provenance.json      environment, its parameters and spec, server, protocol and client versions
 *   agents/agent_i-0000.params   each agent's DJL model (Model.save: weights only)
 *   optimizer.ndlist     the algorithm's trainable state besides the networks (NDList encoding;
 *                        reward-gradient: Adam first then second moments)
 * </pre>
 * It is written into a temporary sibling and renamed into place, the manifest last, so a crash
 * never leaves a half-written checkpoint under the final name; loading verifies every checksum.
 * The checkpoint it replaces is first renamed to the sibling {@code <dir>.old}; should a crash
 * leave only that one, loading falls back to it.
 */
public final class Checkpoint {

    public static final String FORMAT = "marlopt-checkpoint/2";
    public static final String MANIFEST = "manifest.json";
    public static final String PROVENANCE = "provenance.json";
    private static final String CONFIG = "config.json";
    private static final String AGENTS = "agents";
    private static final String OPTIMIZER = "optimizer.ndlist";

    /**
     * Everything a run needs to continue exactly.
     *
     * @param config the run's settings
     * @param episodesDone training rounds completed
     * @param envSteps environment steps taken
     * @param optimizerStep the algorithm's update counter (reward-gradient: Adam's step count)
     * @param models the agents, in order (owned by the caller after load)
     * @param optimizerState the algorithm's other trainable arrays (reward-gradient: Adam moments), arrays of
     *     the manager given to load
     */
    public record State(TrainConfig config, int episodesDone, long envSteps, long optimizerStep,
                        List<Model> models, NDList optimizerState) {
    }

    private record FileEntry(String sha256, long bytes) {
    }

    /** Every agent's network: input (the largest observation), hidden and output (the largest action) size. */
    private record Network(int inputSize, int hiddenSize, int outputSize) {
    }

    private record Manifest(String format, String algorithm, int episodesDone, long envSteps, long optimizerStep,
                            List<String> agents, Network network, String createdAt, Map<String, FileEntry> files) {
    }

    private Checkpoint() {}

    /**
     * Saves {@code state} as directory {@code dir}, replacing an older checkpoint there.
     *
     * @param provenance where the agents come from (see the run's config.json)
     */
    public static void save(Path dir, State state, String algorithm, Map<String, Object> provenance)
            throws IOException {
        Path target = dir.toAbsolutePath();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        deleteRecursively(temporary);
        Files.createDirectories(temporary.resolve(AGENTS));
        Json.write(temporary.resolve(CONFIG), state.config().toMap());
        Json.write(temporary.resolve(PROVENANCE), provenance);
        List<String> agentNames = new ArrayList<>();
        for (Model model : state.models()) {
            model.save(temporary.resolve(AGENTS), model.getName());
            agentNames.add(model.getName());
        }
        Files.write(temporary.resolve(OPTIMIZER), state.optimizerState().encode());
        Map<String, FileEntry> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(temporary)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(temporary.relativize(file).toString().replace('\\', '/'),
                        new FileEntry(sha256(file), Files.size(file)));
            }
        }
        int[] sizes = AgentNetwork.sizes(state.models().get(0));
        Json.write(temporary.resolve(MANIFEST), new Manifest(FORMAT, algorithm, state.episodesDone(),
                state.envSteps(), state.optimizerStep(), agentNames, new Network(sizes[0], sizes[1], sizes[2]),
                Instant.now().toString(), files));
        Path old = previous(target);
        if (Files.exists(target)) {
            deleteRecursively(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        } // else an earlier save crashed between its moves: old is the only checkpoint until ours is in place
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(old);
    }

    /** Where {@link #save} keeps the checkpoint it replaces while it moves the new one into place. */
    private static Path previous(Path dir) {
        Path absolute = dir.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + ".old");
    }

    /** True when {@code dir}, or the previous checkpoint a crashed save left beside it, is a directory. */
    public static boolean exists(Path dir) {
        return Files.isDirectory(dir) || Files.isDirectory(previous(dir));
    }

    /** Whether {@code dir} is a checkpoint, intact or not: it has a manifest or agents' networks. */
    public static boolean isCheckpoint(Path dir) {
        return Files.exists(dir.resolve(MANIFEST)) || Files.isDirectory(dir.resolve(AGENTS));
    }

    /**
     * The training rounds the checkpoint in {@code dir} holds (with the same fallback and checks as {@link #load}).
     *
     * @throws CheckpointException when the checkpoint is missing, partial or corrupt
     */
    public static int episodesDone(Path dir) {
        if (!Files.isDirectory(dir) && Files.isDirectory(previous(dir))) {
            dir = previous(dir);
        }
        return verify(dir).episodesDone();
    }

    /**
     * Loads and verifies the checkpoint in {@code dir}; arrays go to {@code manager}. When
     * {@code dir} does not exist but {@code <dir>.old} does (a save crashed between its two
     * renames), that previous checkpoint is loaded, with the same checks.
     *
     * @throws CheckpointException when the checkpoint is missing, partial or corrupt
     */
    public static State load(Path dir, NDManager manager) {
        if (!Files.isDirectory(dir) && Files.isDirectory(previous(dir))) {
            dir = previous(dir);
        }
        Manifest manifest = verify(dir);
        List<Model> models = new ArrayList<>();
        try {
            TrainConfig config = readConfig(dir, manifest);
            Network network = manifest.network();
            for (String name : manifest.agents()) {
                Model model = AgentNetwork.newModel(name, network.inputSize(), network.hiddenSize(),
                        network.outputSize());
                models.add(model);
                model.load(dir.resolve(AGENTS), name);
            }
            NDList optimizerState = NDList.decode(manager, Files.readAllBytes(dir.resolve(OPTIMIZER)));
            return new State(config, manifest.episodesDone(), manifest.envSteps(), manifest.optimizerStep(),
                    models, optimizerState);
        } catch (IOException | MalformedModelException | IllegalArgumentException e) {
            models.forEach(Model::close);
            throw new CheckpointException("checkpoint " + dir + " passed its checksums but cannot be read: "
                    + e.getMessage() + " (was it written by another version?)", e);
        } catch (RuntimeException | Error e) {
            models.forEach(Model::close);
            throw e;
        }
    }

    /**
     * The settings of the checkpoint in {@code dir} (with the same fallback and checks as {@link #load}).
     *
     * @throws CheckpointException when the checkpoint is missing, partial or corrupt
     */
    public static TrainConfig config(Path dir) {
        if (!Files.isDirectory(dir) && Files.isDirectory(previous(dir))) {
            dir = previous(dir);
        }
        Manifest manifest = verify(dir);
        try {
            return readConfig(dir, manifest);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException("checkpoint " + dir + " passed its checksums but its " + CONFIG
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The checkpoint's settings. A checkpoint written before {@link TrainConfig} recorded the
     * algorithm takes it from the manifest, which always has.
     */
    private static TrainConfig readConfig(Path dir, Manifest manifest) throws IOException {
        Map<String, Object> settings = new java.util.LinkedHashMap<>(Json.MAPPER.readValue(
                dir.resolve(CONFIG).toFile(), new TypeReference<Map<String, Object>>() { }));
        if (manifest.algorithm() != null) {
            settings.putIfAbsent("algorithm", manifest.algorithm());
        }
        return TrainConfig.resolve(settings);
    }

    /** Checks the manifest and every file's size and checksum; returns the manifest. */
    private static Manifest verify(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("no checkpoint at " + dir + ": the directory does not exist "
                    + "(pass a run's checkpoint directory, e.g. runs/default/checkpoint)");
        }
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            // train's saves move the manifest in last and atomically: this is a partial copy, or no checkpoint
            throw new CheckpointException("incomplete checkpoint at " + dir + ": " + MANIFEST + " is missing "
                    + "(copied in part, or not a checkpoint directory); use an intact checkpoint");
        }
        Manifest manifest;
        try {
            JsonNode node = Json.MAPPER.readTree(manifestFile.toFile());
            manifest = Json.MAPPER.treeToValue(node, Manifest.class);
        } catch (IOException e) {
            throw new CheckpointException("corrupt checkpoint at " + dir + ": " + MANIFEST + " is not valid JSON ("
                    + e.getMessage() + ")", e);
        }
        if ("marlopt-checkpoint/1".equals(manifest.format())) {
            throw new CheckpointException("checkpoint " + dir + " was written by an agent client for protocol v1, "
                    + "whose settings this client no longer reads; train again (the seed's defaults are unchanged)");
        }
        if (!FORMAT.equals(manifest.format()) || manifest.files() == null || manifest.agents() == null
                || manifest.network() == null) {
            throw new CheckpointException("corrupt checkpoint at " + dir + ": " + MANIFEST + " is not a "
                    + FORMAT + " manifest");
        }
        for (var entry : manifest.files().entrySet()) {
            Path file = dir.resolve(entry.getKey());
            try {
                long size = Files.size(file);
                if (size != entry.getValue().bytes()) {
                    throw new CheckpointException("partial checkpoint at " + dir + ": " + entry.getKey() + " has "
                            + size + " bytes, the manifest says " + entry.getValue().bytes());
                }
                String actual = sha256(file);
                if (!actual.equals(entry.getValue().sha256())) {
                    throw new CheckpointException("corrupt checkpoint at " + dir + ": " + entry.getKey()
                            + " fails its SHA-256 check (file " + actual + ", manifest " + entry.getValue().sha256() + ")");
                }
            } catch (NoSuchFileException e) {
                throw new CheckpointException("partial checkpoint at " + dir + ": " + entry.getKey()
                        + " is missing", e);
            } catch (IOException e) {
                throw new CheckpointException("cannot read checkpoint file " + file + ": " + e.getMessage(), e);
            }
        }
        for (String required : List.of(CONFIG, PROVENANCE, OPTIMIZER)) {
            if (!manifest.files().containsKey(required)) {
                throw new CheckpointException("partial checkpoint at " + dir + ": the manifest lists no " + required);
            }
        }
        return manifest;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
