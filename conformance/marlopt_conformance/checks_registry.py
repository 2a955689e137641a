"""Capabilities, registry and spec: well formed, consistent with each other, Make validated."""
import math
import re

import grpc

from .client import box_size
from .harness import env_check, expect, expect_equal, server_check, skip

ENV_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/-]*-v\d+$")
INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT


def expect_valid_box(box, what: str) -> None:
    expect(len(box.shape) > 0 and all(d > 0 for d in box.shape),
           f"{what}.shape must list positive dimensions, got {list(box.shape)}")
    size = box_size(box)
    expect(len(box.low) == size and len(box.high) == size,
           f"{what}: shape {list(box.shape)} has {size} elements but low has {len(box.low)} "
           f"and high {len(box.high)}")
    for i, (low, high) in enumerate(zip(box.low, box.high)):
        expect(not math.isnan(low) and not math.isnan(high), f"{what}: bound {i} is NaN")
        expect(low <= high, f"{what}: low[{i}] = {low} > high[{i}] = {high}")


@server_check("capabilities_well_formed")
def capabilities_well_formed(server):
    caps = server.capabilities
    pb = server.pb
    expect_equal(caps.protocol_version, "v1", "Capabilities.protocol_version")
    expect(caps.server_version != "", "Capabilities.server_version is empty")
    expect(len(caps.env_ids) > 0, "Capabilities.env_ids is empty")
    expect(len(set(caps.env_ids)) == len(caps.env_ids), f"Capabilities.env_ids repeats ids: {list(caps.env_ids)}")
    limits = caps.limits
    for name in ("max_sessions", "max_num_envs", "max_message_bytes", "session_ttl_seconds"):
        expect(getattr(limits, name) > 0, f"Capabilities.limits.{name} must be positive, got {getattr(limits, name)}")
    modes = set(caps.autoreset_modes)
    # AUTORESET_MODE_UNSPECIFIED resolves to DISABLED (num_envs = 1) or SAME_STEP (num_envs > 1).
    for required in (pb.AUTORESET_MODE_DISABLED, pb.AUTORESET_MODE_SAME_STEP):
        expect(required in modes, f"Capabilities.autoreset_modes lacks {pb.AutoresetMode.Name(required)}, "
                                  f"which the default mode resolves to; got {sorted(modes)}")
    expect(pb.AUTORESET_MODE_UNSPECIFIED not in modes,
           "Capabilities.autoreset_modes lists AUTORESET_MODE_UNSPECIFIED, which is not a mode")


@server_check("registry_well_formed")
def registry_well_formed(server):
    environments = server.environments
    expect(len(environments) > 0, "ListEnvironments returned no environment")
    ids = [env.id for env in environments]
    expect(len(set(ids)) == len(ids), f"environment ids are not unique: {ids}")
    for env in environments:
        expect(ENV_ID_PATTERN.match(env.id) is not None, f"environment id {env.id!r} is not of the form Name-vN")
        expect(env.description.strip() != "", f"{env.id}: empty description")
        names = [p.name for p in env.parameters]
        expect(len(set(names)) == len(names), f"{env.id}: parameter names are not unique: {names}")
        for parameter in env.parameters:
            expect(parameter.name != "", f"{env.id}: a parameter has an empty name")
            expect(math.isfinite(parameter.default_value),
                   f"{env.id}.{parameter.name}: default {parameter.default_value} is not finite")
            if parameter.integer:
                expect(parameter.default_value == int(parameter.default_value),
                       f"{env.id}.{parameter.name} is integer but its default is {parameter.default_value}")


@server_check("registry_matches_capabilities")
def registry_matches_capabilities(server):
    listed = sorted(env.id for env in server.environments)
    advertised = sorted(server.capabilities.env_ids)
    expect_equal(listed, advertised, "ListEnvironments ids vs Capabilities.env_ids")


@server_check("make_unknown_env_id_invalid_argument")
def make_unknown_env_id(server):
    unknown = "NoSuchEnvironment-v999"
    server.expect_status(INVALID_ARGUMENT, "Make", server.make_request(unknown), f"Make({unknown})")
    # The rejected Make leaves the server able to make sessions.
    with server.session(server.environments[0].id):
        pass


@env_check("spec_well_formed")
def spec_well_formed(server, env):
    pb = server.pb
    with server.session(env.id) as session:
        spec = session.spec
        expect_equal(spec.env_id, env.id, "EnvSpec.env_id")
        expect(len(spec.agents) > 0, "EnvSpec.agents is empty")
        names = [agent.name for agent in spec.agents]
        expect(all(names) and len(set(names)) == len(names), f"agent names must be unique and non-empty: {names}")
        for agent in spec.agents:
            expect_valid_box(agent.observation_space, f"agents[{agent.name}].observation_space")
            expect_valid_box(agent.action_space, f"agents[{agent.name}].action_space")
        expect_valid_box(spec.state_space, "EnvSpec.state_space")
        expect(spec.max_episode_steps > 0, "EnvSpec.max_episode_steps must be positive")
        for parameter in env.parameters:
            expect(parameter.name in spec.params, f"EnvSpec.params lacks registry parameter {parameter.name!r}")
            expect_equal(spec.params[parameter.name], parameter.default_value,
                         f"EnvSpec.params[{parameter.name!r}] (registry default)")
        options = spec.options
        expect_equal(options.num_envs, 1, "EnvSpec.options.num_envs (0 asked, resolves to 1)")
        expect_equal(options.reward_gradient, False, "EnvSpec.options.reward_gradient")
        expect_equal(pb.AutoresetMode.Name(options.autoreset_mode), "AUTORESET_MODE_DISABLED",
                     "EnvSpec.options.autoreset_mode (UNSPECIFIED with num_envs 1 resolves to DISABLED)")
        for key, meaning in spec.info_keys.items():
            expect(key != "" and meaning != "", f"EnvSpec.info_keys has an empty key or description: {key!r}")


@env_check("make_options_resolved")
def make_options_resolved(server, env):
    pb = server.pb
    if server.capabilities.limits.max_num_envs < 2:
        skip("the server allows num_envs = 1 only")
    with server.session(env.id, num_envs=2, reward_gradient=True) as session:
        options = session.spec.options
        expect_equal(options.num_envs, 2, "EnvSpec.options.num_envs")
        expect_equal(options.reward_gradient, True, "EnvSpec.options.reward_gradient")
        expect_equal(pb.AutoresetMode.Name(options.autoreset_mode), "AUTORESET_MODE_SAME_STEP",
                     "EnvSpec.options.autoreset_mode (UNSPECIFIED with num_envs > 1 resolves to SAME_STEP)")
    for mode in server.capabilities.autoreset_modes:
        with server.session(env.id, num_envs=2, autoreset=mode) as session:
            expect_equal(pb.AutoresetMode.Name(session.spec.options.autoreset_mode), pb.AutoresetMode.Name(mode),
                         "EnvSpec.options.autoreset_mode echoes an advertised mode")


@env_check("make_unknown_parameter_invalid_argument")
def make_unknown_parameter(server, env):
    request = server.make_request(env.id, params={"no_such_parameter": 1.0})
    server.expect_status(INVALID_ARGUMENT, "Make", request, "Make with params {'no_such_parameter': 1}")


@env_check("make_fractional_integer_parameter_invalid_argument")
def make_fractional_integer_parameter(server, env):
    integer = [p for p in env.parameters if p.integer]
    if not integer:
        skip(f"{env.id} has no integer parameter")
    for parameter in integer:
        value = parameter.default_value + 0.5
        request = server.make_request(env.id, params={parameter.name: value})
        message = server.expect_status(INVALID_ARGUMENT, "Make", request, f"Make with {parameter.name}={value}")
        expect(parameter.name in message, f"the message should name {parameter.name!r}: {message!r}")


@env_check("make_num_envs_above_limit_invalid_argument")
def make_num_envs_above_limit(server, env):
    too_many = server.capabilities.limits.max_num_envs + 1
    request = server.make_request(env.id, num_envs=too_many)
    message = server.expect_status(INVALID_ARGUMENT, "Make", request,
                                   f"Make with num_envs={too_many} (limits.max_num_envs + 1)")
    expect("num_envs" in message, f"the message should name num_envs: {message!r}")


@env_check("make_unknown_autoreset_mode_invalid_argument")
def make_unknown_autoreset_mode(server, env):
    unknown = 99  # proto3 enums are open: the value reaches the server as a number
    request = server.make_request(env.id, num_envs=1, autoreset=unknown)
    server.expect_status(INVALID_ARGUMENT, "Make", request, f"Make with autoreset_mode={unknown}")


@env_check("make_unadvertised_autoreset_mode_invalid_argument")
def make_unadvertised_autoreset_mode(server, env):
    pb = server.pb
    advertised = set(server.capabilities.autoreset_modes)
    missing = [m for m in pb.AutoresetMode.values() if m != pb.AUTORESET_MODE_UNSPECIFIED and m not in advertised]
    if not missing:
        skip("the server advertises every autoreset mode")
    for mode in missing:
        request = server.make_request(env.id, num_envs=1, autoreset=mode)
        server.expect_status(INVALID_ARGUMENT, "Make", request,
                             f"Make with unadvertised autoreset_mode {pb.AutoresetMode.Name(mode)}")
