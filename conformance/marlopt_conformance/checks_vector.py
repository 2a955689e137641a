"""Batched sessions (num_envs > 1): copy i seeded seed + i behaves exactly as a single session
seeded seed + i, across episodes, and each autoreset mode does what the contract says at an
episode's end. Episodes are kept short (max_episode_steps 4) when the environment declares that
parameter, so every copy ends at least one episode."""
import contextlib
import random

import grpc

from .client import batch_actions, box_size, copy_rows, random_actions, short_episode_params
from .diff import expect_same
from .harness import env_check, expect, expect_equal, fail, skip
from .shapes import episode_ended, expect_reset_well_formed, expect_step_well_formed

SEED = 4242
EPISODE_STEPS = 4
FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION


def copy_info(spec, info, copy, into) -> None:
    sizes = {key.name: key.size for key in spec.info}
    for key, array in info.items():
        into[key].values.extend(copy_rows(array.values, sizes[key], copy))


def observations_of(pb, spec, response, copy, final=False):
    """Copy `copy`'s own observations, shared observation and state (or their final_* rows) as a
    single session's ResetResponse without info: what the copy observes."""
    prefix = "final_" if final else ""
    single = pb.ResetResponse(
        shared_observation=copy_rows(getattr(response, prefix + "shared_observation"),
                                     box_size(spec.shared_observation_space), copy),
        state=copy_rows(getattr(response, prefix + "state"), box_size(spec.state_space), copy))
    for agent_spec, agent in zip(spec.agents, response.agents):
        single.agents.add(agent=agent.agent, observation=copy_rows(
            getattr(agent, prefix + "observation"), box_size(agent_spec.observation_space), copy))
    return single


def copy_of_reset(pb, spec, response, copy):
    """Copy `copy` of a batched ResetResponse, laid out as a single session's."""
    single = observations_of(pb, spec, response, copy)
    copy_info(spec, response.info, copy, single.info)
    return single


def copy_of_step(pb, spec, response, copy, transition_only=False):
    """Copy `copy` of a batched StepResponse as a single session's, without the autoreset fields.
    transition_only keeps only what describes the transition (not the next observations/state)."""
    single = pb.StepResponse(terminated=[response.terminated[copy]], truncated=[response.truncated[copy]])
    if not transition_only:
        observed = observations_of(pb, spec, response, copy)
        single.shared_observation.extend(observed.shared_observation)
        single.state.extend(observed.state)
        single.episode_steps.append(response.episode_steps[copy])
    for agent_spec, agent in zip(spec.agents, response.agents):
        entry = single.agents.add(agent=agent.agent, reward=[agent.reward[copy]])
        entry.reward_gradient.extend(copy_rows(agent.reward_gradient, box_size(agent_spec.action_space), copy))
        if not transition_only:
            entry.observation.extend(copy_rows(agent.observation, box_size(agent_spec.observation_space), copy))
    copy_info(spec, response.info, copy, single.info)
    return single


def transition_of(pb, response):
    """A single session's StepResponse reduced to what describes the transition."""
    stripped = pb.StepResponse()
    stripped.CopyFrom(response)
    for field in ("shared_observation", "state", "episode_steps"):
        stripped.ClearField(field)
    for agent in stripped.agents:
        agent.ClearField("observation")
    return stripped


@contextlib.contextmanager
def batched_and_singles(server, env, mode):
    """A batched session of up to 4 copies in autoreset `mode` and one single session per copy, all
    with short episodes and reward gradients when available, reset (copy i and single i with seed
    SEED + i)."""
    copies = min(4, server.capabilities.limits.max_num_envs)
    if copies < 2:
        skip("the server allows num_envs = 1 only")
    if mode not in server.capabilities.autoreset_modes:
        skip(f"the server does not advertise {server.pb.AutoresetMode.Name(mode)}")
    params = short_episode_params(env, EPISODE_STEPS)
    with server.session(env.id, params=params) as probe:
        gradient = probe.spec.reward_gradient_available
    with contextlib.ExitStack() as stack:
        batched = stack.enter_context(server.session(env.id, params=params, num_envs=copies,
                                                     reward_gradient=gradient, autoreset=mode))
        singles = [stack.enter_context(server.session(env.id, params=params, reward_gradient=gradient))
                   for _ in range(copies)]
        reset = batched.reset(seed=SEED)
        expect_reset_well_formed(batched.spec, reset)
        for copy, single in enumerate(singles):
            expect_same(copy_of_reset(server.pb, batched.spec, reset, copy), single.reset(seed=SEED + copy),
                        f"copy {copy} of Reset(seed={SEED}) vs a single session's Reset(seed={SEED + copy})")
        yield batched, singles


def step_all(batched, singles, rng):
    """One step of every single session with its own random actions, and of the batched session
    with all of them packed copy-major."""
    per_copy = [random_actions(single.spec, rng) for single in singles]
    single_responses = [single.step(actions) for single, actions in zip(singles, per_copy)]
    return batched.step(batch_actions(per_copy)), single_responses


@env_check("batched_step_matches_single_sessions")
def batched_step_matches_single_sessions(server, env):
    pb = server.pb
    with batched_and_singles(server, env, pb.AUTORESET_MODE_DISABLED) as (batched, singles):
        rng = random.Random(SEED)
        copies = len(singles)
        for step in range(1, batched.spec.max_episode_steps + 1):
            response, expected = step_all(batched, singles, rng)
            expect_step_well_formed(batched.spec, response)
            for copy in range(copies):
                expect_same(copy_of_step(pb, batched.spec, response, copy), expected[copy],
                            f"step {step}, copy {copy} vs a single session seeded {SEED + copy}")
            if any(episode_ended(response, copy) for copy in range(copies)):
                request = batched.step_request(random_actions(batched.spec, rng, copies))
                server.expect_status(FAILED_PRECONDITION, "Step", request,
                                     "batched Step after a copy's episode ended, autoreset disabled")
                return
        fail("no copy's episode ended within max_episode_steps")


@env_check("batched_same_step_autoreset")
def batched_same_step_autoreset(server, env):
    """Over two episodes per copy: a copy that did not end equals its single session; a copy that
    ended reports the ending transition, final_* rows equal to the observations the single session
    ended in, episode_steps 0, and observations of the new episode equal to the single session's
    next unseeded Reset (the copy's random stream continues)."""
    pb = server.pb
    with batched_and_singles(server, env, pb.AUTORESET_MODE_SAME_STEP) as (batched, singles):
        rng = random.Random(SEED)
        spec = batched.spec
        endings = 0
        for step in range(1, 2 * spec.max_episode_steps + 1):
            response, expected = step_all(batched, singles, rng)
            expect_step_well_formed(spec, response)
            for copy, single in enumerate(singles):
                what = f"step {step}, copy {copy}"
                if not episode_ended(response, copy):
                    expect_same(copy_of_step(pb, spec, response, copy), expected[copy],
                                f"{what} vs a single session seeded {SEED + copy}")
                    continue
                endings += 1
                expect_same(copy_of_step(pb, spec, response, copy, transition_only=True),
                            transition_of(pb, expected[copy]), f"{what}: the transition that ended the episode")
                expect_same(observations_of(pb, spec, response, copy, final=True),
                            observations_of(pb, spec, expected[copy], 0),
                            f"{what}: final_* rows of the ended copy vs the observations its single session ended in")
                expect_equal(response.episode_steps[copy], 0, f"{what}: episode_steps of the copy reset in the step")
                expect_same(observations_of(pb, spec, response, copy), observations_of(pb, spec, single.reset(), 0),
                            f"{what}: the new episode's observations vs the single session's unseeded Reset")
        expect(endings > 0, f"no copy's episode ended within {2 * spec.max_episode_steps} steps")


@env_check("batched_next_step_autoreset")
def batched_next_step_autoreset(server, env):
    """Over two episodes per copy: the step after a copy's episode ended ignores its actions and
    resets it (autoreset true, rewards 0, flags false, episode_steps 0, the observations of the
    single session's unseeded Reset); every other step of every copy equals its single session."""
    pb = server.pb
    with batched_and_singles(server, env, pb.AUTORESET_MODE_NEXT_STEP) as (batched, singles):
        rng = random.Random(SEED)
        spec = batched.spec
        pending, resets = set(), 0  # pending: copies whose episode ended in the previous step
        for step in range(1, 2 * spec.max_episode_steps + 2):
            per_copy = [random_actions(spec, rng) for _ in singles]
            response = batched.step(batch_actions(per_copy))
            expect_step_well_formed(spec, response)
            for copy, single in enumerate(singles):
                what = f"step {step}, copy {copy}"
                expect_equal(response.autoreset[copy], copy in pending, f"{what}: autoreset")
                if copy not in pending:
                    expect_same(copy_of_step(pb, spec, response, copy), single.step(per_copy[copy]),
                                f"{what} vs a single session seeded {SEED + copy}")
                    continue
                resets += 1
                expect_equal((response.terminated[copy], response.truncated[copy], response.episode_steps[copy]),
                             (False, False, 0), f"{what}, reset by NEXT_STEP autoreset: terminated, truncated, "
                                                f"episode_steps")
                expect_equal([a.reward[copy] for a in response.agents], [0.0] * len(response.agents),
                             f"{what}, reset by NEXT_STEP autoreset: rewards")
                expect_same(observations_of(pb, spec, response, copy), observations_of(pb, spec, single.reset(), 0),
                            f"{what}: the reset observations vs the single session's unseeded Reset")
            pending = {copy for copy in range(len(singles)) if episode_ended(response, copy)}
        expect(resets > 0, f"no copy was reset within {2 * spec.max_episode_steps + 1} steps")
