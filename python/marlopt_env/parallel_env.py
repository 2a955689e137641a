"""A server session presented as a PettingZoo ParallelEnv: the common part, and the light form.

    with RemoteParallelEnv("127.0.0.1:50051", "ResourceShare-v1", {"num_agents": 4, "cost": "quadratic"}) as env:
        observations, infos = env.reset(seed=42)
        while env.agents:
            actions = {agent: policy(observations[agent]) for agent in env.agents}
            observations, rewards, terminations, truncations, infos = env.step(actions)

An agent's observation is the shared observation (sent once by the server) followed by the
agent's own observation; its action is the environment action followed by its outgoing message
when the environment has a message channel (`observation_parts` and `action_parts` say where each
part lies). One session holds one copy of the environment (num_envs = 1, autoreset disabled), so
`agents` empties when the episode ends and the next episode starts with `reset`, as in PettingZoo.

RemoteParallelEnvBase holds everything but the types of spaces and vectors. LightParallelEnv, the
form without optional dependencies, uses plain lists of floats and the small `spaces.Box`;
pettingzoo_env.PettingZooParallelEnv uses numpy arrays and gymnasium Boxes.
"""
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import grpc
from google.protobuf import struct_pb2

from .params import ParameterError, example, parameter_values, python_value
from .spaces import Box
from .stubs import env_pb2
from .transport import TRANSPORTS, EnvServerError, list_environments

AgentDict = Dict[str, object]
SHARED = "shared"


class RemoteParallelEnvBase:
    metadata = {"name": "marlopt_remote_parallel_env", "render_modes": []}
    render_mode = None

    def __init__(self, server: str, env_id: str = "DistributedOptimization-v1",
                 params: Optional[Mapping[str, object]] = None, reward_gradient: bool = False,
                 transport: str = "stream", timeout: float = 30.0, connect_timeout: float = 10.0):
        """Connects to `server` ("host:port") and makes a session of `env_id` with `params`.

        params: parameter name -> bool, int, float, str (a choice) or list of numbers; typed with
        the registry's declared types (ListEnvironments), omitted ones take their defaults; an
        undeclared name, a value of the wrong type or one the server rejects raises ParameterError.
        transport: "stream" (one Interact stream, lowest overhead) or "unary" (one call per
        Reset/Step on a pinned channel). timeout bounds each call (on the stream: each request's
        wait for its answer), connect_timeout the wait for the server to answer at all.
        reward_gradient: every step's infos then carry "reward_gradient", d reward / d action for
        that agent.
        """
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {sorted(TRANSPORTS)}, got {transport!r}")
        self._channel = grpc.insecure_channel(server)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=connect_timeout)
        except grpc.FutureTimeoutError:
            self._channel.close()
            raise ConnectionError(f"no env server answers at {server} (waited {connect_timeout:g} s)") from None
        try:
            made = self._make(env_id, params or {}, reward_gradient, transport, timeout)
        except Exception:
            self._channel.close()
            raise
        spec = made.spec
        self.session_id = made.session_id
        self.spec = spec
        self.params: Dict[str, object] = {name: python_value(spec.params[name]) for name in sorted(spec.params)}
        self.possible_agents: List[str] = [agent.name for agent in spec.agents]
        self.agents: List[str] = []
        shared = spec.shared_observation_space
        self.shared_observation_space = self._box(shared)
        self._observation_spaces = {
            a.name: self._box(a.observation_space, prefix=shared) for a in spec.agents}
        self._action_spaces = {a.name: self._box(a.action_space) for a in spec.agents}
        self._observation_parts = {
            a.name: {SHARED: slice(0, len(shared.low)), **_slices(a.observation_parts, len(shared.low))}
            for a in spec.agents}
        self._action_parts = {a.name: _slices(a.action_parts, 0) for a in spec.agents}
        self.state_space = self._box(spec.state_space)
        self.max_episode_steps = spec.max_episode_steps
        self._info_sizes = {key.name: key.size for key in spec.info}  # in the spec's order
        self._state = self._vector([])

    def _make(self, env_id, params, reward_gradient, transport, timeout):
        registry = {env.id: env for env in list_environments(self._channel, timeout)}
        declared = registry[env_id].parameters if env_id in registry else []  # Make names an unknown id
        request = env_pb2.MakeRequest(env_id=env_id, params=parameter_values(params, declared, env_id),
                                      options=env_pb2.SessionOptions(
                                          num_envs=1, reward_gradient=reward_gradient,
                                          autoreset_mode=env_pb2.AUTORESET_MODE_DISABLED))
        self._session = TRANSPORTS[transport](self._channel, timeout)
        try:
            return self._session.make(request)
        except EnvServerError as error:
            parameter_error = _as_parameter_error(error, declared)
            if parameter_error is None:
                raise
            raise parameter_error from None

    # --- what each form decides: the types of spaces and vectors ---------------------------------

    def _box(self, box, prefix=None):
        """The space of the proto Box `box`; with `prefix`, the flat space of prefix's elements
        followed by box's."""
        raise NotImplementedError

    def _vector(self, values: Sequence[float]):
        """An observation or state vector."""
        raise NotImplementedError

    def _action_values(self, action) -> List[float]:
        """An agent's action as the flat list of floats the wire carries."""
        raise NotImplementedError

    # --- the PettingZoo API ------------------------------------------------------------------------

    @property
    def unwrapped(self) -> "RemoteParallelEnvBase":
        return self

    def observation_space(self, agent: str):
        """The Box of `agent`'s observation: the shared part, then its own (the same object on
        every call, so seeding it holds)."""
        return self._observation_spaces[agent]

    def action_space(self, agent: str):
        return self._action_spaces[agent]

    def observation_parts(self, agent: str) -> Dict[str, slice]:
        """Where each part of `agent`'s observation lies: "shared", then the environment's own
        parts ("own", and "inbox" with a message channel)."""
        return dict(self._observation_parts[agent])

    def action_parts(self, agent: str) -> Dict[str, slice]:
        """Where each part of `agent`'s action lies: "action", and "message" with a channel."""
        return dict(self._action_parts[agent])

    def reset(self, seed: Optional[int] = None,
              options: Optional[Mapping[str, object]] = None) -> Tuple[AgentDict, AgentDict]:
        request = env_pb2.ResetRequest(seed=int(seed)) if seed is not None else env_pb2.ResetRequest()
        if options:
            request.options.CopyFrom(_to_struct(options))
        response = self._session.reset(request)
        self.agents = list(self.possible_agents)
        self._state = self._vector(response.state)
        observations = self._observations(response)
        infos = {agent: self._first_copy(response.info) for agent in self.agents}
        return observations, infos

    def step(self, actions: Mapping[str, Sequence[float]]):
        """Returns (observations, rewards, terminations, truncations, infos), keyed by agent."""
        self._check_agents(actions)
        request = env_pb2.StepRequest(actions=[
            env_pb2.AgentAction(agent=agent, values=self._action_values(actions[agent]))
            for agent in self.possible_agents])
        response = self._session.step(request)
        self._state = self._vector(response.state)
        terminated, truncated = response.terminated[0], response.truncated[0]
        shared_info = self._first_copy(response.info)
        shared_info["episode_steps"] = response.episode_steps[0]
        observations = self._observations(response)
        rewards, infos = {}, {}
        for agent in response.agents:
            rewards[agent.agent] = agent.reward[0]
            infos[agent.agent] = dict(shared_info)
            if agent.reward_gradient:
                infos[agent.agent]["reward_gradient"] = list(agent.reward_gradient)
        terminations = {agent: terminated for agent in self.agents}
        truncations = {agent: truncated for agent in self.agents}
        if terminated or truncated:
            self.agents = []
        return observations, rewards, terminations, truncations, infos

    def state(self):
        """The global state after the last reset or step (PettingZoo `state()`)."""
        return self._vector(self._state)

    def render(self) -> None:
        """Nothing to render: the server sends vectors only (render_mode None)."""
        return None

    def close(self) -> None:
        try:
            self._session.close()
        finally:
            self._channel.close()

    def __enter__(self) -> "RemoteParallelEnvBase":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _observations(self, response) -> Dict[str, object]:
        shared = list(response.shared_observation)
        return {agent.agent: self._vector(shared + list(agent.observation)) for agent in response.agents}

    def _first_copy(self, info) -> Dict[str, object]:
        """Each info array of the session's one copy, in the spec's order: a float for a scalar,
        else a list."""
        return {key: info[key].values[0] if size == 1 else list(info[key].values)
                for key, size in self._info_sizes.items() if key in info}

    def _check_agents(self, actions: Mapping[str, Sequence[float]]) -> None:
        if not self.agents:
            raise RuntimeError("the episode has ended (or never started): call reset() first")
        missing = [a for a in self.possible_agents if a not in actions]
        unknown = [a for a in actions if a not in self._action_spaces]
        if missing or unknown:
            raise ValueError(f"actions must have exactly one entry per agent {self.possible_agents}; "
                             f"missing {missing}, unknown {unknown}")


def _slices(parts, shift: int) -> Dict[str, slice]:
    return {part.name: slice(shift + part.offset, shift + part.offset + part.size) for part in parts}


def _to_struct(options: Mapping[str, object]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(options))
    return struct


def _as_parameter_error(error: EnvServerError, declared) -> Optional[ParameterError]:
    """The server's INVALID_ARGUMENT about `params.NAME` as a ParameterError, else None."""
    field = error.field or error.message.partition(": ")[0]
    if error.code != grpc.StatusCode.INVALID_ARGUMENT or not field.startswith("params."):
        return None
    name = field[len("params."):]
    problem = error.message[len(field) + 2:] if error.message.startswith(field + ": ") else error.message
    infos = {parameter.name: parameter for parameter in declared}
    return ParameterError(name, problem, example(infos[name]) if name in infos else "")


class LightParallelEnv(RemoteParallelEnvBase):
    """The form without optional dependencies: observations, states and actions are lists of
    floats, spaces are `spaces.Box`."""

    def _box(self, box, prefix=None):
        low, high = list(box.low), list(box.high)
        if prefix is None:
            return Box(tuple(box.shape), tuple(low), tuple(high))
        return Box((len(prefix.low) + len(low),), tuple(prefix.low) + tuple(low), tuple(prefix.high) + tuple(high))

    def _vector(self, values: Sequence[float]) -> List[float]:
        return list(values)

    def _action_values(self, action) -> List[float]:
        return list(action)
