"""Typed Make parameters: a value of the wrong type, outside its bounds, not among its choices,
a number list of the wrong length, a fractional integer or an unknown name is INVALID_ARGUMENT
with a message naming the parameter, and sessions already open are left exactly as they were.

Bad values are derived from each parameter's ParameterInfo, so every environment is checked alike.
"""
import math
import random

import grpc

from .client import random_actions
from .diff import expect_same
from .harness import env_check, expect, skip

INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
SEED = 31337
INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1
# Longest number list the checks send: one beyond a parameter's max_length when that is at most this.
LONGEST_LIST = 4096


def expect_makes_rejected_without_effect(server, env, bad_makes):
    """bad_makes: (what, params, parameter name) triples. Each Make must be INVALID_ARGUMENT naming
    the parameter; a session open meanwhile then steps exactly as its twin that saw no bad Make."""
    with server.session(env.id) as victim, server.session(env.id) as reference:
        rng = random.Random(SEED)
        for session in (victim, reference):
            session.reset(seed=SEED)
        opening = random_actions(victim.spec, rng)
        victim.step(opening)
        reference.step(opening)
        for what, params, name in bad_makes:
            message = server.expect_status(INVALID_ARGUMENT, "Make", server.make_request(env.id, params), what)
            expect(name in message, f"{what}: the message should name the parameter {name!r}: {message!r}")
        following = random_actions(victim.spec, rng)
        expect_same(victim.step(following), reference.step(following),
                    "the Step of an open session after the rejected Makes (it must be unchanged)")


def parameters_of(server, env, *type_names):
    wanted = {server.pb.ParameterType.Value(name) for name in type_names}
    return [p for p in env.parameters if p.type in wanted]


def beyond_bounds(parameter, integer: bool):
    """The nearest values just outside [min, max] that the wire can carry: for an integer
    min - 1 and max + 1 within int64, for a number the adjacent doubles when finite."""
    if integer:
        candidates = [int(parameter.min) - 1, int(parameter.max) + 1]
        return [v for v in candidates if INT64_MIN <= v <= INT64_MAX]
    candidates = [math.nextafter(parameter.min, -math.inf), math.nextafter(parameter.max, math.inf)]
    return [v for v in candidates if math.isfinite(v)]


def inside_bounds(parameter) -> float:
    """An element value a number list accepts."""
    for value in (parameter.min, parameter.max):
        if math.isfinite(value):
            return value
    return 0.0


def valid_list_length(parameter):
    """A valid non-empty length for a number list parameter, or None when only [] is allowed."""
    length = max(parameter.min_length, 1)
    return length if length <= parameter.max_length else None


@env_check("make_unknown_parameter_invalid_argument")
def make_unknown_parameter(server, env):
    expect_makes_rejected_without_effect(server, env, [
        ("Make with params {'no_such_parameter': 1.0}", {"no_such_parameter": 1.0}, "no_such_parameter")])


@env_check("make_parameter_wrong_type_invalid_argument")
def make_parameter_wrong_type(server, env):
    """A text for a number, integer or number list, a boolean for a number or integer, a number
    for a boolean or a choice."""
    pb = server.pb
    wrong = {pb.PARAMETER_TYPE_NUMBER: ["one", True], pb.PARAMETER_TYPE_INTEGER: ["one", True],
             pb.PARAMETER_TYPE_BOOLEAN: [1.0, "true"], pb.PARAMETER_TYPE_CHOICE: [1.0],
             pb.PARAMETER_TYPE_NUMBER_LIST: ["one", 1.0]}
    bad = [(f"Make with {p.name}={value!r} ({pb.ParameterType.Name(p.type)})", {p.name: value}, p.name)
           for p in env.parameters for value in wrong.get(p.type, [])]
    if not bad:
        skip(f"{env.id} declares no parameter")
    expect_makes_rejected_without_effect(server, env, bad)


@env_check("make_parameter_out_of_bounds_invalid_argument")
def make_parameter_out_of_bounds(server, env):
    """Just below min and just above max, for numbers, integers and number list elements."""
    bad = []
    for p in parameters_of(server, env, "PARAMETER_TYPE_NUMBER", "PARAMETER_TYPE_INTEGER"):
        integer = p.type == server.pb.PARAMETER_TYPE_INTEGER
        bad += [(f"Make with {p.name}={value!r} outside [{p.min}, {p.max}]", {p.name: value}, p.name)
                for value in beyond_bounds(p, integer)]
    for p in parameters_of(server, env, "PARAMETER_TYPE_NUMBER_LIST"):
        length = valid_list_length(p)
        if length is not None:
            for value in beyond_bounds(p, integer=False):
                values = [inside_bounds(p)] * (length - 1) + [value]
                bad.append((f"Make with {p.name}={values} (last element outside [{p.min}, {p.max}])",
                            {p.name: values}, p.name))
    if not bad:
        skip(f"{env.id} has no parameter with a bound the wire can exceed")
    expect_makes_rejected_without_effect(server, env, bad)


@env_check("make_parameter_unknown_choice_invalid_argument")
def make_parameter_unknown_choice(server, env):
    choices = parameters_of(server, env, "PARAMETER_TYPE_CHOICE")
    if not choices:
        skip(f"{env.id} has no choice parameter")
    bad = [(f"Make with {p.name}='no_such_choice' (choices {list(p.choices)})", {p.name: "no_such_choice"}, p.name)
           for p in choices]
    expect_makes_rejected_without_effect(server, env, bad)


@env_check("make_fractional_integer_parameter_invalid_argument")
def make_fractional_integer_parameter(server, env):
    integers = parameters_of(server, env, "PARAMETER_TYPE_INTEGER")
    if not integers:
        skip(f"{env.id} has no integer parameter")
    bad = []
    for p in integers:
        value = p.default_value.integer + 0.5
        bad.append((f"Make with {p.name}={value} (a number that is not whole)", {p.name: value}, p.name))
    expect_makes_rejected_without_effect(server, env, bad)


@env_check("make_number_list_wrong_length_invalid_argument")
def make_number_list_wrong_length(server, env):
    """One value more than max_length, and one fewer than min_length when that is not empty."""
    bad = []
    for p in parameters_of(server, env, "PARAMETER_TYPE_NUMBER_LIST"):
        lengths = [n for n in (p.min_length - 1, p.max_length + 1) if 1 <= n <= LONGEST_LIST]
        bad += [(f"Make with {p.name} of {n} values (allowed {p.min_length} to {p.max_length})",
                 {p.name: [inside_bounds(p)] * n}, p.name) for n in lengths]
    if not bad:
        skip(f"{env.id} has no number list parameter whose length bounds can be exceeded")
    expect_makes_rejected_without_effect(server, env, bad)
