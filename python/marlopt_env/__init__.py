"""Python client for a marlopt env server: a server session as a PettingZoo ParallelEnv over gRPC.

RemoteParallelEnv is a real pettingzoo.ParallelEnv with gymnasium Box spaces when Gymnasium and
PettingZoo are installed (`pip install ./python[pettingzoo]`), else the light form, which needs
neither (lists of floats, a small built-in Box). FORM says which one this is.
"""
from importlib.util import find_spec

from .params import ParameterError
from .parallel_env import LightParallelEnv, RemoteParallelEnvBase
from .spaces import Box
from .transport import EnvServerError

if find_spec("gymnasium") and find_spec("pettingzoo"):
    from .pettingzoo_env import PettingZooParallelEnv as RemoteParallelEnv
    FORM = "pettingzoo"
else:
    RemoteParallelEnv = LightParallelEnv
    FORM = "light"

__all__ = ["Box", "EnvServerError", "FORM", "LightParallelEnv", "ParameterError", "RemoteParallelEnv",
           "RemoteParallelEnvBase"]
