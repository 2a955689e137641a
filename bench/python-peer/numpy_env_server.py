#!/usr/bin/env python3
"""The Python reference server of the server benchmark (`env-server bench-peer`, scripts/bench-server.sh).

Serves marlopt.env.v2 EnvService for DistributedOptimization-v1 with grpcio, as fast as Python
reasonably can: the environment steps every copy at once in numpy, Step requests are decoded by
hand (np.frombuffer on the packed action values) and Step/Reset replies are written as wire bytes
straight from numpy buffers, never through protobuf's message API. Make, Close and errors, which
are rare, use the generated messages.

It returns exactly what the Java server returns for the same seed: copy i draws its parameters
from java.util.SplittableRandom(seed + i), re-implemented here on uint64 arrays, and sums and
roundings follow the Java order. The benchmark checks that.

    /usr/bin/python3 bench/python-peer/numpy_env_server.py --port 0

prints "listening on PORT" once serving. Stubs are generated at start into a temporary directory
with Debian's grpc_tools (python3-grpc-tools), as examples/python-agent/generate_stubs.py does.
Implements the DISABLED and SAME_STEP autoreset modes (NEXT_STEP is refused), no reset options.
"""
import argparse
import os
import shutil
import sys
import tempfile
import threading
import uuid
from concurrent import futures

import numpy as np

try:
    import grpc
    from grpc_tools import protoc
except ImportError:
    sys.exit("grpcio or grpc_tools is missing: run `bash scripts/install-test-deps.sh` "
             "(installs Debian's python3-grpcio and python3-grpc-tools for /usr/bin/python3)")

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.join(HERE, "..", "..", "proto", "src", "main", "proto")
CONTRACT = os.path.join("marlopt", "env", "v2", "env.proto")
SERVICE = "marlopt.env.v2.EnvService"
ENV_ID = "DistributedOptimization-v1"
DEFAULTS = {"num_agents": 4, "param_dim": 20, "target": 5.0, "max_episode_steps": 50, "success_threshold": 0.1}
INFO_KEYS = ("objective", "distance", "solved")


def load_messages():
    """Generates the contract's Python messages into a temporary directory and imports them."""
    out = tempfile.mkdtemp(prefix="marlopt-peer-stubs-")
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    status = protoc.main(["grpc_tools.protoc", f"-I{PROTO_ROOT}", f"-I{well_known}", f"--python_out={out}",
                          os.path.join(PROTO_ROOT, CONTRACT)])
    if status != 0:
        sys.exit(f"protoc failed with status {status} on {CONTRACT}")
    sys.path.insert(0, out)
    try:
        from marlopt.env.v2 import env_pb2
        return env_pb2
    finally:
        shutil.rmtree(out)  # imported: the files are no longer needed


pb = load_messages()


# --- java.util.SplittableRandom on uint64 arrays ------------------------------------------------

GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def next_doubles(states):
    """nextDouble() of every stream in `states` (advanced in place), as SplittableRandom computes it."""
    states += GOLDEN_GAMMA
    z = states.copy()
    z = (z ^ (z >> np.uint64(30))) * MIX1
    z = (z ^ (z >> np.uint64(27))) * MIX2
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


# --- wire format ---------------------------------------------------------------------------------

def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field(number, payload):
    """A length-delimited field; proto3 writes nothing for an empty packed field."""
    return b"".join((varint(number << 3 | 2), varint(len(payload)), payload)) if payload else b""


def message_field(number, payload):
    """A length-delimited submessage field, written even when empty."""
    return b"".join((varint(number << 3 | 2), varint(len(payload)), payload))


def floats(number, array):
    return field(number, array.astype("<f4", copy=False).tobytes())


def bools(number, array):
    return field(number, array.astype(np.uint8).tobytes())


def uint32s(number, array):
    if array.size and array.max() < 0x80:
        return field(number, array.astype(np.uint8).tobytes())
    return field(number, b"".join(varint(int(v)) for v in array))


def info_map(number, info):
    entries = []
    for key, values in info.items():
        entry = message_field(1, key.encode()) + message_field(2, field(1, values.astype("<f8").tobytes()))
        entries.append(message_field(number, entry))
    return b"".join(entries)


def read_varint(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """(number, wire type, value) of each field; a length-delimited value is a memoryview slice."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = read_varint(buf, pos)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, pos = read_varint(buf, pos)
        elif kind == 2:
            size, pos = read_varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif kind == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif kind == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {kind}")
        yield number, kind, value


def decode_step(buf):
    """(session_id, [(agent, float32 values)], sequence) of a serialized StepRequest, floats unparsed."""
    session_id, actions, sequence = "", [], 0
    for number, kind, value in fields(memoryview(buf)):
        if number == 1 and kind == 2:
            session_id = bytes(value).decode()
        elif number == 3 and kind == 0:
            sequence = value
        elif number == 2 and kind == 2:
            agent, values = "", np.empty(0, np.float32)
            for inner, inner_kind, inner_value in fields(value):
                if inner == 1 and inner_kind == 2:
                    agent = bytes(inner_value).decode()
                elif inner == 2 and inner_kind == 2:
                    values = np.frombuffer(inner_value, dtype="<f4")
                elif inner == 2 and inner_kind == 5:  # an unpacked element
                    values = np.append(values, np.frombuffer(inner_value, dtype="<f4"))
            actions.append((agent, values))
    return session_id, actions, sequence


# --- the environment, every copy at once ---------------------------------------------------------

class RequestError(Exception):
    def __init__(self, code, message, field=""):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


class Session:
    """num_envs copies of DistributedOptimization-v1 as (num_envs, param_dim) arrays."""

    def __init__(self, params, options):
        self.__dict__.update(params)
        self.num_envs = options.num_envs or 1
        self.gradient = options.reward_gradient
        mode = options.autoreset_mode
        if mode == pb.AUTORESET_MODE_UNSPECIFIED:
            mode = pb.AUTORESET_MODE_DISABLED if self.num_envs == 1 else pb.AUTORESET_MODE_SAME_STEP
        if mode == pb.AUTORESET_MODE_NEXT_STEP:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "this peer implements DISABLED and SAME_STEP only",
                               "options.autoreset_mode")
        self.mode = mode
        self.block = self.param_dim // self.num_agents
        self.names = [f"agent_{i}" for i in range(self.num_agents)]
        self.name_fields = [message_field(1, name.encode()) for name in self.names]
        self.params = np.zeros((self.num_envs, self.param_dim), np.float32)
        self.randoms = None
        self.steps = np.zeros(self.num_envs, np.int64)
        self.over = np.zeros(self.num_envs, bool)
        self.lock = threading.Lock()

    def spec(self):
        box = lambda size, low, high: pb.Box(shape=[size], low=[low] * size, high=[high] * size)
        spec = pb.EnvSpec(env_id=ENV_ID, shared_observation_space=box(self.param_dim, -1.0, 1.0),
                          state_space=box(self.param_dim, -1.0, 1.0), max_episode_steps=self.max_episode_steps,
                          reward_gradient_available=True, success_key="solved",
                          options=pb.SessionOptions(num_envs=self.num_envs, reward_gradient=self.gradient,
                                                    autoreset_mode=self.mode))
        for name in self.names:
            spec.agents.add(name=name, observation_space=pb.Box(shape=[0]),
                            action_space=box(self.block, float("-inf"), float("inf")))
        for key in INFO_KEYS:
            spec.info.add(name=key, size=1)
        return spec

    def draw(self, rows):
        """Each row's parameters, param_dim draws in order from its copy's stream."""
        states = self.randoms[rows]
        for j in range(self.param_dim):
            self.params[rows, j] = (next_doubles(states) * 2.0 - 1.0).astype(np.float32)
        self.randoms[rows] = states

    def score(self):
        """objective, distance and solved; the sum in the Java order (float values added to a double)."""
        total = self.params[:, 0].astype(np.float64)
        for j in range(1, self.param_dim):
            total += self.params[:, j]
        distance = np.abs(self.target - total)
        return {"objective": total, "distance": distance, "solved": (distance < self.success_threshold) * 1.0}

    def reset(self, seed):
        if seed is not None:
            self.randoms = (np.uint64(seed) + np.arange(self.num_envs, dtype=np.uint64))
        elif self.randoms is None:
            self.randoms = np.frombuffer(os.urandom(8 * self.num_envs), dtype=np.uint64).copy()
        self.draw(slice(None))
        self.steps[:] = 0
        self.over[:] = False
        observation = self.params.tobytes()
        agents = b"".join(message_field(1, name) for name in self.name_fields)
        return b"".join((agents, field(2, observation), field(3, observation), info_map(4, self.score())))

    def step(self, actions):
        if self.randoms is None:
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, "step before the first reset: call Reset first")
        if self.over.any():
            raise RequestError(grpc.StatusCode.FAILED_PRECONDITION, "an episode has ended and autoreset is "
                               "disabled: call Reset before stepping again")
        moves = np.hstack([values.reshape(self.num_envs, self.block) for values in actions])
        moved = self.params + moves
        clipped = np.clip(moved, np.float32(-1), np.float32(1))
        unclipped = clipped == moved
        self.params = clipped
        info = self.score()
        total, distance = info["objective"], info["distance"]
        reward = (-distance).astype(np.float32)
        terminated = distance < self.success_threshold
        self.steps += 1
        truncated = self.steps >= self.max_episode_steps
        reward_field = floats(3, reward)
        gradient = None
        if self.gradient:
            slope = np.where(total > self.target, np.float32(-1), np.where(total < self.target, np.float32(1),
                                                                           np.float32(0))).astype(np.float32)
            gradient = np.where(unclipped, slope[:, None], np.float32(0)).astype(np.float32)
        agents = []
        for agent, name in enumerate(self.name_fields):
            own = name + reward_field
            if gradient is not None:
                own += floats(4, np.ascontiguousarray(gradient[:, agent * self.block:(agent + 1) * self.block]))
            agents.append(message_field(1, own))
        ended = terminated | truncated
        final = b""
        if ended.any():
            if self.mode == pb.AUTORESET_MODE_SAME_STEP:
                final_rows = self.params.tobytes()
                rows = np.flatnonzero(ended)
                self.draw(rows)
                self.steps[rows] = 0
                final = field(7, final_rows) + field(8, final_rows)
            else:
                self.over |= ended
        observation = self.params.tobytes()
        return b"".join(agents + [field(2, observation), field(3, observation), bools(4, terminated),
                                  bools(5, truncated), info_map(6, info), final, uint32s(10, self.steps)])


# --- the service ---------------------------------------------------------------------------------

class Service:
    def __init__(self):
        self.sessions = {}

    def make(self, request):
        if request.env_id != ENV_ID:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"unknown env_id '{request.env_id}'; this peer "
                               f"serves {ENV_ID} only", "env_id")
        params = dict(DEFAULTS)
        for name, value in request.params.items():
            if name not in params:
                raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"unknown parameter '{name}'", "params." + name)
            params[name] = getattr(value, value.WhichOneof("kind"))
        if params["param_dim"] % params["num_agents"]:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "param_dim must be divisible by num_agents",
                               "params.param_dim")
        session = Session(params, request.options)
        session_id = uuid.uuid4().hex
        self.sessions[session_id] = session
        return session_id, pb.MakeResponse(session_id=session_id, spec=session.spec())

    def session(self, session_id):
        try:
            return self.sessions[session_id]
        except KeyError:
            raise RequestError(grpc.StatusCode.NOT_FOUND, f"unknown session '{session_id}'", "session_id")

    def reset(self, session, request):
        with session.lock:
            return session.reset(request.seed if request.HasField("seed") else None)

    def step(self, session, actions):
        if len(actions) != session.num_agents:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"expected {session.num_agents} actions",
                               "actions")
        values = []
        for index, (agent, action) in enumerate(actions):
            if agent != session.names[index] or action.size != session.num_envs * session.block:
                raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"actions[{index}] must be {session.names[index]}"
                                   f" with {session.num_envs * session.block} values", f"actions[{index}]")
            if not np.isfinite(action).all():
                raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "every action value must be finite",
                                   f"actions[{index}].values")
            values.append(action)
        with session.lock:
            return session.step(values)

    def close(self, session_id):
        if self.sessions.pop(session_id, None) is None:
            raise RequestError(grpc.StatusCode.NOT_FOUND, f"unknown session '{session_id}'", "session_id")
        return pb.CloseResponse()


def unary(call):
    def handler(request, context):
        try:
            return call(request)
        except RequestError as e:
            context.abort(e.code, e.message)
    return handler


def interact(service):
    """One session per stream; step requests and answers never go through protobuf messages."""
    def handler(requests, context):
        bound, owned = None, False
        try:
            for raw in requests:
                try:
                    number, _, body = next(fields(memoryview(raw)), (0, 0, b""))
                    if number == 3:
                        session_id, actions, _ = decode_step(body)
                        session = bound or service.session(session_id)
                        bound = session
                        yield message_field(3, service.step(session, actions))
                        continue
                    request = pb.InteractRequest.FromString(raw)
                    kind = request.WhichOneof("request")
                    if kind == "make":
                        session_id, made = service.make(request.make)
                        bound, owned = service.sessions[session_id], session_id
                        yield pb.InteractResponse(make=made).SerializeToString()
                    elif kind == "reset":
                        bound = bound or service.session(request.reset.session_id)
                        yield message_field(2, service.reset(bound, request.reset))
                    elif kind == "close":
                        session_id = owned or request.close.session_id
                        service.close(session_id)
                        owned = False
                        yield pb.InteractResponse(close=pb.CloseResponse()).SerializeToString()
                        return
                    else:
                        raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, "the request sets none of make, "
                                           "reset, step or close", "request")
                except RequestError as e:
                    yield pb.InteractResponse(error=pb.Error(code=e.code.value[0], message=e.message,
                                                             field=e.field)).SerializeToString()
        finally:
            if owned:
                service.sessions.pop(owned, None)
    return handler


def serve(port, workers):
    service = Service()
    raw = lambda payload: payload
    handlers = {
        "Make": grpc.unary_unary_rpc_method_handler(
            unary(lambda request: service.make(request)[1]), request_deserializer=pb.MakeRequest.FromString,
            response_serializer=pb.MakeResponse.SerializeToString),
        "Reset": grpc.unary_unary_rpc_method_handler(
            unary(lambda request: service.reset(service.session(request.session_id), request)),
            request_deserializer=pb.ResetRequest.FromString, response_serializer=raw),
        "Step": grpc.unary_unary_rpc_method_handler(
            unary(lambda request: service.step(service.session(request[0]), request[1])),
            request_deserializer=decode_step, response_serializer=raw),
        "Close": grpc.unary_unary_rpc_method_handler(
            unary(lambda request: service.close(request.session_id)), request_deserializer=pb.CloseRequest.FromString,
            response_serializer=pb.CloseResponse.SerializeToString),
        "Interact": grpc.stream_stream_rpc_method_handler(interact(service), request_deserializer=raw,
                                                          response_serializer=raw),
    }
    limit = 64 * 1024 * 1024
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers),
                         handlers=[grpc.method_handlers_generic_handler(SERVICE, handlers)],
                         options=[("grpc.max_receive_message_length", limit),
                                  ("grpc.max_send_message_length", limit)])
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print(f"listening on {bound}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--workers", type=int, default=4, help="gRPC handler threads")
    args = parser.parse_args()
    serve(args.port, args.workers)
