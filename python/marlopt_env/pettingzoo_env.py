"""The form with the optional dependencies (`pip install ./python[pettingzoo]`): a real
pettingzoo.ParallelEnv whose spaces are gymnasium.spaces.Box (float32) and whose observations and
state are numpy arrays, so PettingZoo's tools (parallel_api_test, wrappers, trainers) take it."""
from typing import List, Sequence

import numpy as np
from gymnasium import spaces
from pettingzoo import ParallelEnv

from .parallel_env import RemoteParallelEnvBase


class PettingZooParallelEnv(RemoteParallelEnvBase, ParallelEnv):
    """A server session as a pettingzoo.ParallelEnv (see RemoteParallelEnvBase)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.observation_spaces = dict(self._observation_spaces)
        self.action_spaces = dict(self._action_spaces)

    def _box(self, box, prefix=None) -> spaces.Box:
        low, high, shape = list(box.low), list(box.high), tuple(box.shape)
        if prefix is not None:
            low, high = list(prefix.low) + low, list(prefix.high) + high
            shape = (len(low),)
        return spaces.Box(low=np.array(low, dtype=np.float32).reshape(shape),
                          high=np.array(high, dtype=np.float32).reshape(shape), dtype=np.float32)

    def _vector(self, values: Sequence[float]) -> np.ndarray:
        return np.array(values, dtype=np.float32)

    def _action_values(self, action) -> List[float]:
        return np.asarray(action, dtype=np.float32).ravel().tolist()
