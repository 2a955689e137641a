package org.marlopt.client;

import org.marlopt.client.cli.BenchCommand;
import org.marlopt.client.cli.BenchUpdatesCommand;
import org.marlopt.client.cli.CompareCommand;
import org.marlopt.client.cli.EnvsCommand;
import org.marlopt.client.cli.ErrorHandler;
import org.marlopt.client.cli.EvaluateCommand;
import org.marlopt.client.cli.ExperimentCommand;
import org.marlopt.client.cli.TrainCommand;
import org.marlopt.client.job.GracefulStop;
import org.marlopt.logging.Logs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The agent client: trains and evaluates DJL agents on any environment of an env server, over gRPC. */
@Command(name = "agent-client", mixinStandardHelpOptions = true, versionProvider = ClientVersion.class,
        description = "Trains and evaluates multi-agent reward-gradient agents, and the classical algorithms, on "
                + "the environments of a marlopt env server.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, EnvsCommand.class, BenchCommand.class,
                BenchUpdatesCommand.class, CompareCommand.class, ExperimentCommand.class, CommandLine.HelpCommand.class})
public final class AgentClientMain implements Runnable {

    public static void main(String[] args) {
        configureRuntime();
        GracefulStop.ownSignals();
        System.exit(commandLine().execute(args));
    }

    /**
     * Must run before DJL loads: the PyTorch engine comes from the native jar on the class path
     * and never downloads; one PyTorch thread, because the small batched ops gain nothing from
     * more and their OpenMP spin-waiting would take the core the env server's thread needs
     * (override with -Dai.djl.pytorch.num_threads=N); figures render headless; DJL's start-up
     * chatter, the in-JVM env server's lifecycle lines and gRPC's connection warnings (the client
     * reports what failed itself, in one line) stay quiet: a run prints only what its user needs.
     */
    public static void configureRuntime() {
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("java.awt.headless", "true");
        setDefault("org.slf4j.simpleLogger.log.ai.djl", "error");
        setDefault("org.slf4j.simpleLogger.log.io.grpc", "error");
        setDefault("org.slf4j.simpleLogger.log.org.marlopt.server", "warn");
        // initialise logging now, before any background thread (the engine loader) logs
        Logs.init();
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new AgentClientMain());
        ErrorHandler errors = new ErrorHandler();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        return commandLine;
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
