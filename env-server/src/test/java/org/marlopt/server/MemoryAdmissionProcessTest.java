package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.marlopt.proto.env.v2.CloseRequest;
import org.marlopt.proto.env.v2.EnvServiceGrpc;
import org.marlopt.proto.env.v2.GetCapabilitiesRequest;
import org.marlopt.proto.env.v2.MakeRequest;
import org.marlopt.proto.env.v2.SessionOptions;

/**
 * A server in a child JVM with a small heap, hammered by concurrent Makes of large sessions that
 * are never closed: it refuses them cleanly (RESOURCE_EXHAUSTED naming the memory budget) before
 * any OutOfMemoryError, keeps serving, and takes them again once they are closed.
 */
class MemoryAdmissionProcessTest {

    private static final int CLIENTS = 8;
    private static final int MAKES_PER_CLIENT = 12;

    /** About 34 MB per copy as priced (A is 64 x 1024 x 32 doubles); 1 to 4 copies per session. */
    private static MakeRequest largeMake(int numEnvs) {
        return MakeRequest.newBuilder().setEnvId("DistributedLeastSquares-v1")
                .putParams("num_agents", TestServer.integer(64))
                .putParams("rows", TestServer.integer(1024))
                .putParams("dim", TestServer.integer(32))
                .setOptions(SessionOptions.newBuilder().setNumEnvs(numEnvs))
                .build();
    }

    @Test
    void largeMakesAreRefusedCleanlyBeforeTheHeapRunsOutAndTakenAgainOnceClosed(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), EnvServerMain.class.getName(),
                "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"))
                .redirectError(log.toFile()).start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        ManagedChannel channel = null;
        try {
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            Matcher announced = Pattern.compile("listening on port (\\d+)").matcher(String.valueOf(line));
            assertTrue(announced.matches(), "first stdout line: " + line);
            channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(announced.group(1)))
                    .usePlaintext().build();
            EnvServiceGrpc.EnvServiceBlockingStub stub = EnvServiceGrpc.newBlockingStub(channel);

            Map<Status.Code, AtomicInteger> codes = new ConcurrentHashMap<>();
            Queue<String> open = new ConcurrentLinkedQueue<>();
            List<String> refusals = new ArrayList<>();
            List<Future<?>> runs = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                int seed = client;
                runs.add(clients.submit(() -> {
                    for (int i = 0; i < MAKES_PER_CLIENT; i++) {
                        try {
                            open.add(stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                                    .make(largeMake(1 + (seed + i) % 4)).getSessionId());
                            codes.computeIfAbsent(Status.Code.OK, code -> new AtomicInteger()).incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            codes.computeIfAbsent(e.getStatus().getCode(), code -> new AtomicInteger()).incrementAndGet();
                            synchronized (refusals) {
                                refusals.add(e.getStatus().getDescription());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
            System.out.println("large Makes against a 192 MiB heap: " + codes);
            System.out.println("first refusal: " + refusals.get(0));
            assertEquals(java.util.Set.of(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED), codes.keySet(),
                    "some Makes fit, the rest are refused, nothing else: " + codes);
            assertTrue(refusals.stream().allMatch(text -> text.contains("memory budget")
                    && text.contains("--memory-budget-bytes")), refusals.get(0));
            assertEquals("v2", stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getProtocolVersion());

            for (String session : open) {
                stub.withDeadlineAfter(10, TimeUnit.SECONDS).close(CloseRequest.newBuilder().setSessionId(session).build());
            }
            String again = stub.withDeadlineAfter(60, TimeUnit.SECONDS).make(largeMake(2)).getSessionId();
            assertFalse(again.isEmpty(), "closed sessions returned their memory");
            assertTrue(process.isAlive());
            assertFalse(Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
        } finally {
            clients.shutdownNow();
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
