package org.marlopt.client.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/** The one JSON mapper of the client: indented output, written atomically. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    /**
     * The mapper that reads a settings file by its extension: YAML for .yaml or .yml, JSON for .json.
     *
     * @param what how errors name the file, e.g. "--settings"
     */
    public static ObjectMapper mapperFor(Path file, String what) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return new YAMLMapper();
        }
        if (name.endsWith(".json")) {
            return MAPPER;
        }
        throw new IllegalArgumentException(what + " " + file + ": use a .yaml, .yml or .json file");
    }

    /**
     * Writes {@code value} to {@code file} via a temporary sibling and a rename. The file is readable
     * by all, as every output of a run (other users, containers, a web server over the runs): a
     * temporary file alone would be created owner-only.
     */
    public static void write(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp", readableByAll(parent));
        try {
            MAPPER.writeValue(temporary.toFile(), value);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** rw-r--r-- (less the umask, as any new file) where the file system has POSIX permissions. */
    private static FileAttribute<?>[] readableByAll(Path directory) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"))};
    }
}
