#!/usr/bin/env python3
"""Generates the Python gRPC stubs for the marlopt contract into ./generated (git-ignored).

    /usr/bin/python3 examples/python-agent/generate_stubs.py

Uses Debian's python3-grpc-tools (grpc_tools.protoc); run it again whenever the .proto changes.
"""
import os
import sys

try:
    from grpc_tools import protoc
except ImportError:
    sys.exit("grpc_tools is missing: run `bash scripts/install-test-deps.sh` "
             "(installs Debian's python3-grpcio and python3-grpc-tools for /usr/bin/python3)")

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.join(HERE, "..", "..", "proto", "src", "main", "proto")
CONTRACT = os.path.join("marlopt", "env", "v2", "env.proto")
OUT_DIR = os.path.join(HERE, "generated")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    # grpc_tools ships google/protobuf/*.proto (struct.proto is imported by the contract).
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    status = protoc.main([
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={OUT_DIR}",
        f"--grpc_python_out={OUT_DIR}",
        os.path.join(PROTO_ROOT, CONTRACT),
    ])
    if status != 0:
        sys.exit(f"protoc failed with status {status}")
    print(f"generated stubs for {CONTRACT} in {os.path.normpath(OUT_DIR)}")


if __name__ == "__main__":
    main()
