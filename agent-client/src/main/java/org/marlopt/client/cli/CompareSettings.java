package org.marlopt.client.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.marlopt.client.algo.Algorithms;
import org.marlopt.client.io.Json;

/**
 * Reads compare's {@code --settings} file (YAML or JSON): sections named {@code ALGO} (every run
 * of that algorithm) or {@code ALGO@ENV} (its runs on one environment), each a map of settings
 * named as train's {@code --set} keys, e.g.
 *
 * <pre>
 * matd3:
 *   numEnvs: 16
 * matd3@ResourceShare-v1:
 *   episodes: 400
 *   algo.exploration_noise: 0.2
 * </pre>
 */
final class CompareSettings {

    private CompareSettings() {}

    static Map<String, Map<String, Object>> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--settings " + file + ": no such file");
        }
        Map<String, Object> sections;
        try {
            sections = Json.mapperFor(file, "--settings").readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("--settings " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, Map<String, Object>> bySection = new LinkedHashMap<>();
        for (var entry : (sections == null ? Map.<String, Object>of() : sections).entrySet()) {
            bySection.put(entry.getKey(), section(file, entry.getKey(), entry.getValue()));
        }
        return bySection;
    }

    /** One section's settings, its name checked: a typo would otherwise silently apply nowhere. */
    private static Map<String, Object> section(Path file, String name, Object value) {
        String algorithm = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
        try {
            Algorithms.get(algorithm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--settings " + file + ": section '" + name + "' must be named ALGO or "
                    + "ALGO@ENV; " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> settings)) {
            throw new IllegalArgumentException("--settings " + file + ": section '" + name + "' must be a map of "
                    + "setting to value, e.g. episodes: 400");
        }
        Map<String, Object> section = new LinkedHashMap<>();
        settings.forEach((key, setting) -> section.put(String.valueOf(key), setting));
        return section;
    }
}
