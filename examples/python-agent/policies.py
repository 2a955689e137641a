"""Two baseline policies for DistributedOptimization-v1, each acting for every agent.

Both map {agent: observation} to {agent: action}. In the seed environment every agent observes
the whole parameter vector and its action is added to its own block of it.
"""
import random
from typing import Dict, List, Sequence


class RandomPolicy:
    """Samples each agent's action from its action space (Box.sample: uniform where bounded; the
    seed environment's actions are unbounded, so a unit normal per element)."""

    def __init__(self, env, seed: int):
        self._env = env
        self._rng = random.Random(seed)

    def act(self, observations: Dict[str, Sequence[float]]) -> Dict[str, List[float]]:
        return {agent: self._env.action_space(agent).sample(self._rng) for agent in observations}


class ProportionalController:
    """Closes `gain` of the gap between the objective sum(params) and the target each step.

    The error is shared out over all parameters in proportion to how far each can still move
    toward the target before the [-1, 1] clip binds, so no agent pushes a saturated parameter.
    Every agent sees the same vector, so all agents compute the same split and each applies
    the slice of it that falls in its own block. With gain 1 a reachable target is hit in one step.
    """

    def __init__(self, env, gain: float):
        params = env.spec.params
        self._env = env
        self._gain = gain
        self._target = params["target"]
        self._block = int(params["param_dim"]) // int(params["num_agents"])

    def act(self, observations: Dict[str, Sequence[float]]) -> Dict[str, List[float]]:
        some_view = next(iter(observations.values()))
        moves = self._joint_move(some_view)
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


POLICIES = {"random": RandomPolicy, "proportional": ProportionalController}
