"""Typed environment parameters: Python values to ParameterValue and back.

A bool becomes `boolean`, an int `integer`, a float `number`, a str `text` (a choice) and a list
or tuple of numbers `numbers`. An int given for a NUMBER parameter is sent as a number, so
`target=3` works as well as `target=3.0`. A name the environment does not declare, or a value not
of the declared type, raises ParameterError before anything is sent; bounds are left to the
server, whose rejection RemoteParallelEnv also raises as ParameterError.
"""
from typing import Mapping, Optional

from .stubs import env_pb2

_EXPECTED = {
    env_pb2.PARAMETER_TYPE_NUMBER: "a number",
    env_pb2.PARAMETER_TYPE_INTEGER: "an integer",
    env_pb2.PARAMETER_TYPE_BOOLEAN: "true or false",
    env_pb2.PARAMETER_TYPE_CHOICE: "one of its choices",
    env_pb2.PARAMETER_TYPE_NUMBER_LIST: "a list of numbers",
}


class ParameterError(ValueError):
    """A parameter the environment would not take. `name` is the parameter, `problem` what is
    wrong and `example` a value it takes, as `name=value` (empty when no name fits)."""

    def __init__(self, name: str, problem: str, example: str = ""):
        super().__init__(f"parameter {name!r}: {problem}" + (f"; for example {example}" if example else ""))
        self.name = name
        self.problem = problem
        self.example = example


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


def parameter_values(params: Mapping[str, object], declared, env_id: str = "") -> dict:
    """{name: ParameterValue}, checked against and typed with `declared` (the environment's
    ParameterInfo list; empty when the environment is unknown, which Make then reports)."""
    infos = {parameter.name: parameter for parameter in declared}
    for name, value in params.items():
        if infos:
            _check(name, value, infos, env_id)
    return {name: parameter_value(value, infos[name].type if name in infos else None)
            for name, value in params.items()}


def example(info) -> str:
    """`name=default` for a parameter, in the form a command line takes it."""
    value = python_value(info.default_value)
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, list):
        text = "[" + ",".join(f"{v:g}" for v in value) + "]"
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    return f"{info.name}={text}"


def python_value(value: env_pb2.ParameterValue):
    """The Python value of a ParameterValue: float, int, bool, str or list of floats."""
    kind = value.WhichOneof("kind")
    if kind == "numbers":
        return list(value.numbers.values)
    return getattr(value, kind) if kind else None


def _check(name: str, value, infos: Mapping[str, object], env_id: str) -> None:
    if name not in infos:
        raise ParameterError(name, f"{env_id or 'the environment'} has no such parameter; "
                                   f"it takes {', '.join(sorted(infos))}")
    info = infos[name]
    if not _of_type(value, info):
        expected = _EXPECTED.get(info.type, "a value of its declared type")
        if info.type == env_pb2.PARAMETER_TYPE_CHOICE:
            expected = "one of " + ", ".join(info.choices)
        raise ParameterError(name, f"must be {expected}, got {value!r}", example(info))


def _of_type(value, info) -> bool:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if info.type == env_pb2.PARAMETER_TYPE_NUMBER:
        return is_number
    if info.type == env_pb2.PARAMETER_TYPE_INTEGER:  # a whole number such as 4.0 is an integer too
        return is_number and float(value).is_integer()
    if info.type == env_pb2.PARAMETER_TYPE_BOOLEAN:
        return isinstance(value, bool)
    if info.type == env_pb2.PARAMETER_TYPE_CHOICE:
        return isinstance(value, str) and value in info.choices
    if info.type == env_pb2.PARAMETER_TYPE_NUMBER_LIST:
        return isinstance(value, (list, tuple)) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    return True
