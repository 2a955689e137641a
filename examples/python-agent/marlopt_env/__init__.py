"""Python client for a marlopt env server: a PettingZoo-style ParallelEnv over gRPC."""
from .parallel_env import RemoteParallelEnv
from .spaces import Box
from .transport import EnvServerError

__all__ = ["Box", "EnvServerError", "RemoteParallelEnv"]
