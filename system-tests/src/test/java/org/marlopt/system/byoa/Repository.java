package org.marlopt.system.byoa;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations in the repository the other-language agents and the conformance suite live in. */
public final class Repository {

    private static final String CONTRACT = "proto/src/main/proto/marlopt/env/v1/env.proto";

    private Repository() {
    }

    /** The repository root: the nearest directory above the working directory holding the contract. */
    public static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve(CONTRACT)) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + CONTRACT + " above " + dir);
    }

    /** The env server's runnable jar, which the reactor packages before system-tests. */
    public static Path envServerJar() {
        Path jar = root().resolve("env-server/target/env-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with"
                    + " `mvn -B -pl env-server -am package -DskipTests` (`mvn verify` at the root does it)");
        }
        return jar;
    }
}
