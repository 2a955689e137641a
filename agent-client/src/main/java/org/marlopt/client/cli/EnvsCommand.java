package org.marlopt.client.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.marlopt.client.eval.EnvExtras;
import org.marlopt.client.metrics.MetricsServer;
import org.marlopt.client.policy.PolicyMenu;
import org.marlopt.client.session.EnvClient;
import org.marlopt.client.session.EnvEndpoint;
import org.marlopt.client.session.EnvParams;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionRequest;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.policy.PolicyCatalog;
import org.marlopt.proto.env.v2.Capabilities;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.ParameterInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code envs}: what the server offers, with every parameter and the policies that apply. */
@Command(name = "envs", mixinStandardHelpOptions = true,
        description = "Lists the server's environments: their parameters (type, bounds, default), whether they "
                + "return reward gradients (what train needs), their score and success keys, the reference "
                + "policies that normalise their returns when there is no score key, and the policies evaluate "
                + "can run on them with default parameters.")
public final class EnvsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        connection.validatePorts();
        try (MetricsServer metricsServer = connection.startMetrics("envs", "all");
             EnvEndpoint endpoint = connection.endpoint();
             EnvClient client = connection.client(endpoint, metricsServer)) {
            Capabilities capabilities = client.capabilities();
            System.out.printf("env server %s at %s, protocol %s%n%n", capabilities.getServerVersion(),
                    client.target(), capabilities.getProtocolVersion());
            for (EnvironmentInfo env : client.environments().values()) {
                print(client, env);
            }
        }
        return 0;
    }

    private static void print(EnvClient client, EnvironmentInfo env) {
        System.out.println(env.getId());
        System.out.println("  " + env.getDescription().replace("\n", "\n  "));
        System.out.println("  parameters (--param NAME=VALUE):");
        for (ParameterInfo parameter : env.getParametersList()) {
            System.out.printf("    %-26s %s%n", parameter.getName(), EnvParams.describe(parameter));
            System.out.printf("    %-26s %s%n", "", parameter.getDescription());
        }
        try (EnvSession session = client.open(new SessionRequest(env.getId(), Map.of(), 1, false))) {
            SessionSpec spec = session.spec();
            List<String> policies = new PolicyMenu(spec, null, EnvExtras.forEnv(env.getId()).referencePolicies(spec),
                    PolicyCatalog.discover(), Map.of()).names();
            System.out.printf("  reward gradient: %s; score key: %s; success key: %s%n",
                    spec.env().rewardGradientAvailable() ? "yes (train works)" : "no",
                    orNone(spec.scoreKey()), orNone(spec.successKey()));
            ScoreReference reference = spec.scoreReference();
            if (reference != null) {
                System.out.printf("  score reference: 0 = %s, 1 = %s (%s)%n", reference.naivePolicy(),
                        reference.optimumPolicy(), reference.kind());
            }
            System.out.println("  policies (default parameters): " + String.join(", ", policies)
                    + ", and learned from a checkpoint");
        }
        System.out.println();
    }

    private static String orNone(String key) {
        return key == null ? "none" : key;
    }
}
