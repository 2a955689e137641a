package org.marlopt.system.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the repository files and packaged jars the system tests use. */
public final class ProjectFiles {

    /** Marks the root: every module has a pom.xml, only the root holds the contract. */
    private static final String CONTRACT = "proto/src/main/proto/marlopt/env/v2/env.proto";

    private ProjectFiles() {
    }

    /** The repository root: the nearest directory above the working directory holding the contract. */
    public static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve(CONTRACT)) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + CONTRACT + " next to a pom.xml above " + dir);
    }

    /** A file that must exist, relative to the root. */
    public static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing " + path);
        }
        return path;
    }

    /** A module's runnable jar; the reactor packages env-server and agent-client before system-tests. */
    public static Path runnableJar(String module) {
        Path jar = root().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with"
                    + " `mvn -B -pl " + module + " -am package -DskipTests` (mvn verify at the root does it)");
        }
        return jar;
    }

    /** The java launcher of the JVM running the tests, for the child JVMs. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
