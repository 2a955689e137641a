package org.marlopt.system.observability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.marlopt.system.support.ProjectFiles;

/**
 * What every compose file set must guarantee, checked on the model `docker-compose config` resolves. Each rule
 * lists its violations, naming the service and the fix; none means the rule holds.
 */
enum ComposeRule {

    EVERY_SERVICE_HAS_A_HEALTH_CHECK {
        @Override
        void check(JsonNode services, List<String> violations) {
            services.fields().forEachRemaining(service -> {
                JsonNode healthcheck = service.getValue().path("healthcheck");
                List<String> test = ComposeConfig.strings(healthcheck.path("test"));
                if (healthcheck.path("disable").asBoolean(false) || test.isEmpty() || !test.get(0).startsWith("CMD")) {
                    violations.add(service.getKey() + ": needs a healthcheck whose test is [\"CMD\", ...], has " + test);
                }
            });
        }
    },

    /** A health check must ask the service itself, at the address and port it serves on. */
    HEALTH_CHECKS_PROBE_EACH_SERVICES_OWN_ENDPOINT {
        @Override
        void check(JsonNode services, List<String> violations) {
            List<String> server = probe(services, "env-server");
            String grpcPort = valueOf(ComposeConfig.strings(services.path("env-server").path("command")), "--port");
            if (!server.contains("health") || !("127.0.0.1:" + grpcPort).equals(valueOf(server, "--target"))) {
                violations.add("env-server: the probe must run the jar's `health --target 127.0.0.1:" + grpcPort
                        + "`, runs " + server);
            }
            String metricsPort = valueOf(ComposeConfig.strings(services.path("agent-client").path("command")),
                    "--metrics-port");
            requireUrl(services, "agent-client", "http://127.0.0.1:" + metricsPort + "/metrics", violations);
            requireUrl(services, "prometheus", "http://127.0.0.1:9090/-/healthy", violations);
            requireUrl(services, "grafana", "http://127.0.0.1:3000/api/health", violations);
        }
    },

    /** Grafana starts once Prometheus answers, the trainer once the env server serves. */
    DEPENDENTS_WAIT_FOR_HEALTHY_SERVICES {
        @Override
        void check(JsonNode services, List<String> violations) {
            Map.of("grafana", "prometheus", "agent-client", "env-server").forEach((dependent, dependency) -> {
                String condition = services.path(dependent).path("depends_on").path(dependency).path("condition").asText();
                if (!"service_healthy".equals(condition)) {
                    violations.add(dependent + ": depends_on " + dependency + " needs condition: service_healthy, has '"
                            + condition + "'");
                }
            });
        }
    },

    /** The admin password comes from the environment (no default) or from a mounted secret file. */
    GRAFANA_ADMIN_PASSWORD_IS_GIVEN_NOT_DEFAULTED {
        @Override
        void check(JsonNode services, List<String> violations) {
            JsonNode grafana = services.path("grafana");
            JsonNode environment = grafana.path("environment");
            String password = environment.path("GF_SECURITY_ADMIN_PASSWORD").asText();
            String passwordFile = environment.path("GF_SECURITY_ADMIN_PASSWORD__FILE").asText();
            List<String> secrets = new ArrayList<>();
            grafana.path("secrets").forEach(secret -> secrets.add("/run/secrets/" + secret.path("source").asText()));
            boolean fromEnvironment = ComposeConfig.TEST_PASSWORD.equals(password);
            boolean fromSecret = password.isEmpty() && secrets.contains(passwordFile);
            if (!fromEnvironment && !fromSecret) {
                violations.add("grafana: GF_SECURITY_ADMIN_PASSWORD must be ${" + ComposeConfig.PASSWORD_VARIABLE
                        + ":?...} or GF_SECURITY_ADMIN_PASSWORD__FILE a mounted secret; resolved to '" + password
                        + "' / '" + passwordFile + "' with " + ComposeConfig.PASSWORD_VARIABLE + " set to '"
                        + ComposeConfig.TEST_PASSWORD + "'");
            }
        }
    },

    EVERY_SERVICE_HAS_CPU_AND_MEMORY_LIMITS {
        private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?[bkmg]?", Pattern.CASE_INSENSITIVE);

        @Override
        void check(JsonNode services, List<String> violations) {
            services.fields().forEachRemaining(service -> {
                JsonNode limits = service.getValue().path("deploy").path("resources").path("limits");
                double cpus = limits.path("cpus").asDouble(0);
                String memory = limits.path("memory").asText();
                if (cpus <= 0 || !MEMORY.matcher(memory).matches()) {
                    violations.add(service.getKey() + ": needs deploy.resources.limits with cpus > 0 and a memory "
                            + "size, has " + limits);
                }
            });
        }
    },

    /** Runs land in ./runs on the host, where their plots are one click away. */
    TRAINER_WRITES_RUNS_TO_THE_RUNS_BIND_MOUNT {
        @Override
        void check(JsonNode services, List<String> violations) {
            JsonNode trainer = services.path("agent-client");
            String bindMount = ProjectFiles.root().resolve("runs") + ":" + RUNS + ":rw";
            List<String> mounts = ComposeConfig.strings(trainer.path("volumes"));
            if (!mounts.contains(bindMount)) {
                violations.add("agent-client: needs the bind mount ./runs:" + RUNS + " (" + bindMount + "), has "
                        + mounts);
            }
            List<String> command = ComposeConfig.strings(trainer.path("command"));
            String out = valueOf(command, "--out");
            if (!out.startsWith(RUNS + "/")) {
                violations.add("agent-client: --out must be a directory under " + RUNS + ", is '" + out + "' in "
                        + command);
            }
        }
    };

    static final String RUNS = "/runs";

    /** This rule's violations in a resolved compose model; empty when it holds. */
    List<String> violations(JsonNode config) {
        List<String> violations = new ArrayList<>();
        check(config.path("services"), violations);
        return violations;
    }

    abstract void check(JsonNode services, List<String> violations);

    private static List<String> probe(JsonNode services, String service) {
        return ComposeConfig.strings(services.path(service).path("healthcheck").path("test"));
    }

    private static void requireUrl(JsonNode services, String service, String url, List<String> violations) {
        List<String> probe = probe(services, service);
        if (!probe.contains(url)) {
            violations.add(service + ": the probe must request " + url + ", runs " + probe);
        }
    }

    /** The word after {@code flag}, or "" when the flag is missing. */
    static String valueOf(List<String> command, String flag) {
        int at = command.indexOf(flag);
        return at >= 0 && at + 1 < command.size() ? command.get(at + 1) : "";
    }
}
