"""The suite's public face: every check, in report order (importing a check module registers its
checks), and what the entry points need to run them."""
from . import checks_registry, checks_episode, checks_errors, checks_vector, checks_stream, checks_seed_env
from .client import Server
from .harness import CheckFailed, Tally, collect, run, run_one

CHECK_MODULES = (checks_registry, checks_episode, checks_errors, checks_vector, checks_stream, checks_seed_env)

__all__ = ["CHECK_MODULES", "CheckFailed", "Server", "Tally", "collect", "run", "run_one"]
