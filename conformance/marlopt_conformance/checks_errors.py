"""Every bad input gets its documented status code and leaves the session exactly as it was.

Each check drives two sessions with the same seed and actions: the victim receives the bad call,
the reference does not, and the next valid Step must give both the same response bit for bit.
"""
import math
import random

import grpc

from .client import random_actions
from .diff import expect_same
from .harness import env_check, expect, expect_equal, fail, server_check, skip

INVALID_ARGUMENT = grpc.StatusCode.INVALID_ARGUMENT
RESOURCE_EXHAUSTED = grpc.StatusCode.RESOURCE_EXHAUSTED
SEED = 777
LARGEST_MESSAGE_TO_SEND = 64 * 1024 * 1024


def expect_rejected_without_effect(server, env, code, make_bad_call, what, mentions=()):
    """make_bad_call(session, actions) -> (method, request); `mentions`: words of which the
    status message must contain at least one (the field at fault)."""
    with server.session(env.id) as victim, server.session(env.id) as reference:
        rng = random.Random(SEED)
        for session in (victim, reference):
            session.reset(seed=SEED)
        opening = random_actions(victim.spec, rng)
        victim.step(opening)
        reference.step(opening)
        method, request = make_bad_call(victim, random_actions(victim.spec, rng))
        message = server.expect_status(code, method, request, what)
        if mentions:
            expect(any(word in message for word in mentions),
                   f"{what}: the message should name the field at fault (one of {list(mentions)}): {message!r}")
        following = random_actions(victim.spec, rng)
        expect_same(victim.step(following), reference.step(following),
                    f"the Step after the rejected {what} (the session must be unchanged)")


def bad_step(edit):
    """A bad call that sends a StepRequest whose actions `edit` has spoilt."""
    def make_bad_call(session, actions):
        request = session.step_request(actions)
        edit(request, session.server.pb)
        return "Step", request
    return make_bad_call


def _drop_last_agent(request, pb):
    del request.actions[-1]


def _add_extra_agent(request, pb):
    request.actions.append(pb.AgentAction(agent="not_an_agent", values=request.actions[0].values))


def _rename_first_agent(request, pb):
    request.actions[0].agent = "not_an_agent"


def _swap_first_two_agents(request, pb):
    _need_two_agents(request)
    first, second = pb.AgentAction(), pb.AgentAction()
    first.CopyFrom(request.actions[0])
    second.CopyFrom(request.actions[1])
    request.actions[0].CopyFrom(second)
    request.actions[1].CopyFrom(first)


def _repeat_first_agent(request, pb):
    _need_two_agents(request)
    request.actions[1].agent = request.actions[0].agent


def _need_two_agents(request):
    if len(request.actions) < 2:
        skip("the environment has a single agent")


def _shorten_first_action(request, pb):
    del request.actions[0].values[-1]


def _lengthen_first_action(request, pb):
    request.actions[0].values.append(0.0)


def _set_first_value(value):
    def edit(request, pb):
        request.actions[-1].values[0] = value
    return edit


def _register_bad_step(name, edit, what):
    @env_check(name)
    def check(server, env):
        expect_rejected_without_effect(server, env, INVALID_ARGUMENT, bad_step(edit), what,
                                       mentions=("agent", "actions", "values"))


for _name, _edit, _what in [
    ("step_missing_agent_invalid_argument", _drop_last_agent, "Step without the last agent's action"),
    ("step_extra_agent_invalid_argument", _add_extra_agent, "Step with an action for an extra agent"),
    ("step_unknown_agent_name_invalid_argument", _rename_first_agent, "Step naming an unknown agent"),
    ("step_agents_out_of_order_invalid_argument", _swap_first_two_agents,
     "Step with the first two agents swapped (spec order is required)"),
    ("step_repeated_agent_invalid_argument", _repeat_first_agent, "Step naming the first agent twice"),
    ("step_short_action_invalid_argument", _shorten_first_action, "Step with one action value too few"),
    ("step_long_action_invalid_argument", _lengthen_first_action, "Step with one action value too many"),
    ("step_nan_action_invalid_argument", _set_first_value(math.nan), "Step with a NaN action value"),
    ("step_positive_infinite_action_invalid_argument", _set_first_value(math.inf), "Step with a +inf action value"),
    ("step_negative_infinite_action_invalid_argument", _set_first_value(-math.inf), "Step with a -inf action value"),
]:
    _register_bad_step(_name, _edit, _what)


def _clear_actions(request, pb):
    request.ClearField("actions")


@env_check("step_without_actions_invalid_argument")
def step_without_actions(server, env):
    expect_rejected_without_effect(server, env, INVALID_ARGUMENT, bad_step(_clear_actions),
                                   "Step with no actions at all")


@env_check("oversized_message_resource_exhausted")
def oversized_message(server, env):
    limit = server.capabilities.limits.max_message_bytes
    if limit > LARGEST_MESSAGE_TO_SEND:
        skip(f"limits.max_message_bytes is {limit}; the check sends at most {LARGEST_MESSAGE_TO_SEND} bytes")

    def oversized_step(session, actions):
        request = session.step_request(actions)
        request.actions[0].values.extend([0.0] * (limit // 4 + 1024))  # 4 bytes per packed float
        return "Step", request
    expect_rejected_without_effect(server, env, RESOURCE_EXHAUSTED, oversized_step,
                                   f"a Step message larger than limits.max_message_bytes ({limit})")


@server_check("session_limit_resource_exhausted")
def session_limit(server, largest_limit_to_probe=64):
    limit = server.capabilities.limits.max_sessions
    if limit > largest_limit_to_probe:
        skip(f"limits.max_sessions is {limit}; the check opens at most {largest_limit_to_probe + 1} sessions "
             f"(start the server with a smaller session limit to run it)")
    request = server.make_request(server.environments[0].id)
    opened = []
    try:
        for _ in range(limit + 1):
            try:
                opened.append(server.stub.Make(request, timeout=server.timeout).session_id)
            except grpc.RpcError as error:
                expect_equal(error.code(), RESOURCE_EXHAUSTED,
                             f"Make beyond the session limit ({len(opened)} opened here): {error.details()}")
                expect(error.details() != "", "RESOURCE_EXHAUSTED with an empty message")
                break
        else:
            fail(f"{limit + 1} sessions opened although limits.max_sessions is {limit}")
        if not opened:
            skip("other clients hold every session: cannot probe the limit")
        server.call("Reset", server.reset_request(opened[0], SEED))  # open sessions are unaffected
        server.call("Close", server.pb.CloseRequest(session_id=opened.pop()))
        opened.append(server.call("Make", request).session_id)  # a freed slot can be used again
    finally:
        for session_id in opened:
            server.stub.Close(server.pb.CloseRequest(session_id=session_id), timeout=server.timeout)


@env_check("step_sequence_repeat_is_answered_from_cache_and_steps_once")
def step_sequence(server, env):
    """StepRequest.sequence: a repeat of the last applied number gets the same answer without
    stepping again; a number out of order is refused with FAILED_PRECONDITION naming the next."""
    with server.session(env.id) as numbered, server.session(env.id) as reference:
        rng = random.Random(SEED)
        for session in (numbered, reference):
            session.reset(seed=SEED)
        first = random_actions(numbered.spec, rng)
        request = numbered.step_request(first)
        request.sequence = 1
        answer = server.call("Step", request)
        expect_same(answer, reference.step(first), "Step with sequence 1")
        expect_same(server.call("Step", request), answer, "a repeat of Step sequence 1 (the cached answer)")
        second = random_actions(numbered.spec, rng)
        skipping = numbered.step_request(second)
        skipping.sequence = 3
        message = server.expect_status(grpc.StatusCode.FAILED_PRECONDITION, "Step", skipping,
                                       "Step sequence 3 right after 1")
        expect("sequence" in message and "2" in message,
               f"the refusal should name the field and the expected sequence 2: {message!r}")
        request = numbered.step_request(second)
        request.sequence = 2
        expect_same(server.call("Step", request), reference.step(second),
                    "Step sequence 2 after a repeat of 1 (the repeat must not have stepped)")
