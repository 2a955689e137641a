"""Baseline policies, each acting for every agent: {agent: observation} -> {agent: action}.

RandomPolicy works with any environment. ProportionalController drives DistributedOptimization-v1,
where the parameter vector is the shared observation and each agent's action is added to its own
block of it.
"""
import random
from typing import Dict, List, Sequence

SEED_ENV_ID = "DistributedOptimization-v1"


class RandomPolicy:
    """Samples each agent's whole action (environment action and message) from its action space
    (Box.sample: uniform where bounded, a unit normal per element where unbounded)."""

    def __init__(self, env, seed: int):
        self._env = env
        self._rng = random.Random(seed)

    def act(self, observations: Dict[str, Sequence[float]]) -> Dict[str, List[float]]:
        return {agent: self._env.action_space(agent).sample(self._rng) for agent in observations}


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
                actions[agent] = self._env.action_space(agent).clip(own)
        return actions

    def _joint_move(self, params: Sequence[float]) -> List[float]:
        error = self._target - sum(params)
        room = [(1.0 - p) if error > 0 else (p + 1.0) for p in params]
        total_room = sum(room)
        if total_room == 0.0:
            return [0.0] * len(params)
        return [self._gain * error * r / total_room for r in room]
