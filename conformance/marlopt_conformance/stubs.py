"""Compiles the contract with grpc_tools.protoc into a temporary directory and imports it.

Compiling on every run keeps the suite independent of any generated or committed code: it
checks a server against exactly the .proto it is given.
"""
import atexit
import importlib
import os
import shutil
import sys
import tempfile

CONTRACT = os.path.join("marlopt", "env", "v2", "env.proto")
DEFAULT_PROTO_ROOT = os.path.normpath(os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto", "src", "main", "proto"))
INSTALL_HINT = ("run `bash scripts/install-test-deps.sh` (Debian's python3-grpcio and "
                "python3-grpc-tools for /usr/bin/python3)")


def load(proto_root: str = DEFAULT_PROTO_ROOT):
    """Returns (env_pb2, env_pb2_grpc) compiled from `proto_root`/marlopt/env/v2/env.proto."""
    try:
        from grpc_tools import protoc
    except ImportError:
        raise SystemExit(f"grpc_tools is missing: {INSTALL_HINT}") from None
    contract = os.path.join(proto_root, CONTRACT)
    if not os.path.exists(contract):
        raise SystemExit(f"contract not found: {contract} (pass --proto-root)")
    out_dir = tempfile.mkdtemp(prefix="marlopt-conformance-stubs-")
    atexit.register(shutil.rmtree, out_dir, ignore_errors=True)
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    status = protoc.main(["grpc_tools.protoc", f"-I{proto_root}", f"-I{well_known}",
                          f"--python_out={out_dir}", f"--grpc_python_out={out_dir}", contract])
    if status != 0:
        raise SystemExit(f"protoc could not compile {contract} (status {status})")
    sys.path.insert(0, out_dir)
    return (importlib.import_module("marlopt.env.v2.env_pb2"),
            importlib.import_module("marlopt.env.v2.env_pb2_grpc"))
