"""Two ways to drive one server session: unary calls on a pinned channel, or the Interact stream.

Both raise EnvServerError with the gRPC status code the contract documents, so callers handle
failures the same way whichever transport they use.
"""
import queue
import threading

import grpc

from .stubs import env_pb2, env_pb2_grpc

_STATUS_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


class EnvServerError(Exception):
    """A call the server rejected. `code` is a grpc.StatusCode; `field` names the request field
    at fault when the server says (stream errors only)."""

    def __init__(self, code: grpc.StatusCode, message: str, field: str = ""):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.field = field

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "EnvServerError":
        return cls(error.code(), error.details() or "")


class UnaryTransport:
    """Make/Reset/Step/Close as unary calls. One channel keeps the session on one replica."""

    def __init__(self, channel: grpc.Channel, timeout: float):
        self._stub = env_pb2_grpc.EnvServiceStub(channel)
        self._timeout = timeout
        self._session_id = ""

    def make(self, request):
        response = self._call(self._stub.Make, request)
        self._session_id = response.session_id
        return response

    def reset(self, request):
        request.session_id = self._session_id
        return self._call(self._stub.Reset, request)

    def step(self, request):
        request.session_id = self._session_id
        return self._call(self._stub.Step, request)

    def close(self):
        if self._session_id:
            session_id, self._session_id = self._session_id, ""
            self._call(self._stub.Close, env_pb2.CloseRequest(session_id=session_id))

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise EnvServerError.from_rpc_error(error) from None


class StreamTransport:
    """The session lives on one Interact stream, which owns it: ending the stream closes it.

    Each request waits at most `timeout` seconds for its answer. A thread reads the stream into a
    queue, so a stalled server makes the waiting call fail with DEADLINE_EXCEEDED instead of
    blocking forever; the stream is then cancelled (and with it the session).
    """

    _END = object()

    def __init__(self, channel: grpc.Channel, timeout: float):
        self._stub = env_pb2_grpc.EnvServiceStub(channel)
        self._timeout = timeout
        self._requests = None
        self._call = None
        self._replies = None

    def make(self, request):
        self._requests = queue.Queue()
        self._replies = queue.Queue()
        self._call = self._stub.Interact(iter(self._requests.get, self._END))
        threading.Thread(target=self._read, args=(self._call, self._replies), daemon=True,
                         name="marlopt-interact-reader").start()
        return self._exchange(env_pb2.InteractRequest(make=request))

    def reset(self, request):
        return self._exchange(env_pb2.InteractRequest(reset=request))

    def step(self, request):
        return self._exchange(env_pb2.InteractRequest(step=request))

    def close(self):
        if self._call is None:
            return
        try:
            self._exchange(env_pb2.InteractRequest(close=env_pb2.CloseRequest()))
        finally:
            self._end()

    @staticmethod
    def _read(call, replies: queue.Queue) -> None:
        """Moves every reply, then how the stream ended (an RpcError or StopIteration), to `replies`."""
        try:
            for reply in call:
                replies.put(reply)
            replies.put(StopIteration())
        except grpc.RpcError as error:
            replies.put(error)

    def _exchange(self, request):
        if self._call is None:
            raise EnvServerError(grpc.StatusCode.FAILED_PRECONDITION,
                                 "the Interact stream has ended: make a new environment")
        self._requests.put(request)
        try:
            reply = self._replies.get(timeout=self._timeout)
        except queue.Empty:
            self._end()
            raise EnvServerError(grpc.StatusCode.DEADLINE_EXCEEDED,
                                 f"no answer on the Interact stream within {self._timeout:g} s; the stream "
                                 "and its session are closed (raise `timeout` if the server is just slow)") from None
        if isinstance(reply, grpc.RpcError):
            self._end()
            raise EnvServerError.from_rpc_error(reply)
        if isinstance(reply, StopIteration):
            self._end()
            raise EnvServerError(grpc.StatusCode.UNAVAILABLE, "the server ended the stream")
        kind = reply.WhichOneof("response")
        if kind == "error":
            code = _STATUS_BY_NUMBER.get(reply.error.code, grpc.StatusCode.UNKNOWN)
            raise EnvServerError(code, reply.error.message, reply.error.field)
        return getattr(reply, kind)

    def _end(self) -> None:
        if self._call is not None:
            self._requests.put(self._END)
            self._call.cancel()
            self._call = None


TRANSPORTS = {"stream": StreamTransport, "unary": UnaryTransport}


def list_environments(channel: grpc.Channel, timeout: float):
    """The server's registry (EnvironmentInfo messages), over a plain unary call: it holds no
    session, so it needs no affinity."""
    try:
        request = env_pb2.ListEnvironmentsRequest()
        return list(env_pb2_grpc.EnvServiceStub(channel).ListEnvironments(request, timeout=timeout).environments)
    except grpc.RpcError as error:
        raise EnvServerError.from_rpc_error(error) from None
