"""DistributedOptimization-v1's documented semantics on hand-computed cases.

Defaults: 4 agents, 20 parameters in [-1, 1] forming the shared observation (agents have no own
observation and no message channel), agent i owns block [5i, 5i + 5) and its action is added to
it, every parameter is clipped to [-1, 1], the shared reward is -|target - sum|, an episode
terminates when |target - sum| < success_threshold and is truncated at max_episode_steps.
Every value below is exact in float32, so expected values are exact up to float32 round-off.
"""
import math
import threading
from concurrent import futures

import grpc

from .checks_errors import expect_rejected_without_effect
from .client import python_value, zero_actions
from .harness import expect, expect_close, expect_equal, seed_env_check, skip
from .shapes import expect_step_well_formed

INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION
DEFAULTS = {"num_agents": ("integer", 4), "param_dim": ("integer", 20), "target": ("number", 5.0),
            "max_episode_steps": ("integer", 50), "success_threshold": ("number", 0.1)}
TARGET = 5.0
AGENTS = ["agent_0", "agent_1", "agent_2", "agent_3"]
BLOCK = 5

# A step from all-zero parameters that exercises clipping at both bounds and the exact bounds:
# agent_0 reaches 1.0 exactly (inside), clips 1.5 to 1 and -2.0 to -1; agent_1 reaches -1.0 exactly.
CLIPPING_ACTIONS = [[0.5, 1.0, 1.5, -2.0, 0.25], [-1.0, 0.0, 0.0, 0.0, 0.125], [0.0] * 5, [0.75, 0.0, 0.0, 0.0, 0.0]]
CLIPPED_PARAMS = [0.5, 1.0, 1.0, -1.0, 0.25, -1.0, 0.0, 0.0, 0.0, 0.125] + [0.0] * 5 + [0.75, 0.0, 0.0, 0.0, 0.0]
CLIPPED_SUM = 1.625
INSIDE_CLIP = [[1, 1, 0, 0, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]]  # 0 where the clip bound


def expect_parameters_observed(response, params, what):
    """The parameter vector is the shared observation and the state; own observations are empty."""
    expect_close(response.shared_observation, params, f"{what}: shared_observation")
    expect_close(response.state, params, f"{what}: state")
    for agent in response.agents:
        expect_equal(list(agent.observation), [], f"{what}: {agent.agent}.observation (no own observation)")


def expect_info(response, objective, target, what):
    expect_close(response.info["objective"].values, [objective], f"{what}: info['objective'] (sum of parameters)")
    expect_close(response.info["distance"].values, [abs(target - objective)], f"{what}: info['distance']")


def expect_gradients(response, expected_by_agent, what):
    for agent, expected in zip(response.agents, expected_by_agent):
        expect_close(agent.reward_gradient, expected, f"{what}: {agent.agent}.reward_gradient")


@seed_env_check("seed_env_defaults")
def seed_env_defaults(server, env):
    defaults = {p.name: python_value(p.default_value) for p in env.parameters}
    expect_equal(defaults, DEFAULTS, "registry parameter defaults (kind, value)")
    with server.session(env.id) as session:
        spec = session.spec
        expect_equal([a.name for a in spec.agents], AGENTS, "agent names")
        shared = spec.shared_observation_space
        expect_equal((list(shared.shape), set(shared.low), set(shared.high)), ([20], {-1.0}, {1.0}),
                     "shared_observation_space (the parameter vector in [-1, 1])")
        expect_equal(spec.state_space, shared, "state_space (the parameter vector, as the shared observation)")
        for agent in spec.agents:
            expect_equal(list(agent.observation_space.shape), [0], f"{agent.name}.observation_space.shape (none own)")
            action = agent.action_space
            expect_equal((list(action.shape), set(action.low), set(action.high)), ([BLOCK], {-math.inf}, {math.inf}),
                         f"{agent.name}.action_space (its block, any finite values)")
            expect_equal([(p.name, p.offset, p.size) for p in agent.observation_parts], [("own", 0, 0)],
                         f"{agent.name}.observation_parts")
            expect_equal([(p.name, p.offset, p.size) for p in agent.action_parts], [("action", 0, BLOCK)],
                         f"{agent.name}.action_parts")
        expect_equal(spec.max_episode_steps, 50, "max_episode_steps")
        expect_equal([(key.name, key.size) for key in spec.info], [("objective", 1), ("distance", 1), ("solved", 1)],
                     "EnvSpec.info (name, size)")
        expect_equal((spec.score_key, spec.success_key, spec.reward_gradient_available, spec.comm.message_size),
                     ("", "solved", True, 0), "score_key, success_key, reward_gradient_available, comm.message_size")


@seed_env_check("seed_env_make_params_shape_the_spec")
def seed_env_make_params_shape_the_spec(server, env):
    params = {"num_agents": 2, "param_dim": 6, "target": 1.5, "max_episode_steps": 7, "success_threshold": 0.25}
    with server.session(env.id, params=params) as session:
        spec = session.spec
        expect_equal({name: python_value(value) for name, value in spec.params.items()},
                     {"num_agents": ("integer", 2), "param_dim": ("integer", 6), "target": ("number", 1.5),
                      "max_episode_steps": ("integer", 7), "success_threshold": ("number", 0.25)}, "EnvSpec.params")
        expect_equal([a.name for a in spec.agents], ["agent_0", "agent_1"], "agent names")
        expect_equal(list(spec.shared_observation_space.shape), [6], "shared observation shape")
        expect_equal([list(a.action_space.shape) for a in spec.agents], [[3], [3]], "action shapes")
        expect_equal(spec.max_episode_steps, 7, "max_episode_steps")


@seed_env_check("seed_env_initial_params_reset_option")
def seed_env_initial_params_reset_option(server, env):
    initial = [0.5, -0.25, 0.75, -1.0, 1.0] * 4
    with server.session(env.id) as session:
        response = session.reset(options={"initial_params": initial})
        expect_parameters_observed(response, initial, "Reset with initial_params")
        expect_info(response, sum(initial), TARGET, "Reset with initial_params")


@seed_env_check("seed_env_step_clips_and_rewards_by_distance")
def seed_env_step_clips_and_rewards(server, env):
    with server.session(env.id, reward_gradient=True) as session:
        session.reset(options={"initial_params": [0.0] * 20})
        response = session.step(CLIPPING_ACTIONS)
        what = "step from zeros with clipping actions"
        expect_step_well_formed(session.spec, response, episode_steps=[1])
        expect_parameters_observed(response, CLIPPED_PARAMS, what)
        for agent in response.agents:
            expect_close(agent.reward, [-abs(TARGET - CLIPPED_SUM)], f"{what}: {agent.agent}.reward")
        expect_info(response, CLIPPED_SUM, TARGET, what)
        expect_equal((response.terminated[0], response.truncated[0]), (False, False), f"{what}: terminated, truncated")


@seed_env_check("seed_env_reward_gradient_below_target")
def seed_env_reward_gradient_below_target(server, env):
    """sum 1.625 < target 5: d reward / d a_j = +1 where the clip is inactive, 0 where it bound."""
    with server.session(env.id, reward_gradient=True) as session:
        session.reset(options={"initial_params": [0.0] * 20})
        expect_gradients(session.step(CLIPPING_ACTIONS), INSIDE_CLIP, "sum below target")


@seed_env_check("seed_env_reward_gradient_above_target")
def seed_env_reward_gradient_above_target(server, env):
    """target -3 < sum 1.625: the gradient is -1 where the clip is inactive, 0 where it bound."""
    with server.session(env.id, params={"target": -3.0}, reward_gradient=True) as session:
        session.reset(options={"initial_params": [0.0] * 20})
        response = session.step(CLIPPING_ACTIONS)
        expect_gradients(response, [[-g for g in row] for row in INSIDE_CLIP], "sum above target")
        expect_close(response.agents[0].reward, [-abs(-3.0 - CLIPPED_SUM)], "reward with target -3")


@seed_env_check("seed_env_reward_gradient_zero_at_target")
def seed_env_reward_gradient_zero_at_target(server, env):
    """sum == target: sign(0) = 0, so the gradient is 0 everywhere, and the episode terminates."""
    with server.session(env.id, reward_gradient=True) as session:
        session.reset(options={"initial_params": [0.25] * 20})
        response = session.step(zero_actions(session.spec))
        expect_gradients(response, [[0.0] * BLOCK] * 4, "sum exactly at target")
        expect_close(response.agents[0].reward, [0.0], "reward at target")
        expect_equal(response.terminated[0], True, "terminated with distance 0")


@seed_env_check("seed_env_terminates_within_success_threshold")
def seed_env_terminates_within_success_threshold(server, env):
    with server.session(env.id) as session:
        session.reset(options={"initial_params": [0.25] * 19 + [0.125]})  # distance 0.125
        response = session.step(zero_actions(session.spec))
        expect_equal((response.terminated[0], response.truncated[0], list(response.info["solved"].values)),
                     (False, False, [0.0]), "terminated, truncated, info['solved'] at distance 0.125 >= "
                                           "success_threshold 0.1")
        session.reset(options={"initial_params": [0.25] * 19 + [0.1875]})  # distance 0.0625
        response = session.step(zero_actions(session.spec))
        expect_equal((response.terminated[0], response.truncated[0], response.episode_steps[0],
                      list(response.info["solved"].values)), (True, False, 1, [1.0]),
                     "terminated, truncated, episode_steps, info['solved'] at distance 0.0625 < success_threshold 0.1")
        server.expect_status(FAILED_PRECONDITION, "Step", session.step_request(zero_actions(session.spec)),
                             "Step after the episode terminated")


@seed_env_check("seed_env_truncates_at_max_episode_steps")
def seed_env_truncates_at_max_episode_steps(server, env):
    with server.session(env.id) as session:
        session.reset(options={"initial_params": [0.0] * 20})  # distance 5 forever with zero actions
        for step in range(1, 51):
            response = session.step(zero_actions(session.spec))
            expect_equal((response.terminated[0], response.truncated[0], response.episode_steps[0]),
                         (False, step == 50, step), f"step {step}: terminated, truncated, episode_steps")
            expect_close(response.agents[0].reward, [-5.0], f"step {step}: reward")
        server.expect_status(FAILED_PRECONDITION, "Step", session.step_request(zero_actions(session.spec)),
                             "Step after truncation at max_episode_steps")


@seed_env_check("seed_env_seeds_draw_uniform_params")
def seed_env_seeds_draw_uniform_params(server, env):
    with server.session(env.id) as session:
        draws = [list(session.reset(seed=seed).shared_observation) for seed in range(8)]
        expect(len({tuple(d) for d in draws}) == len(draws), "different seeds gave identical initial parameters")
        values = [v for draw in draws for v in draw]
        expect(all(-1.0 <= v <= 1.0 for v in values), "an initial parameter lies outside [-1, 1]")
        expect(min(values) < -0.5 and max(values) > 0.5,
               f"160 initial parameters span only [{min(values)}, {max(values)}]: not uniform on [-1, 1]")
        mean = sum(values) / len(values)
        expect(abs(mean) < 0.25, f"the mean of 160 initial parameters is {mean}, far from 0 (uniform on [-1, 1])")


@seed_env_check("seed_env_batched_initial_params_rows")
def seed_env_batched_initial_params_rows(server, env):
    if server.capabilities.limits.max_num_envs < 2:
        skip("the server allows num_envs = 1 only")
    rows = [[0.5] * 20, [-0.25] * 20]
    with server.session(env.id, num_envs=2) as session:
        response = session.reset(options={"initial_params": rows[0] + rows[1]})
        expect_close(response.shared_observation, rows[0] + rows[1], "one row per copy: shared_observation")
        response = session.reset(options={"initial_params": rows[1]})
        expect_close(response.shared_observation, rows[1] * 2, "one row for every copy: shared_observation")


def _register_bad_initial_params(name, value, what):
    @seed_env_check(name)
    def check(server, env):
        def bad_reset(session, actions):
            return "Reset", server.reset_request(session.id, 1, {"initial_params": value})
        expect_rejected_without_effect(server, env, INVALID_ARGUMENT, bad_reset, what, mentions=("initial_params",))


for _name, _value, _what in [
    ("seed_env_initial_params_wrong_length_invalid_argument", [0.0] * 19, "initial_params with 19 of 20 values"),
    ("seed_env_initial_params_out_of_range_invalid_argument", [0.0] * 19 + [1.5], "initial_params with 1.5"),
    ("seed_env_initial_params_nan_invalid_argument", [0.0] * 19 + [math.nan], "initial_params with NaN"),
    ("seed_env_initial_params_not_a_list_invalid_argument", "zeros", "initial_params given as a string"),
    ("seed_env_initial_params_non_numeric_invalid_argument", [0.0] * 19 + ["x"], "initial_params holding a string"),
]:
    _register_bad_initial_params(_name, _value, _what)


def _register_bad_make(name, params, named):
    @seed_env_check(name)
    def check(server, env):
        message = server.expect_status(INVALID_ARGUMENT, "Make", server.make_request(env.id, params=params),
                                       f"Make with {params}")
        expect(any(word in message for word in named), f"the message should name one of {named}: {message!r}")


for _name, _params, _named in [
    ("seed_env_make_param_dim_not_divisible_invalid_argument", {"num_agents": 3, "param_dim": 20},
     ("param_dim", "num_agents")),
    ("seed_env_make_zero_agents_invalid_argument", {"num_agents": 0}, ("num_agents",)),
    ("seed_env_make_negative_agents_invalid_argument", {"num_agents": -2}, ("num_agents",)),
    ("seed_env_make_zero_param_dim_invalid_argument", {"param_dim": 0}, ("param_dim",)),
    ("seed_env_make_zero_max_episode_steps_invalid_argument", {"max_episode_steps": 0}, ("max_episode_steps",)),
    ("seed_env_make_nan_target_invalid_argument", {"target": math.nan}, ("target",)),
    ("seed_env_make_infinite_target_invalid_argument", {"target": math.inf}, ("target",)),
]:
    _register_bad_make(_name, _params, _named)


@seed_env_check("seed_env_concurrent_steps_are_serialized")
def seed_env_concurrent_steps_are_serialized(server, env, calls=8):
    """Concurrent Steps on one session apply one at a time: each response shows exactly its own
    step applied on top of all earlier ones, and no update is lost."""
    increment = 0.0625  # agent_0 raises parameter 0 by this much per step
    with server.session(env.id) as session:
        session.reset(options={"initial_params": [0.0] * 20})
        actions = zero_actions(session.spec)
        actions[0][0] = increment
        barrier = threading.Barrier(calls)

        def step_when_all_ready(_):
            barrier.wait()
            return session.step(actions)

        with futures.ThreadPoolExecutor(max_workers=calls) as pool:
            responses = list(pool.map(step_when_all_ready, range(calls)))
        steps = sorted(response.episode_steps[0] for response in responses)
        expect_equal(steps, list(range(1, calls + 1)), f"episode_steps reported by {calls} concurrent Steps")
        for response in responses:
            k = response.episode_steps[0]
            expect_close(response.shared_observation[:1], [increment * k],
                         f"parameter 0 in the response of step {k} (every earlier step applied, no later one)")
