package org.marlopt.client.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * evaluation_episodes.jsonl, the per-episode side of evaluations.csv: one JSON line per evaluation
 * while training with the rounds and env steps trained and each episode's team return and
 * normalised score (null without a score), in seed order; the raw data of a statistical
 * comparison. On resume the lines after the checkpoint are dropped, as in evaluations.csv.
 */
public final class EvaluationEpisodes implements AutoCloseable {

    /** One evaluation's episodes. */
    public record Row(int round, long envSteps, double[] returns, double[] scores) {
    }

    private static final ObjectMapper LINES = new ObjectMapper();
    private final BufferedWriter writer;

    private EvaluationEpisodes(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Opens {@code file} for appending, keeping only the lines of rounds up to {@code roundsDone}. */
    public static EvaluationEpisodes open(Path file, int roundsDone) throws IOException {
        List<Row> kept = roundsDone > 0 && Files.exists(file)
                ? read(file).stream().filter(row -> row.round() <= roundsDone).toList() : List.of();
        Files.createDirectories(file.toAbsolutePath().getParent());
        EvaluationEpisodes episodes = new EvaluationEpisodes(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        for (Row row : kept) {
            episodes.append(row);
        }
        return episodes;
    }

    public void append(Row row) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("round", row.round());
        line.put("env_steps", row.envSteps());
        line.put("episode_returns", row.returns());
        line.put("episode_scores", row.scores());
        writer.write(LINES.writeValueAsString(line));
        writer.newLine();
        writer.flush(); // a line per evaluation, readable while the run goes on
    }

    /** Every evaluation in {@code file} (none when it does not exist). */
    public static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode json = LINES.readTree(line);
            JsonNode scores = json.get("episode_scores");
            rows.add(new Row(json.get("round").asInt(), json.get("env_steps").asLong(),
                    Json.doubles(json.get("episode_returns")),
                    scores == null || scores.isNull() ? null : Json.doubles(scores)));
        }
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
