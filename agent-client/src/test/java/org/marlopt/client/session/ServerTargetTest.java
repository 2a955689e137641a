package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forms --server accepts, what the channel is built on for each, and the errors for the rest. */
class ServerTargetTest {

    @Test
    void oneAddressKeepsTodaysTargetAndPickFirst() {
        ServerTarget target = ServerTarget.parse(" envs.local:50051 ", "--server");
        assertEquals("envs.local:50051", target.uri());
        assertFalse(target.balanced());
        assertNull(target.serviceConfig());
        assertEquals(List.of("envs.local:50051"), target.replicas().stream()
                .map(address -> address.getHostString() + ":" + address.getPort()).toList());
    }

    @Test
    void aListIsResolvedStaticallyAndBalancedWithHealthChecks() {
        ServerTarget target = ServerTarget.parse("127.0.0.1:5001, 127.0.0.2:5002,[::1]:5003", "--server");
        assertEquals("static:///127.0.0.1:5001,127.0.0.2:5002,%5B::1%5D:5003", target.uri());
        assertEquals("/127.0.0.1:5001,127.0.0.2:5002,[::1]:5003", java.net.URI.create(target.uri()).getPath(),
                "what the resolver reads");
        assertTrue(target.balanced());
        assertEquals(Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "healthCheckConfig", Map.of("serviceName", "marlopt.env.v2.EnvService")), target.serviceConfig());
        assertEquals(3, target.replicas().size());
    }

    @Test
    void aDnsNameIsLeftToGrpcsResolverAndBalanced() {
        ServerTarget target = ServerTarget.parse("dns:///localhost:7000", "--server");
        assertEquals("dns:///localhost:7000", target.uri());
        assertTrue(target.balanced());
        assertTrue(target.replicas().size() >= 1);
        assertTrue(target.replicas().stream().allMatch(address -> address.getPort() == 7000));
    }

    @Test
    void badFormsNameTheFlagAndTheForms() {
        for (String bad : List.of("localhost", "localhost:0", "localhost:70000", "a:1,,b:2", "a:1,b",
                "dns://8.8.8.8/envs:50051", "dns:/envs:50051", "http://envs:50051", "dns:///envs", "envs:50051/path")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerTarget.parse(bad, "--server"), bad);
            assertTrue(e.getMessage().startsWith("--server "), e.getMessage());
            assertTrue(e.getMessage().contains("dns:///NAME:PORT"), e.getMessage());
        }
    }

    @Test
    void anUnknownNameIsReportedWithTheWayOut() {
        ServerTarget target = ServerTarget.parse("dns:///no-such-host.invalid:50051", "--server");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, target::replicas);
        assertTrue(e.getMessage().contains("--shards K"), e.getMessage());
    }
}
