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
    void theFormsUsersTypeAreAccepted() {
        Map<String, String> uriOf = new java.util.LinkedHashMap<>();
        uriOf.put("http://127.0.0.1:50051", "127.0.0.1:50051");
        uriOf.put("grpc://envs.local:7000/", "envs.local:7000");
        uriOf.put("HTTP://envs.local:7000", "envs.local:7000");
        uriOf.put("[::1]:50051", "[::1]:50051");
        uriOf.put("http://[::1]:50051", "[::1]:50051");
        uriOf.put("grpc://a:1, http://b:2", "static:///a:1,b:2");
        uriOf.put("dns:///envs.local:50051", "dns:///envs.local:50051");
        uriOf.forEach((typed, uri) -> assertEquals(uri, ServerTarget.parse(typed, "--server").uri(), typed));
        assertEquals(new ServerTarget.HostPort("::1", 50051), ServerTarget.parse("[::1]:50051", "--server").entries()
                .get(0));
    }

    @Test
    void badFormsSayWhatIsWrongAndHowToWriteIt() {
        Map<String, String> messageOf = new java.util.LinkedHashMap<>();
        messageOf.put("localhost", "--server localhost: no port; write localhost:50051");
        messageOf.put("http://localhost", "--server http://localhost: no port; write localhost:50051");
        messageOf.put("[::1]", "--server [::1]: no port; write [::1]:50051");
        messageOf.put("localhost:0", "--server localhost:0: port 0 is not 1..65535");
        messageOf.put("localhost:70000", "--server localhost:70000: port 70000 is not 1..65535");
        messageOf.put("::1:50051", "--server ::1:50051: an IPv6 address goes in brackets; write [ADDRESS]:PORT, "
                + "e.g. [::1]:50051");
        messageOf.put("envs:50051/path", "--server envs:50051/path: an address has no path or query; write envs:PORT");
        messageOf.put("https://envs:50051", "--server https://envs:50051: TLS is chosen with --tls, not by the "
                + "scheme; write envs:50051 --tls");
        messageOf.put("ftp://envs:50051", "--server ftp://envs:50051: unknown scheme ftp://; write HOST:PORT");
        messageOf.put("a:1,b", "--server a:1,b, entry b: no port; write b:50051");
        messageOf.put("a:1,,b:2", "--server a:1,,b:2: an empty entry in the list; write HOST:PORT (e.g. "
                + "localhost:50051), a list HOST:PORT,HOST:PORT,... or dns:///NAME:PORT");
        messageOf.put("dns:///envs", "--server dns:///envs, name envs: no port; write envs:50051");
        messageOf.put("dns://8.8.8.8/envs:50051", "--server dns://8.8.8.8/envs:50051: a DNS name is written "
                + "dns:///NAME:PORT (three slashes, no DNS server authority)");
        messageOf.put("dns:/envs:50051", "--server dns:/envs:50051: a DNS name is written dns:///NAME:PORT (three "
                + "slashes, no DNS server authority)");
        messageOf.put(" ", "--server is empty; write HOST:PORT (e.g. localhost:50051), a list HOST:PORT,HOST:PORT,... "
                + "or dns:///NAME:PORT");
        messageOf.forEach((bad, message) -> assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> ServerTarget.parse(bad, "--server"), bad).getMessage(), bad));
    }

    @Test
    void anUnknownNameIsReportedWithTheWayOut() {
        ServerTarget target = ServerTarget.parse("dns:///no-such-host.invalid:50051", "--server");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, target::replicas);
        assertTrue(e.getMessage().contains("--shards K"), e.getMessage());
    }
}
