"""Registers named checks, runs each one independently and reports the results.

A check is a function that raises CheckFailed (via `expect`/`fail`) or Skipped (via `skip`).
Checks are registered at three scopes: once per server, once per environment the registry
lists, or once for the seed environment (skipped when the server does not offer it).
"""
import math
import time
import traceback
from dataclasses import dataclass
from typing import Callable, List, Sequence

SEED_ENV_ID = "DistributedOptimization-v1"


class CheckFailed(Exception):
    pass


class Skipped(Exception):
    pass


def fail(message: str):
    raise CheckFailed(message)


def skip(reason: str):
    raise Skipped(reason)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def expect_equal(actual, expected, what: str) -> None:
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def expect_close(actual: Sequence[float], expected: Sequence[float], what: str,
                 tolerance: float = 1e-5) -> None:
    """Element-wise |actual - expected| <= tolerance * max(1, |expected|) (float32 round-off)."""
    actual, expected = list(actual), list(expected)
    expect(len(actual) == len(expected),
           f"{what}: expected {len(expected)} values, got {len(actual)}: {actual}")
    for index, (a, e) in enumerate(zip(actual, expected)):
        if not abs(a - e) <= tolerance * max(1.0, abs(e)):
            fail(f"{what}[{index}]: expected {e!r}, got {a!r} (all values: {actual}, expected {expected})")


def finite(values: Sequence[float]) -> bool:
    return all(math.isfinite(v) for v in values)


@dataclass(frozen=True)
class CheckDefinition:
    name: str
    scope: str  # "server", "env" or "seed_env"
    function: Callable


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[], None]


_DEFINITIONS: List[CheckDefinition] = []


def _register(scope: str, name: str):
    def decorator(function):
        if any(d.name == name for d in _DEFINITIONS):
            raise ValueError(f"duplicate check name {name}")
        _DEFINITIONS.append(CheckDefinition(name, scope, function))
        return function
    return decorator


def server_check(name: str):
    """`function(server)`: runs once."""
    return _register("server", name)


def env_check(name: str):
    """`function(server, env_info)`: runs once per environment, named `name[env_id]`."""
    return _register("env", name)


def seed_env_check(name: str):
    """`function(server, env_info)`: runs for DistributedOptimization-v1's documented semantics."""
    return _register("seed_env", name)


def collect(server, env_filter: Sequence[str]) -> List[Check]:
    """Expands the registered definitions into concrete checks for this server's registry."""
    environments = [e for e in server.environments if not env_filter or e.id in env_filter]
    seed_env = next((e for e in server.environments if e.id == SEED_ENV_ID), None)
    checks = []
    for definition in _DEFINITIONS:
        function = definition.function
        if definition.scope == "server":
            checks.append(Check(definition.name, lambda f=function: f(server)))
        elif definition.scope == "env":
            for env in environments:
                checks.append(Check(f"{definition.name}[{env.id}]", lambda f=function, e=env: f(server, e)))
        elif seed_env is None:
            checks.append(Check(definition.name, lambda: skip(f"the server does not offer {SEED_ENV_ID}")))
        elif not env_filter or SEED_ENV_ID in env_filter:
            checks.append(Check(definition.name, lambda f=function: f(server, seed_env)))
    return checks


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def summary(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        return line + (f", {self.skipped} skipped" if self.skipped else "")


@dataclass(frozen=True)
class Outcome:
    status: str  # "PASS", "FAIL" or "SKIP"
    detail: str  # the failure message or skip reason; the duration for a pass


def run_one(check: Check) -> Outcome:
    started = time.monotonic()
    try:
        check.run()
    except Skipped as reason:
        return Outcome("SKIP", str(reason))
    except CheckFailed as failure:
        return Outcome("FAIL", str(failure))
    except Exception:  # a crash in a check is a failure of that check, never of the suite
        return Outcome("FAIL", f"unexpected error\n{traceback.format_exc()}")
    return Outcome("PASS", f"{time.monotonic() - started:.2f} s")


def run(checks: Sequence[Check], out) -> Tally:
    tally = Tally()
    for check in checks:
        outcome = run_one(check)
        if outcome.status == "PASS":
            tally.passed += 1
            print(f"PASS  {check.name} ({outcome.detail})", file=out, flush=True)
        elif outcome.status == "SKIP":
            tally.skipped += 1
            print(f"SKIP  {check.name}: {outcome.detail}", file=out, flush=True)
        else:
            tally.failed += 1
            print(f"FAIL  {check.name}: {outcome.detail}", file=out, flush=True)
    return tally
