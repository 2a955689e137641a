"""What the tests share: the real env server they run against, and peers that never answer."""
import os
import socket
import threading
from concurrent import futures

import grpc

from marlopt_env.stubs import env_pb2, env_pb2_grpc

SERVER_VARIABLE = "MARLOPT_TEST_SERVER"


def server_target() -> str:
    """host:port of a running env server (system-tests' PythonPackageTest starts one)."""
    target = os.environ.get(SERVER_VARIABLE)
    if not target:
        raise RuntimeError(f"set {SERVER_VARIABLE}=host:port of a running env server "
                           "(java -jar env-server/target/env-server.jar --port 0)")
    return target


class SilentSocket:
    """A TCP listener that accepts connections and never sends a byte: a peer stalled before the
    HTTP/2 handshake."""

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._accepted = []
        self.target = f"127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        try:
            while True:
                self._accepted.append(self._listener.accept()[0])
        except OSError:  # closed
            pass

    def close(self):
        self._listener.close()
        for connection in self._accepted:
            connection.close()


class StallingServicer(env_pb2_grpc.EnvServiceServicer):
    """A real gRPC peer that lists no environment, answers Make on the Interact stream, and then
    never answers again; a unary Make stalls too. Stalled handlers wait for `release`."""

    def __init__(self):
        self.release = threading.Event()

    def ListEnvironments(self, request, context):
        return env_pb2.ListEnvironmentsResponse()

    def Make(self, request, context):
        self.release.wait()
        context.abort(grpc.StatusCode.UNAVAILABLE, "released")

    def Interact(self, request_iterator, context):
        for request in request_iterator:
            if request.WhichOneof("request") == "make":
                yield env_pb2.InteractResponse(make=_one_agent_session(request.make.env_id))
            else:
                self.release.wait()
                return


class StallingServer:
    def __init__(self):
        self.servicer = StallingServicer()
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        env_pb2_grpc.add_EnvServiceServicer_to_server(self.servicer, self._server)
        self.target = f"127.0.0.1:{self._server.add_insecure_port('127.0.0.1:0')}"
        self._server.start()

    def close(self):
        self.servicer.release.set()
        self._server.stop(grace=None)


def _one_agent_session(env_id: str):
    unit = env_pb2.Box(shape=[1], low=[0.0], high=[1.0])
    empty = env_pb2.Box(shape=[0])
    spec = env_pb2.EnvSpec(env_id=env_id, agents=[env_pb2.AgentSpec(name="a", observation_space=unit,
                                                                     action_space=unit)],
                           shared_observation_space=empty, state_space=empty, max_episode_steps=3)
    return env_pb2.MakeResponse(session_id="stalled", spec=spec)
