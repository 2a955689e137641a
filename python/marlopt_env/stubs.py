"""Compiles the contract shipped in this package (proto/marlopt/env/v2/env.proto) on first import.

The package carries no generated code: grpc_tools.protoc compiles the .proto into a temporary
directory that is removed when the process exits, so the stubs always match the shipped contract
and the protobuf runtime at hand. (grpc.protos_and_services would do this in memory, but the
grpc_tools Debian ships predates it.)
"""
import atexit
import importlib
import os
import shutil
import sys
import tempfile

PROTO_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proto")
CONTRACT = os.path.join("marlopt", "env", "v2", "env.proto")
_INSTALL_HINT = ("install grpcio-tools (Debian: `apt-get install python3-grpc-tools`, or "
                 "`bash scripts/install-test-deps.sh` in the marlopt repository)")


def _compile() -> str:
    try:
        from grpc_tools import protoc
    except ImportError:
        raise ImportError(f"marlopt_env compiles env.proto at import and needs grpc_tools: {_INSTALL_HINT}") from None
    out_dir = tempfile.mkdtemp(prefix="marlopt-env-stubs-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")  # google/protobuf/struct.proto
    status = protoc.main(["grpc_tools.protoc", f"-I{PROTO_ROOT}", f"-I{well_known}",
                          f"--python_out={out_dir}", f"--grpc_python_out={out_dir}",
                          os.path.join(PROTO_ROOT, CONTRACT)])
    if status != 0:
        raise ImportError(f"protoc could not compile {os.path.join(PROTO_ROOT, CONTRACT)} (status {status})")
    return out_dir


sys.path.insert(0, _compile())  # the generated modules import each other as marlopt.env.v2.*
env_pb2 = importlib.import_module("marlopt.env.v2.env_pb2")
env_pb2_grpc = importlib.import_module("marlopt.env.v2.env_pb2_grpc")

__all__ = ["env_pb2", "env_pb2_grpc"]
