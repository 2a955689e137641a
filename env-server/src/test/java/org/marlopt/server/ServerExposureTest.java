package org.marlopt.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.marlopt.security.ServerSecurity;
import picocli.CommandLine;

/** What a server shows without being asked: the interface it binds, and reflection. */
class ServerExposureTest {

    @Test
    void theServerBindsLoopbackUnlessToldOtherwise() {
        assertEquals("127.0.0.1", ServerConfig.defaults().host());
        EnvServerMain main = new EnvServerMain();
        new CommandLine(main).parseArgs();
        assertEquals("127.0.0.1", main.host);
    }

    @Test
    void reflectionIsServedByDefaultAndUnimplementedWhenTurnedOff() throws Exception {
        try (TestServer on = TestServer.start(ServerSecurity.NONE)) {
            assertEquals(Status.Code.OK, AuthenticationTest.listServices(on.channel).getCode());
        }
        try (TestServer off = TestServer.start(new ServerSecurity(null, null, false))) {
            assertEquals(Status.Code.UNIMPLEMENTED, AuthenticationTest.listServices(off.channel).getCode());
        }
    }
}
