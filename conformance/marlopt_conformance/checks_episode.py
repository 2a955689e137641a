"""Gymnasium/PettingZoo episode semantics through unary calls: determinism, spaces, endings."""
import random
import time
import uuid

import grpc

from .client import random_actions
from .diff import expect_same
from .harness import env_check, expect, expect_equal, server_check, skip
from .shapes import episode_ended, expect_reset_well_formed, expect_step_well_formed

NOT_FOUND = grpc.StatusCode.NOT_FOUND
FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION
INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
SEED = 20240611


def play_to_end(session, rng):
    """Steps random actions until the episode ends, or for max_episode_steps steps if it does not
    end (a contract violation the caller reports); returns the step responses."""
    responses = []
    for _ in range(session.spec.max_episode_steps):
        responses.append(session.step(random_actions(session.spec, rng)))
        if episode_ended(responses[-1]):
            break
    return responses


def expect_ended(responses, limit):
    expect(episode_ended(responses[-1]), f"the episode neither terminated nor was truncated after "
                                         f"max_episode_steps = {limit} steps")


@env_check("reset_response_well_formed")
def reset_response_well_formed(server, env):
    with server.session(env.id) as session:
        expect_reset_well_formed(session.spec, session.reset(seed=SEED))
        expect_reset_well_formed(session.spec, session.reset())


@env_check("reset_with_seed_is_deterministic")
def reset_with_seed_is_deterministic(server, env):
    with server.session(env.id) as first, server.session(env.id) as second:
        reference = first.reset(seed=SEED)
        expect_same(second.reset(seed=SEED), reference, "Reset(seed) in a second session")
        first.step(random_actions(first.spec, random.Random(1)))
        expect_same(first.reset(seed=SEED), reference, "Reset(seed) again in the same session, mid-episode")


@env_check("reset_ignores_options_it_does_not_take")
def reset_ignores_options_it_does_not_take(server, env):
    """Generic tools pass options of their own (PettingZoo's parallel_api_test: {"options": 1})."""
    foreign = {"options": 1, "no_such_option": "x"}
    with server.session(env.id) as plain, server.session(env.id) as given:
        expect_same(given.reset(seed=SEED, options=foreign), plain.reset(seed=SEED),
                    f"Reset(seed) with options {foreign} vs without (unknown keys are ignored)")


@env_check("unseeded_reset_continues_seeded_stream")
def unseeded_reset_continues_seeded_stream(server, env):
    with server.session(env.id) as first, server.session(env.id) as second:
        first.reset(seed=SEED)
        second.reset(seed=SEED)
        expect_same(second.reset(), first.reset(), "the unseeded Reset after Reset(seed) (same stream)")


@env_check("step_with_same_actions_is_deterministic")
def step_with_same_actions_is_deterministic(server, env):
    with server.session(env.id) as first, server.session(env.id) as second:
        first.reset(seed=SEED)
        second.reset(seed=SEED)
        rng = random.Random(SEED)
        for step in range(1, first.spec.max_episode_steps + 1):
            actions = random_actions(first.spec, rng)
            reference = first.step(actions)
            expect_same(second.step(actions), reference, f"step {step} of a second session with the same seed")
            if episode_ended(reference):
                return


@env_check("step_response_well_formed")
def step_response_well_formed(server, env):
    with server.session(env.id) as session:
        session.reset(seed=SEED)
        rng = random.Random(SEED)
        for step in range(1, session.spec.max_episode_steps + 1):
            response = session.step(random_actions(session.spec, rng))
            expect_step_well_formed(session.spec, response, episode_steps=[step])
            if episode_ended(response):
                return


@env_check("observations_inside_their_box")
def observations_inside_their_box(server, env):
    """Several episodes of random actions: every own and shared observation and the state lie in
    their Boxes."""
    with server.session(env.id) as session:
        rng = random.Random(SEED)
        for episode in range(3):
            expect_reset_well_formed(session.spec, session.reset(seed=SEED + episode))
            for response in play_to_end(session, rng):
                expect_step_well_formed(session.spec, response)


@env_check("truncated_exactly_at_max_episode_steps")
def truncated_exactly_at_max_episode_steps(server, env):
    with server.session(env.id) as session:
        rng = random.Random(SEED)
        limit = session.spec.max_episode_steps
        for episode in range(5):
            session.reset(seed=SEED + episode)
            responses = play_to_end(session, rng)
            for step, response in enumerate(responses[:-1], start=1):
                expect(not response.truncated[0], f"episode {episode}: truncated at step {step} < {limit}")
            last = responses[-1]
            expect_equal(last.truncated[0], len(responses) == limit,
                         f"episode {episode}: truncated at the last step {len(responses)} (max_episode_steps {limit})")
            if len(responses) == limit:
                return
    skip("every episode terminated before max_episode_steps under random actions")


@env_check("step_after_episode_end_failed_precondition")
def step_after_episode_end_failed_precondition(server, env):
    with server.session(env.id) as session:
        rng = random.Random(SEED)
        session.reset(seed=SEED)
        expect_ended(play_to_end(session, rng), session.spec.max_episode_steps)
        request = session.step_request(random_actions(session.spec, rng))
        server.expect_status(FAILED_PRECONDITION, "Step", request, "Step after the episode ended, autoreset disabled")
        server.expect_status(FAILED_PRECONDITION, "Step", request, "a second Step after the episode ended")
        session.reset(seed=SEED)
        expect_step_well_formed(session.spec, session.step(random_actions(session.spec, rng)), [1])


@env_check("step_before_reset_failed_precondition")
def step_before_reset_failed_precondition(server, env):
    with server.session(env.id) as session:
        rng = random.Random(SEED)
        request = session.step_request(random_actions(session.spec, rng))
        server.expect_status(FAILED_PRECONDITION, "Step", request, "Step before the first Reset")
        session.reset(seed=SEED)
        expect_step_well_formed(session.spec, session.step(random_actions(session.spec, rng)), [1])


@env_check("reward_gradient_iff_asked_for")
def reward_gradient_iff_asked_for(server, env):
    """Absent unless asked for; when the spec says reward_gradient_available, present with num_envs
    * action size values (0 on the message part); otherwise asking is INVALID_ARGUMENT."""
    copies = min(2, server.capabilities.limits.max_num_envs)
    with server.session(env.id, num_envs=copies) as session:
        available = session.spec.reward_gradient_available
        session.reset(seed=SEED)
        response = session.step(random_actions(session.spec, random.Random(SEED), copies))
        expect(all(len(agent.reward_gradient) == 0 for agent in response.agents),
               "Step returned reward_gradient to a session that did not ask for it")
    if not available:
        request = server.make_request(env.id, num_envs=copies, reward_gradient=True)
        message = server.expect_status(INVALID_ARGUMENT, "Make", request,
                                       "Make with reward_gradient of an environment whose spec says "
                                       "reward_gradient_available false")
        expect("reward_gradient" in message, f"the message should name reward_gradient: {message!r}")
        return
    with server.session(env.id, num_envs=copies, reward_gradient=True) as session:
        expect_equal(session.spec.options.reward_gradient, True, "EnvSpec.options.reward_gradient")
        session.reset(seed=SEED)
        rng = random.Random(SEED)
        for _ in range(3):
            expect_step_well_formed(session.spec, session.step(random_actions(session.spec, rng, copies)))


@env_check("sessions_are_isolated")
def sessions_are_isolated(server, env):
    """Two sessions stepped alternately give what each gives when stepped alone."""
    def run_alone(seed):
        with server.session(env.id) as session:
            return [session.reset(seed=seed)] + play_to_end(session, random.Random(seed))

    alone = {seed: run_alone(seed) for seed in (SEED, SEED + 1)}
    with server.session(env.id) as a, server.session(env.id) as b:
        sessions = {SEED: a, SEED + 1: b}
        rngs = {seed: random.Random(seed) for seed in sessions}
        for seed, session in sessions.items():
            expect_same(session.reset(seed=seed), alone[seed][0], f"interleaved session seeded {seed}: Reset")
        for step in range(1, min(len(run) for run in alone.values())):
            for seed, session in sessions.items():
                expect_same(session.step(random_actions(session.spec, rngs[seed])), alone[seed][step],
                            f"interleaved session seeded {seed}: step {step}")


@env_check("closed_session_not_found")
def closed_session_not_found(server, env):
    pb = server.pb
    with server.session(env.id) as session:
        session.reset(seed=SEED)
        session.close()
        rng = random.Random(SEED)
        server.expect_status(NOT_FOUND, "Step", session.step_request(random_actions(session.spec, rng)),
                             "Step on a closed session")
        server.expect_status(NOT_FOUND, "Reset", server.reset_request(session.id, SEED), "Reset on a closed session")
        server.expect_status(NOT_FOUND, "Close", pb.CloseRequest(session_id=session.id), "Close on a closed session")


@server_check("unknown_session_not_found")
def unknown_session_not_found(server):
    pb = server.pb
    unknown = f"no-such-session-{uuid.uuid4()}"
    server.expect_status(NOT_FOUND, "Reset", server.reset_request(unknown, SEED), "Reset on an unknown session")
    server.expect_status(NOT_FOUND, "Step", pb.StepRequest(session_id=unknown), "Step on an unknown session")
    server.expect_status(NOT_FOUND, "Close", pb.CloseRequest(session_id=unknown), "Close on an unknown session")


@server_check("idle_session_expires_not_found")
def idle_session_expires(server, longest_ttl_seconds=5):
    ttl = server.capabilities.limits.session_ttl_seconds
    if ttl > longest_ttl_seconds:
        skip(f"limits.session_ttl_seconds is {ttl} s; the check waits only for a TTL of at most "
             f"{longest_ttl_seconds} s")
    with server.session(server.environments[0].id) as session:
        session.reset(seed=SEED)
        idle = ttl * 1.5 + 2  # slack for an expiry sweep that runs periodically
        time.sleep(idle)
        server.expect_status(NOT_FOUND, "Reset", server.reset_request(session.id, SEED),
                             f"Reset after {idle:g} s idle (session_ttl_seconds {ttl})")
