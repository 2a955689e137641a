"""A thin layer over the generated stub: deadlines, sessions that always close, status checks.

Unexpected RPC failures become CheckFailed naming the call, so a check's message says which
request the server refused and why.
"""
import contextlib
import math
import random
from functools import cached_property
from typing import List, Optional, Sequence

import grpc
from google.protobuf import struct_pb2

from .harness import CheckFailed, fail

Actions = List[List[float]]  # per agent, in spec order: num_envs * action size values


class Server:
    def __init__(self, target: str, pb, pb_grpc, timeout: float):
        self.target = target
        self.pb = pb
        self.timeout = timeout
        self.channel = grpc.insecure_channel(target)
        self.stub = pb_grpc.EnvServiceStub(self.channel)

    def wait_until_reachable(self, seconds: float) -> bool:
        try:
            grpc.channel_ready_future(self.channel).result(timeout=seconds)
            return True
        except grpc.FutureTimeoutError:
            return False

    @cached_property
    def capabilities(self):
        return self.call("GetCapabilities", self.pb.GetCapabilitiesRequest())

    @cached_property
    def environments(self):
        return list(self.call("ListEnvironments", self.pb.ListEnvironmentsRequest()).environments)

    def call(self, method: str, request):
        try:
            return getattr(self.stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as error:
            raise CheckFailed(f"{method} failed unexpectedly: {error.code().name}: {error.details()}") from None

    def expect_status(self, code: grpc.StatusCode, method: str, request, what: str) -> str:
        """Calls `method` expecting it to fail with `code` and a non-empty message; returns it."""
        try:
            getattr(self.stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as error:
            if error.code() != code:
                fail(f"{what}: expected {code.name}, got {error.code().name}: {error.details()}")
            if not error.details():
                fail(f"{what}: {code.name} with an empty message; the contract asks for a message "
                     f"naming the field and the fix")
            return error.details()
        fail(f"{what}: expected {code.name}, but {method} succeeded")

    def make_request(self, env_id: str, params=None, num_envs: int = 0, reward_gradient: bool = False,
                     autoreset: int = 0):
        """`params`: name -> a Python value (typed by `parameter_value`) or a ParameterValue."""
        options = self.pb.SessionOptions(num_envs=num_envs, reward_gradient=reward_gradient,
                                         autoreset_mode=autoreset)
        typed = {name: parameter_value(self.pb, value) for name, value in (params or {}).items()}
        return self.pb.MakeRequest(env_id=env_id, params=typed, options=options)

    @contextlib.contextmanager
    def session(self, env_id: str, params=None, num_envs: int = 0, reward_gradient: bool = False,
                autoreset: int = 0):
        made = self.call("Make", self.make_request(env_id, params, num_envs, reward_gradient, autoreset))
        session = Session(self, made)
        try:
            yield session
        finally:
            session.close_quietly()

    def reset_request(self, session_id: str, seed: Optional[int] = None, options=None):
        request = self.pb.ResetRequest(session_id=session_id)
        if seed is not None:
            request.seed = seed
        if options is not None:
            request.options.CopyFrom(to_struct(options))
        return request

    def step_request(self, session_id: str, spec, actions: Actions):
        return self.pb.StepRequest(session_id=session_id, actions=[
            self.pb.AgentAction(agent=agent.name, values=values)
            for agent, values in zip(spec.agents, actions)])


class Session:
    def __init__(self, server: Server, made):
        self.server = server
        self.id = made.session_id
        self.spec = made.spec

    def reset(self, seed: Optional[int] = None, options=None):
        return self.server.call("Reset", self.server.reset_request(self.id, seed, options))

    def step(self, actions: Actions):
        return self.server.call("Step", self.step_request(actions))

    def step_request(self, actions: Actions):
        return self.server.step_request(self.id, self.spec, actions)

    def close(self):
        self.server.call("Close", self.server.pb.CloseRequest(session_id=self.id))

    def close_quietly(self):
        try:
            self.server.stub.Close(self.server.pb.CloseRequest(session_id=self.id), timeout=self.server.timeout)
        except grpc.RpcError:
            pass  # already closed by the check, or the server is gone: nothing left to free


def parameter_value(pb, value):
    """A ParameterValue from a Python bool, int, float, str or list of numbers (or a
    ParameterValue, returned as it is): the types a client would naturally write."""
    if isinstance(value, pb.ParameterValue):
        return value
    if isinstance(value, bool):
        return pb.ParameterValue(boolean=value)
    if isinstance(value, int):
        return pb.ParameterValue(integer=value)
    if isinstance(value, float):
        return pb.ParameterValue(number=value)
    if isinstance(value, str):
        return pb.ParameterValue(text=value)
    return pb.ParameterValue(numbers=pb.NumberList(values=list(value)))


def python_value(value):
    """A ParameterValue as (kind, Python value), e.g. ("integer", 4): the kind keeps 4 and 4.0 apart."""
    kind = value.WhichOneof("kind")
    if kind == "numbers":
        return kind, list(value.numbers.values)
    return kind, getattr(value, kind) if kind else None


def short_episode_params(env, steps: int):
    """{"max_episode_steps": steps} when the environment declares that integer parameter and
    allows `steps`, else {}: lets a check reach episode ends quickly."""
    for parameter in env.parameters:
        if (parameter.name == "max_episode_steps" and parameter.default_value.WhichOneof("kind") == "integer"
                and parameter.min <= steps <= parameter.max):
            return {"max_episode_steps": steps}
    return {}


def part(parts, name: str):
    """The Part called `name` among an agent's observation_parts or action_parts, or None."""
    return next((p for p in parts if p.name == name), None)


def in_neighbours(spec, agent: int) -> List[int]:
    """The agents whose messages `agent` receives, in increasing index: the order of its inbox slots."""
    return sorted(getattr(edge, "from") for edge in spec.comm.edges if edge.to == agent)


def to_struct(options) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(options)
    return struct


def box_size(box) -> int:
    return math.prod(box.shape)


def sample_box(box, rng: random.Random, copies: int = 1) -> List[float]:
    """`copies` samples, concatenated: uniform inside finite bounds; like Gymnasium, a shifted
    exponential beside a single finite bound and a unit normal where both are infinite."""
    return [_sample_interval(low, high, rng) for _ in range(copies) for low, high in zip(box.low, box.high)]


def _sample_interval(low: float, high: float, rng: random.Random) -> float:
    if math.isfinite(low) and math.isfinite(high):
        return rng.uniform(low, high)
    if math.isfinite(low):
        return low + rng.expovariate(1.0)
    if math.isfinite(high):
        return high - rng.expovariate(1.0)
    return rng.gauss(0.0, 1.0)


def random_actions(spec, rng: random.Random, num_envs: int = 1) -> Actions:
    return [sample_box(agent.action_space, rng, num_envs) for agent in spec.agents]


def zero_actions(spec, num_envs: int = 1) -> Actions:
    return [[0.0] * (box_size(agent.action_space) * num_envs) for agent in spec.agents]


def copy_rows(values: Sequence, size: int, copy: int) -> List:
    return list(values[copy * size:(copy + 1) * size])


def batch_actions(per_copy: Sequence[Actions]) -> Actions:
    """Concatenates single-copy actions copy-major."""
    agents = len(per_copy[0])
    return [[v for actions in per_copy for v in actions[a]] for a in range(agents)]
