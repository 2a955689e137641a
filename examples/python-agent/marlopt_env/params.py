"""Typed environment parameters: Python values to ParameterValue and back.

A bool becomes `boolean`, an int `integer`, a float `number`, a str `text` (a choice) and a list
or tuple of numbers `numbers`. An int given for a NUMBER parameter is sent as a number, so
`target=3` works as well as `target=3.0`. Any other mismatch is left for the server to reject
with INVALID_ARGUMENT naming the parameter.
"""
from typing import Mapping, Optional

from .stubs import env_pb2


def parameter_value(value, parameter_type: Optional[int] = None) -> env_pb2.ParameterValue:
    """`parameter_type`: the ParameterType the registry declares, when known."""
    if isinstance(value, bool):
        return env_pb2.ParameterValue(boolean=value)
    if isinstance(value, int):
        if parameter_type == env_pb2.PARAMETER_TYPE_NUMBER:
            return env_pb2.ParameterValue(number=float(value))
        return env_pb2.ParameterValue(integer=value)
    if isinstance(value, float):
        return env_pb2.ParameterValue(number=value)
    if isinstance(value, str):
        return env_pb2.ParameterValue(text=value)
    if isinstance(value, (list, tuple)):
        return env_pb2.ParameterValue(numbers=env_pb2.NumberList(values=[float(v) for v in value]))
    raise TypeError(f"a parameter value is a bool, int, float, str or list of numbers, got {value!r}")


def parameter_values(params: Mapping[str, object], declared) -> dict:
    """{name: ParameterValue}, typed with `declared` (the environment's ParameterInfo list)."""
    types = {parameter.name: parameter.type for parameter in declared}
    return {name: parameter_value(value, types.get(name)) for name, value in params.items()}


def python_value(value: env_pb2.ParameterValue):
    """The Python value of a ParameterValue: float, int, bool, str or list of floats."""
    kind = value.WhichOneof("kind")
    if kind == "numbers":
        return list(value.numbers.values)
    return getattr(value, kind) if kind else None
