"""Loads the generated stubs (see ../generate_stubs.py) with an actionable error when missing."""
import os
import sys
import warnings

_AGENT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_GENERATED = os.path.join(_AGENT_DIR, "generated")
_PROTO = os.path.join(_AGENT_DIR, "..", "..", "proto", "src", "main", "proto",
                      "marlopt", "env", "v2", "env.proto")
_STUB = os.path.join(_GENERATED, "marlopt", "env", "v2", "env_pb2.py")
_HOW_TO_GENERATE = "/usr/bin/python3 examples/python-agent/generate_stubs.py"

if not os.path.exists(_STUB):
    raise ImportError(f"the Python stubs are not generated yet: run `{_HOW_TO_GENERATE}`")
if os.path.exists(_PROTO) and os.path.getmtime(_PROTO) > os.path.getmtime(_STUB):
    warnings.warn(f"env.proto is newer than the generated stubs: run `{_HOW_TO_GENERATE}`")
if _GENERATED not in sys.path:
    sys.path.insert(0, _GENERATED)

from marlopt.env.v2 import env_pb2, env_pb2_grpc  # noqa: E402  (needs the path above)

__all__ = ["env_pb2", "env_pb2_grpc"]
