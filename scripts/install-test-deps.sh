#!/usr/bin/env bash
# Installs the real components the test suite starts, only when they are missing:
# Prometheus (end-to-end metrics test), Python gRPC (conformance suite, Python agent and package),
# setuptools, wheel and venv (installing the Python package offline),
# numpy (the independent check of gradient tracking in envs),
# docker-compose (validates docker-compose.yml; no Docker engine is needed for `config`), wget (runs the
# Prometheus container's health check against the test Prometheus),
# Node.js and the Node agent's npm packages (pinned by examples/node-agent/package-lock.json).
# Python checks use /usr/bin/python3: Debian's packages install there, not into a pyenv python.
set -euo pipefail

missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 || missing+=(python3-grpcio)
/usr/bin/python3 -c 'import grpc_tools.protoc' >/dev/null 2>&1 || missing+=(python3-grpc-tools)
/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1 || missing+=(python3-numpy)
# The Python package (python/): built offline with Debian's setuptools and wheel, tested in a venv.
/usr/bin/python3 -c 'import setuptools' >/dev/null 2>&1 || missing+=(python3-setuptools)
/usr/bin/python3 -c 'import wheel' >/dev/null 2>&1 || missing+=(python3-wheel)
/usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v wget >/dev/null 2>&1 || missing+=(wget)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing test dependencies: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_agent="$(cd "$(dirname "$0")/.." && pwd)/examples/node-agent"
if [ ! -d "$node_agent/node_modules" ]; then
  echo "Installing the Node agent's packages (npm ci in examples/node-agent)"
  (cd "$node_agent" && npm ci --no-audit --no-fund)
fi
