package org.marlopt.system.kubernetes;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Flags the manifests already pass that land with the scale-out branches: the server's connection age and
     * drain (--max-connection-age-seconds, --max-connection-age-grace-seconds, --drain-delay-seconds) and the
     * client's --shards. They are taken out, with their value, before parsing; everything else must parse.
     * Remove each from this list once its branch is merged: {@link #pendingFlagsAreStillUnknownToTheCli} fails
     * as soon as a CLI accepts one, to say so.
     */
    static final Map<String, Set<String>> PENDING_FLAGS = Map.of(
            "env-server", Set.of("--max-connection-age-seconds", "--max-connection-age-grace-seconds",
                    "--drain-delay-seconds"),
            "agent-client", Set.of("--shards"));

    @Test
    void envServerArgsParseWithTheServersCommandLine() throws Exception {
        for (String overlay : KubernetesManifests.overlays(ProjectFiles.root())) {
            List<String> args = KubernetesChecks.args(KubernetesManifestsTest.manifests(overlay).envServerPods());
            List<String> known = withoutPending(args, PENDING_FLAGS.get("env-server"));
            ParseResult parsed = assertDoesNotThrow(() -> envServer().parseArgs(known.toArray(String[]::new)),
                    overlay + ": env-server refuses " + known);
            assertTrue(parsed.subcommands().isEmpty(), overlay + ": the args run the server, not a subcommand");
            assertEquals(known.stream().filter(a -> a.startsWith("--")).count(), parsed.matchedOptions().size(),
                    overlay + ": every flag is an option of the server: " + known);
        }
    }

    @Test
    void trainerArgsParseWithTheAgentClientsTrainCommand() throws Exception {
        for (String overlay : KubernetesManifests.overlays(ProjectFiles.root())) {
            Manifests manifests = KubernetesManifestsTest.manifests(overlay);
            List<String> args = KubernetesChecks.args(manifests.trainerPods());
            assertEquals("train", args.get(0), overlay + ": the trainer runs train");
            List<String> known = withoutPending(args, PENDING_FLAGS.get("agent-client"));
            ParseResult parsed = assertDoesNotThrow(() -> AgentClientMain.commandLine().parseArgs(known.toArray(String[]::new)),
                    overlay + ": agent-client refuses " + known);
            ParseResult train = parsed.subcommand();
            assertEquals("train", train.commandSpec().name());
            assertEquals(known.stream().filter(a -> a.startsWith("--")).count(), train.matchedOptions().size(),
                    overlay + ": every flag is an option of train: " + known);
        }
    }

    /** Each pending flag is in the manifests (or the list is stale) and not yet known to its CLI. */
    @Test
    void pendingFlagsAreStillUnknownToTheCli() throws Exception {
        Manifests production = KubernetesManifestsTest.manifests("production");
        List<String> serverArgs = KubernetesChecks.args(production.envServerPods());
        List<String> trainerArgs = KubernetesChecks.args(production.trainerPods());
        var serverOptions = envServer().getCommandSpec().optionsMap().keySet();
        var trainOptions = AgentClientMain.commandLine().getSubcommands().get("train").getCommandSpec().optionsMap().keySet();
        for (String flag : PENDING_FLAGS.get("env-server")) {
            assertFalse(serverOptions.contains(flag), "env-server now has " + flag
                    + ": remove it from KubernetesCommandLineTest.PENDING_FLAGS");
        }
        for (String flag : PENDING_FLAGS.get("agent-client")) {
            assertFalse(trainOptions.contains(flag), "agent-client train now has " + flag
                    + ": remove it from KubernetesCommandLineTest.PENDING_FLAGS");
            assertTrue(trainerArgs.contains(flag), "the trainer Job does not pass " + flag);
        }
        assertTrue(serverArgs.contains("--drain-delay-seconds") && serverArgs.contains("--max-connection-age-seconds"),
                "the env-server Deployment passes the drain delay and the connection age: " + serverArgs);
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

    /** {@code args} without the pending flags and their values (every one of them takes a value). */
    static List<String> withoutPending(List<String> args, Set<String> pending) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (pending.contains(arg)) {
                i++;
            } else if (pending.stream().noneMatch(flag -> arg.startsWith(flag + "="))) {
                kept.add(arg);
            }
        }
        return kept;
    }
}
