package org.marlopt.system.kubernetes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.marlopt.client.AgentClientMain;
import org.marlopt.server.EnvServerMain;
import org.marlopt.system.kubernetes.KubernetesManifests.Manifests;
import org.marlopt.system.support.ProjectFiles;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The args the manifests give the env server and the trainer are accepted by the real command lines
 * (picocli parses them exactly as the jars would, without running anything), in every overlay.
 */
class KubernetesCommandLineTest {

    @Test
    void envServerArgsParseWithTheServersCommandLine() throws Exception {
        for (String overlay : KubernetesManifests.overlays(ProjectFiles.root())) {
            List<String> args = KubernetesChecks.args(KubernetesManifestsTest.manifests(overlay).envServerPods());
            ParseResult parsed = assertDoesNotThrow(() -> envServer().parseArgs(args.toArray(String[]::new)),
                    overlay + ": env-server refuses " + args);
            assertTrue(parsed.subcommands().isEmpty(), overlay + ": the args run the server, not a subcommand");
            assertEquals(args.stream().filter(a -> a.startsWith("--")).count(), parsed.matchedOptions().size(),
                    overlay + ": every flag is an option of the server: " + args);
        }
    }

    @Test
    void trainerArgsParseWithTheAgentClientsTrainCommand() throws Exception {
        for (String overlay : KubernetesManifests.overlays(ProjectFiles.root())) {
            Manifests manifests = KubernetesManifestsTest.manifests(overlay);
            List<String> args = KubernetesChecks.args(manifests.trainerPods());
            assertEquals("train", args.get(0), overlay + ": the trainer runs train");
            ParseResult parsed = assertDoesNotThrow(() -> AgentClientMain.commandLine().parseArgs(args.toArray(String[]::new)),
                    overlay + ": agent-client refuses " + args);
            ParseResult train = parsed.subcommand();
            assertEquals("train", train.commandSpec().name());
            assertEquals(args.stream().filter(a -> a.startsWith("--")).count(), train.matchedOptions().size(),
                    overlay + ": every flag is an option of train: " + args);
        }
    }

    @Test
    void anUnknownFlagIsRefused() {
        assertFalse(parses(List.of("--host", "0.0.0.0", "--metrics-prot", "9464")), "a misspelt flag must fail");
    }

    private static boolean parses(List<String> args) {
        try {
            envServer().parseArgs(args.toArray(String[]::new));
            return true;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }

    private static CommandLine envServer() {
        return new CommandLine(new EnvServerMain());
    }
}
