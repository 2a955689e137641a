package org.marlopt.client.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.marlopt.client.io.Json;

/**
 * Reads a settings file: {@code .properties} or {@code .json}, keys named as the settings of
 * {@link org.marlopt.client.train.TrainConfig} ({@code param.NAME} for one environment parameter, or
 * in JSON an {@code envParams} object). A run's own config.json (settings under "config") is
 * accepted too, so a run can be repeated from its recorded config.
 */
final class ConfigFiles {

    private ConfigFiles() {}

    static Map<String, Object> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".json")) {
            Map<String, Object> map;
            try {
                map = Json.MAPPER.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException("--config " + file + " is not valid JSON: " + e.getMessage());
            }
            if (map.get("config") instanceof Map<?, ?> nested) {
                Map<String, Object> settings = new LinkedHashMap<>();
                nested.forEach((key, value) -> settings.put(String.valueOf(key), value));
                return settings;
            }
            return map;
        }
        if (name.endsWith(".properties")) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
            return map;
        }
        throw new IllegalArgumentException("--config " + file + ": use a .properties or .json file");
    }
}
