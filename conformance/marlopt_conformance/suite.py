"""The suite's public face: every check, in report order (importing a check module registers its
checks), and what the entry points need to run them."""
from . import (checks_comm, checks_episode, checks_errors, checks_params, checks_registry, checks_seed_env,
               checks_stream, checks_vector)
from .client import Server
from .harness import CheckFailed, Tally, collect, run, run_one

CHECK_MODULES = (checks_registry, checks_params, checks_episode, checks_errors, checks_vector, checks_comm,
                 checks_stream, checks_seed_env)

__all__ = ["CHECK_MODULES", "CheckFailed", "Server", "Tally", "collect", "run", "run_one"]
