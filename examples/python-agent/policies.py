"""Baseline policies, each acting for every agent: {agent: observation} -> {agent: action}.

RandomPolicy works with any environment. ProportionalController drives DistributedOptimization-v1,
where the parameter vector is the shared observation and each agent's action is added to its own
block of it. Both work with either form of RemoteParallelEnv (lists and the light Box, or numpy
arrays and gymnasium Boxes): they use only a space's `seed`, `sample`, `low` and `high`.
"""
from typing import Dict, List, Sequence

SEED_ENV_ID = "DistributedOptimization-v1"


class RandomPolicy:
    """Samples each agent's whole action (environment action and message) from its action space
    (uniform where bounded, as Gymnasium's Box.sample where unbounded); agent i's space is seeded
    `seed + i`."""

    def __init__(self, env, seed: int):
        self._env = env
        for index, agent in enumerate(env.possible_agents):
            env.action_space(agent).seed(seed + index)

    def act(self, observations: Dict[str, Sequence[float]]) -> Dict[str, Sequence[float]]:
        return {agent: self._env.action_space(agent).sample() for agent in observations}


class ProportionalController:
    """Closes `gain` of the gap between the objective sum(params) and the target each step.

    The error is shared out over all parameters in proportion to how far each can still move
    toward the target before the [-1, 1] clip binds, so no agent pushes a saturated parameter.
    Every agent sees the same vector (the shared observation), so all agents compute the same
    split and each applies the slice of it that falls in its own block. With gain 1 a reachable
    target is hit in one step.
    """

    def __init__(self, env, gain: float):
        if env.spec.env_id != SEED_ENV_ID:
            raise ValueError(f"the proportional controller drives {SEED_ENV_ID}, not {env.spec.env_id}")
        self._env = env
        self._gain = gain
        self._target = env.params["target"]
        self._block = env.params["param_dim"] // env.params["num_agents"]

    def act(self, observations: Dict[str, Sequence[float]]) -> Dict[str, List[float]]:
        some_agent, some_view = next(iter(observations.items()))
        moves = self._joint_move(some_view[self._env.observation_parts(some_agent)["shared"]])
        actions = {}
        for index, agent in enumerate(self._env.possible_agents):
            if agent in observations:
                own = moves[index * self._block:(index + 1) * self._block]
                space = self._env.action_space(agent)
                actions[agent] = [min(max(v, lo), hi) for v, lo, hi in zip(own, space.low, space.high)]
        return actions

    def _joint_move(self, params: Sequence[float]) -> List[float]:
        error = self._target - sum(params)
        room = [(1.0 - p) if error > 0 else (p + 1.0) for p in params]
        total_room = sum(room)
        if total_room == 0.0:
            return [0.0] * len(params)
        return [self._gain * error * r / total_room for r in room]
