"""Capabilities, registry and spec: well formed, consistent with each other, Make validated."""
import math
import re

import grpc

from .client import box_size, in_neighbours, part, python_value
from .diff import expect_same
from .harness import env_check, expect, expect_equal, server_check, skip

ENV_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/-]*-v\d+$")
INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
# The ParameterValue field each ParameterType's values use.
VALUE_KIND = {"PARAMETER_TYPE_NUMBER": "number", "PARAMETER_TYPE_INTEGER": "integer",
              "PARAMETER_TYPE_BOOLEAN": "boolean", "PARAMETER_TYPE_CHOICE": "text",
              "PARAMETER_TYPE_NUMBER_LIST": "numbers"}
WEIGHT_TOLERANCE = 1e-9
SCORE_REFERENCE_KINDS = ("optimum", "bound", "reference")


def type_name(pb, parameter) -> str:
    return pb.ParameterType.Name(parameter.type)


def expect_valid_box(box, what: str) -> None:
    size = box_size(box)
    if size == 0:
        expect_equal(list(box.shape), [0], f"{what}.shape of an empty Box")
    else:
        expect(len(box.shape) > 0 and all(d > 0 for d in box.shape),
               f"{what}.shape must list positive dimensions (or be [0]), got {list(box.shape)}")
    expect(len(box.low) == size and len(box.high) == size,
           f"{what}: shape {list(box.shape)} has {size} elements but low has {len(box.low)} "
           f"and high {len(box.high)}")
    for i, (low, high) in enumerate(zip(box.low, box.high)):
        expect(not math.isnan(low) and not math.isnan(high), f"{what}: bound {i} is NaN")
        expect(low <= high, f"{what}: low[{i}] = {low} > high[{i}] = {high}")


def expect_parts_cover(parts, box, what: str) -> None:
    """Named, unique, in order, back to back from 0 to the end of the Box."""
    names = [p.name for p in parts]
    expect(all(names) and len(set(names)) == len(names), f"{what}: part names must be unique and non-empty: {names}")
    offset = 0
    for p in parts:
        expect_equal(p.offset, offset, f"{what} part {p.name!r} offset (parts are consecutive from 0)")
        offset += p.size
    expect_equal(offset, box_size(box), f"{what}: the parts' sizes {[p.size for p in parts]} must add up to the "
                                        f"Box's element count")


def expect_valid_parameter(pb, env_id: str, parameter) -> None:
    what = f"{env_id} parameter {parameter.name!r}"
    expect(parameter.name != "", f"{env_id}: a parameter has an empty name")
    expect(parameter.description.strip() != "", f"{what}: empty description")
    expect(parameter.type in {pb.ParameterType.Value(name) for name in VALUE_KIND},
           f"{what}: type {parameter.type} is not a ParameterType (UNSPECIFIED or unknown)")
    kind, default = python_value(parameter.default_value)
    expected_kind = VALUE_KIND[type_name(pb, parameter)]
    expect_equal(kind, expected_kind, f"{what} ({type_name(pb, parameter)}): default_value kind")
    if kind in ("number", "integer", "numbers"):
        expect(not math.isnan(parameter.min) and not math.isnan(parameter.max) and parameter.min <= parameter.max,
               f"{what}: bounds [{parameter.min}, {parameter.max}] are not an interval")
        values = default if kind == "numbers" else [default]
        for value in values:
            expect(math.isfinite(value) and parameter.min <= value <= parameter.max,
                   f"{what}: default {value} lies outside its bounds [{parameter.min}, {parameter.max}]")
    if kind == "numbers":
        expect(parameter.min_length <= parameter.max_length,
               f"{what}: length bounds [{parameter.min_length}, {parameter.max_length}] are not an interval")
        expect(len(default) == 0 or parameter.min_length <= len(default) <= parameter.max_length,
               f"{what}: the default list has {len(default)} values, outside [{parameter.min_length}, "
               f"{parameter.max_length}] (only an empty default, meaning 'derived', may be)")
    if kind == "text":
        choices = list(parameter.choices)
        expect(len(choices) > 0 and len(set(choices)) == len(choices) and all(choices),
               f"{what}: a choice needs unique non-empty choices, got {choices}")
        expect(default in choices, f"{what}: default {default!r} is not among the choices {choices}")


@server_check("capabilities_well_formed")
def capabilities_well_formed(server):
    caps = server.capabilities
    pb = server.pb
    expect_equal(caps.protocol_version, "v2", "Capabilities.protocol_version")
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
    """Unique Name-vN ids with descriptions; parameters uniquely named, typed, each default of its
    type and within its bounds, lengths and choices."""
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
            expect_valid_parameter(server.pb, env.id, parameter)


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
    """Make with defaults: agents, Boxes and their parts, parameters echoed, options resolved,
    info, score and success keys, the score reference, and the channel's parts in every agent."""
    pb = server.pb
    with server.session(env.id) as session:
        spec = session.spec
        expect_equal(spec.env_id, env.id, "EnvSpec.env_id")
        expect(len(spec.agents) > 0, "EnvSpec.agents is empty")
        names = [agent.name for agent in spec.agents]
        expect(all(names) and len(set(names)) == len(names), f"agent names must be unique and non-empty: {names}")
        for agent in spec.agents:
            for box, parts, kind in ((agent.observation_space, agent.observation_parts, "observation"),
                                     (agent.action_space, agent.action_parts, "action")):
                expect_valid_box(box, f"agents[{agent.name}].{kind}_space")
                expect_parts_cover(parts, box, f"agents[{agent.name}].{kind}_parts")
        expect_valid_box(spec.shared_observation_space, "EnvSpec.shared_observation_space")
        expect_valid_box(spec.state_space, "EnvSpec.state_space")
        expect(spec.max_episode_steps > 0, "EnvSpec.max_episode_steps must be positive")
        defaults = {p.name: python_value(p.default_value) for p in env.parameters}
        expect_equal({name: python_value(value) for name, value in spec.params.items()}, defaults,
                     "EnvSpec.params (every registry parameter with its default, typed)")
        options = spec.options
        expect_equal(options.num_envs, 1, "EnvSpec.options.num_envs (0 asked, resolves to 1)")
        expect_equal(options.reward_gradient, False, "EnvSpec.options.reward_gradient")
        expect_equal(pb.AutoresetMode.Name(options.autoreset_mode), "AUTORESET_MODE_DISABLED",
                     "EnvSpec.options.autoreset_mode (UNSPECIFIED with num_envs 1 resolves to DISABLED)")
        info_names = [key.name for key in spec.info]
        expect(len(set(info_names)) == len(info_names), f"EnvSpec.info names repeat: {info_names}")
        for key in spec.info:
            expect(key.name != "" and key.description.strip() != "",
                   f"EnvSpec.info has an empty name or description: {key.name!r}")
            expect(key.size >= 1, f"EnvSpec.info[{key.name!r}].size must be at least 1, got {key.size}")
        sizes = {key.name: key.size for key in spec.info}
        for field in ("score_key", "success_key"):
            key = getattr(spec, field)
            if key:
                expect_equal(sizes.get(key), 1, f"EnvSpec.{field} {key!r}: size of that declared info "
                                                f"(declared: {sizes})")
        if spec.HasField("score_reference"):
            reference = spec.score_reference
            expect(not spec.score_key, f"EnvSpec.score_reference is set beside score_key {spec.score_key!r}: "
                                       f"the score key already normalises episodes, so leave the reference unset")
            names = (reference.naive_policy, reference.optimum_policy)
            expect(all(name.strip() for name in names) and names[0] != names[1],
                   f"EnvSpec.score_reference needs two non-empty, different policy names, got naive "
                   f"{names[0]!r} and optimum {names[1]!r}")
            expect(reference.optimum_kind in SCORE_REFERENCE_KINDS,
                   f"EnvSpec.score_reference.optimum_kind {reference.optimum_kind!r} is not one of "
                   f"{SCORE_REFERENCE_KINDS}")
        channel = spec.comm.message_size > 0
        for agent in spec.agents:
            inbox, message = part(agent.observation_parts, "inbox"), part(agent.action_parts, "message")
            expect((inbox is not None) == channel and (message is not None) == channel,
                   f"agents[{agent.name}]: 'inbox' and 'message' parts must exist exactly when comm.message_size "
                   f"> 0 (it is {spec.comm.message_size})")


@env_check("comm_spec_well_formed")
def comm_spec_well_formed(server, env):
    """The channel's graph and parts: edges sorted by (to, from) without self loops or repeats,
    Metropolis-Hastings weights making W symmetric and doubly stochastic, one inbox slot of
    1 + message_size values per in-neighbour (flag bounds covering 0 and 1), a message part of
    message_size values ending each action."""
    with server.session(env.id) as session:
        spec = session.spec
        comm = spec.comm
        if comm.message_size == 0:
            skip(f"{env.id} has no message channel by default (comm.message_size 0)")
        n = len(spec.agents)
        expect(comm.topology != "", "EnvSpec.comm.topology is empty")
        expect(0.0 <= comm.drop_probability <= 1.0, f"EnvSpec.comm.drop_probability {comm.drop_probability} "
                                                    f"is not a probability")
        links = [(getattr(edge, "from"), edge.to) for edge in comm.edges]
        expect(len(links) > 0, "EnvSpec.comm.edges is empty although the channel is on")
        for source, target in links:
            expect(source < n and target < n and source != target,
                   f"edge {source} -> {target}: agents are 0..{n - 1} and self loops are not edges")
        expect_equal(links, sorted(set(links), key=lambda link: (link[1], link[0])),
                     "EnvSpec.comm.edges as (from, to): sorted by (to, from), each once")
        in_degree = [sum(1 for _, target in links if target == agent) for agent in range(n)]
        weights = [[0.0] * n for _ in range(n)]
        for edge in comm.edges:
            source, target = getattr(edge, "from"), edge.to
            mh = 1.0 / (1 + max(in_degree[target], in_degree[source]))
            expect(abs(edge.weight - mh) <= WEIGHT_TOLERANCE,
                   f"edge {source} -> {target} weight {edge.weight}: Metropolis-Hastings gives 1 / (1 + max(deg "
                   f"{in_degree[target]}, deg {in_degree[source]})) = {mh}")
            weights[target][source] = edge.weight
        for agent in range(n):
            weights[agent][agent] = 1.0 - sum(weights[agent])
            expect(-WEIGHT_TOLERANCE <= weights[agent][agent] <= 1.0,
                   f"self weight W[{agent}][{agent}] = {weights[agent][agent]} (1 - incoming weights) is not in [0, 1]")
        for i in range(n):
            for j in range(n):
                expect(abs(weights[i][j] - weights[j][i]) <= WEIGHT_TOLERANCE,
                       f"W is not symmetric: W[{i}][{j}] = {weights[i][j]}, W[{j}][{i}] = {weights[j][i]}")
            column = sum(weights[k][i] for k in range(n))
            expect(abs(column - 1.0) <= WEIGHT_TOLERANCE, f"column {i} of W sums to {column}, not 1")
        slot = 1 + comm.message_size
        for index, agent in enumerate(spec.agents):
            inbox, message = part(agent.observation_parts, "inbox"), part(agent.action_parts, "message")
            expect(inbox is not None and message is not None, f"agents[{agent.name}] lacks its 'inbox' or "
                                                               f"'message' part")
            senders = in_neighbours(spec, index)
            expect_equal(inbox.size, len(senders) * slot, f"agents[{agent.name}] inbox size ({len(senders)} "
                                                          f"in-neighbours x (1 + message_size))")
            expect_equal(inbox.offset + inbox.size, box_size(agent.observation_space),
                         f"agents[{agent.name}]: the inbox ends the own observation")
            expect_equal((message.size, message.offset + message.size),
                         (comm.message_size, box_size(agent.action_space)),
                         f"agents[{agent.name}]: the message part (message_size values ending the action)")
            box = agent.observation_space
            for k in range(len(senders)):
                start = inbox.offset + k * slot
                expect(box.low[start] <= 0.0 and box.high[start] >= 1.0,
                       f"agents[{agent.name}] inbox slot {k}: the presence flag's bounds "
                       f"[{box.low[start]}, {box.high[start]}] must hold 0 and 1")
                for element in range(start + 1, start + slot):
                    expect(box.low[element] <= 0.0 <= box.high[element],
                           f"agents[{agent.name}] inbox slot {k}: element {element} bounds "
                           f"[{box.low[element]}, {box.high[element]}] must hold 0 (an empty slot)")


@env_check("make_options_resolved")
def make_options_resolved(server, env):
    pb = server.pb
    if server.capabilities.limits.max_num_envs < 2:
        skip("the server allows num_envs = 1 only")
    with server.session(env.id) as probe:
        gradient = probe.spec.reward_gradient_available
    with server.session(env.id, num_envs=2, reward_gradient=gradient) as session:
        options = session.spec.options
        expect_equal(options.num_envs, 2, "EnvSpec.options.num_envs")
        expect_equal(options.reward_gradient, gradient, "EnvSpec.options.reward_gradient")
        expect_equal(pb.AutoresetMode.Name(options.autoreset_mode), "AUTORESET_MODE_SAME_STEP",
                     "EnvSpec.options.autoreset_mode (UNSPECIFIED with num_envs > 1 resolves to SAME_STEP)")
    for mode in server.capabilities.autoreset_modes:
        with server.session(env.id, num_envs=2, autoreset=mode) as session:
            expect_equal(pb.AutoresetMode.Name(session.spec.options.autoreset_mode), pb.AutoresetMode.Name(mode),
                         "EnvSpec.options.autoreset_mode echoes an advertised mode")


@env_check("make_with_every_default_given_explicitly")
def make_with_every_default_given_explicitly(server, env):
    """Passing each parameter's default as its typed value gives the spec of a Make without
    parameters; an integer parameter also accepts its default as a whole `number`."""
    with server.session(env.id) as implicit:
        expected = implicit.spec
    defaults = {p.name: p.default_value for p in env.parameters}
    with server.session(env.id, params=defaults) as explicit:
        expect_same(explicit.spec, expected, "the spec made with every default given")
    integers = {p.name: float(p.default_value.integer) for p in env.parameters
                if p.default_value.WhichOneof("kind") == "integer"}
    if integers:
        with server.session(env.id, params=integers) as whole:
            for name in integers:
                expect_equal(python_value(whole.spec.params[name]), python_value(expected.params[name]),
                             f"EnvSpec.params[{name!r}] made with the whole number {integers[name]}")


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
