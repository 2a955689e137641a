"""Batched sessions (num_envs > 1): copy i seeded seed + i behaves exactly as a single session
seeded seed + i, and each autoreset mode does what the contract says at an episode's end."""
import contextlib
import random

import grpc

from .client import batch_actions, box_size, copy_rows, random_actions
from .diff import expect_same
from .harness import env_check, expect, expect_equal, fail, skip
from .shapes import episode_ended, expect_reset_well_formed, expect_step_well_formed

SEED = 4242
FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION


def copy_of_reset(pb, spec, response, copy):
    """Copy `copy` of a batched ResetResponse, laid out as a single session's."""
    single = pb.ResetResponse(state=copy_rows(response.state, box_size(spec.state_space), copy))
    for agent_spec, agent in zip(spec.agents, response.agents):
        single.agents.add(agent=agent.agent,
                          observation=copy_rows(agent.observation, box_size(agent_spec.observation_space), copy))
    for key, array in response.info.items():
        single.info[key].values.append(array.values[copy])
    return single


def copy_of_step(pb, spec, response, copy, transition_only=False):
    """Copy `copy` of a batched StepResponse as a single session's, without the autoreset fields.
    transition_only keeps only what describes the transition (not the next observation/state)."""
    single = pb.StepResponse(terminated=[response.terminated[copy]], truncated=[response.truncated[copy]])
    if not transition_only:
        single.state.extend(copy_rows(response.state, box_size(spec.state_space), copy))
        single.episode_steps.append(response.episode_steps[copy])
    for agent_spec, agent in zip(spec.agents, response.agents):
        entry = single.agents.add(agent=agent.agent, reward=[agent.reward[copy]])
        action_size = box_size(agent_spec.action_space)
        entry.reward_gradient.extend(copy_rows(agent.reward_gradient, action_size, copy))
        if not transition_only:
            entry.observation.extend(copy_rows(agent.observation, box_size(agent_spec.observation_space), copy))
    for key, array in response.info.items():
        single.info[key].values.append(array.values[copy])
    return single


def transition_of(pb, response):
    """A single session's StepResponse reduced to what describes the transition."""
    stripped = pb.StepResponse()
    stripped.CopyFrom(response)
    stripped.ClearField("state")
    stripped.ClearField("episode_steps")
    for agent in stripped.agents:
        agent.ClearField("observation")
    return stripped


@contextlib.contextmanager
def batched_and_singles(server, env, mode):
    """A batched session of up to 4 copies in autoreset `mode` and one single session per copy,
    all with reward gradients and reset (copy i and single i with seed SEED + i)."""
    copies = min(4, server.capabilities.limits.max_num_envs)
    if copies < 2:
        skip("the server allows num_envs = 1 only")
    if mode not in server.capabilities.autoreset_modes:
        skip(f"the server does not advertise {server.pb.AutoresetMode.Name(mode)}")
    with contextlib.ExitStack() as stack:
        batched = stack.enter_context(server.session(env.id, num_envs=copies, reward_gradient=True,
                                                     autoreset=mode))
        singles = [stack.enter_context(server.session(env.id, reward_gradient=True))
                   for _ in range(copies)]
        reset = batched.reset(seed=SEED)
        expect_reset_well_formed(batched.spec, reset, copies)
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
            expect_step_well_formed(batched.spec, response, copies, reward_gradient=True)
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
    pb = server.pb
    with batched_and_singles(server, env, pb.AUTORESET_MODE_SAME_STEP) as (batched, singles):
        rng = random.Random(SEED)
        copies, state_size = len(singles), box_size(batched.spec.state_space)
        for step in range(1, batched.spec.max_episode_steps + 1):
            response, expected = step_all(batched, singles, rng)
            expect_step_well_formed(batched.spec, response, copies, reward_gradient=True)
            ended = [copy for copy in range(copies) if episode_ended(response, copy)]
            if not ended:
                expect(len(response.final_state) == 0, f"step {step}: final_state must be empty when no copy ended")
                for copy in range(copies):
                    expect_same(copy_of_step(pb, batched.spec, response, copy), expected[copy],
                                f"step {step}, copy {copy} vs a single session seeded {SEED + copy}")
                continue
            expect_equal(len(response.final_state), copies * state_size,
                         f"step {step}: final_state length when copies {ended} ended (num_envs * state size)")
            for copy in range(copies):
                final_row = copy_rows(response.final_state, state_size, copy)
                if copy in ended:
                    expect_same(copy_of_step(pb, batched.spec, response, copy, transition_only=True),
                                transition_of(pb, expected[copy]),
                                f"step {step}: the transition that ended copy {copy}")
                    expect_equal(final_row, list(expected[copy].state),
                                 f"step {step}: final_state row of ended copy {copy} (the state its episode ended in)")
                    expect_equal(response.episode_steps[copy], 0,
                                 f"step {step}: episode_steps of copy {copy}, reset within the step")
                else:
                    expect_same(copy_of_step(pb, batched.spec, response, copy), expected[copy],
                                f"step {step}, copy {copy} (did not end) vs a single session")
                    expect_equal(final_row, copy_rows(response.state, state_size, copy),
                                 f"step {step}: final_state row of copy {copy}, which did not end, repeats its state")
            following = batched.step(random_actions(batched.spec, rng, copies))
            expect_step_well_formed(batched.spec, following, copies, reward_gradient=True)
            for copy in ended:
                expect_equal(following.episode_steps[copy], 1, f"the Step after copy {copy} was reset: episode_steps")
            return
        fail("no copy's episode ended within max_episode_steps")


@env_check("batched_next_step_autoreset")
def batched_next_step_autoreset(server, env):
    pb = server.pb
    with batched_and_singles(server, env, pb.AUTORESET_MODE_NEXT_STEP) as (batched, singles):
        rng = random.Random(SEED)
        copies = len(singles)
        for step in range(1, batched.spec.max_episode_steps + 1):
            response, expected = step_all(batched, singles, rng)
            expect(not any(response.autoreset), f"step {step}: autoreset set before any episode ended")
            for copy in range(copies):
                expect_same(copy_of_step(pb, batched.spec, response, copy), expected[copy],
                            f"step {step}, copy {copy} vs a single session seeded {SEED + copy}")
            ended = [copy for copy in range(copies) if episode_ended(response, copy)]
            if not ended:
                continue
            following = batched.step(random_actions(batched.spec, rng, copies))
            expect_step_well_formed(batched.spec, following, copies, reward_gradient=True)
            expect_equal(len(following.autoreset), copies, "autoreset length (num_envs) in NEXT_STEP mode")
            for copy in range(copies):
                expect_equal(following.autoreset[copy], copy in ended, f"step {step + 1}: autoreset[{copy}]")
            for copy in ended:
                what = f"step {step + 1}, copy {copy} reset by NEXT_STEP autoreset"
                expect(not following.terminated[copy] and not following.truncated[copy], f"{what}: terminated/truncated")
                expect_equal([a.reward[copy] for a in following.agents], [0.0] * len(following.agents), f"{what}: rewards")
                expect_equal(following.episode_steps[copy], 0, f"{what}: episode_steps")
            return
        fail("no copy's episode ended within max_episode_steps")
