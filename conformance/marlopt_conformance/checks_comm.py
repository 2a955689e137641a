"""The message channel of every environment whose spec has message_size > 0 (skipped otherwise).

Every agent sends a message of its own, different from all others, at every step. After step t
the inbox slot of agent i for in-neighbour j (slots in increasing index of j) must hold the
presence flag 1 and exactly the message j sent at step t - delay, or all zeros while t - delay < 1;
an agent has slots for its in-neighbours only. A reset empties every inbox and starts the count
again. Message loss is switched off (message_drop_probability 0), or on for every message (1).
"""
import contextlib
import random
import struct

from .client import in_neighbours, part, random_actions
from .harness import env_check, expect_equal, skip

SEED = 5150
STEPS_AFTER_DELAY = 4


def float32(value: float) -> float:
    """The value as the wire carries it (a packed float)."""
    return struct.unpack("f", struct.pack("f", value))[0]


@contextlib.contextmanager
def channel_session(server, env, drop_probability, delay=None):
    """A session whose channel loses messages with `drop_probability` and, when given, delays them
    `delay` steps: the channel parameters are passed when the environment declares them, and the
    spec must then reflect them; without the parameter the default must already match."""
    wanted = {"message_drop_probability": float(drop_probability)}
    if delay is not None:
        wanted["message_delay"] = delay
    declared = {p.name for p in env.parameters}
    params = {name: value for name, value in wanted.items() if name in declared}
    with server.session(env.id, params=params) as session:
        comm = session.spec.comm
        if comm.message_size == 0:
            skip(f"{env.id} has no message channel by default (comm.message_size 0)")
        in_force = {"message_drop_probability": comm.drop_probability, "message_delay": comm.delay}
        for name, value in wanted.items():
            if name in params:
                expect_equal(in_force[name], value, f"EnvSpec.comm after Make with {name}={value}")
            elif in_force[name] != value:
                skip(f"{env.id} declares no {name} parameter and its channel has {in_force[name]}, not {value}")
        yield session


def send(spec, rng):
    """Random actions whose message parts are random too (inside their bounds, as float32), and
    the message each agent sent."""
    actions = random_actions(spec, rng)
    messages = []
    for agent, values in zip(spec.agents, actions):
        message = part(agent.action_parts, "message")
        sent = [float32(v) for v in values[message.offset:message.offset + message.size]]
        values[message.offset:message.offset + message.size] = sent
        messages.append(sent)
    all_values = [v for sent in messages for v in sent]
    if len(set(all_values)) < len(all_values):
        skip("the message bounds leave no room for a distinct message per agent (cannot tell them apart)")
    return actions, messages


def expect_inboxes(spec, response, expected_slot, what):
    """expected_slot(receiver, sender) -> the 1 + message_size values of that slot."""
    for index, (agent_spec, agent) in enumerate(zip(spec.agents, response.agents)):
        inbox = part(agent_spec.observation_parts, "inbox")
        observed = list(agent.observation[inbox.offset:inbox.offset + inbox.size])
        slot_size = 1 + spec.comm.message_size
        senders = in_neighbours(spec, index)
        expect_equal(len(observed), len(senders) * slot_size,
                     f"{what}: {agent.agent}'s inbox length (one slot per in-neighbour {senders}, none for others)")
        for k, sender in enumerate(senders):
            got = observed[k * slot_size:(k + 1) * slot_size]
            expect_equal(got, expected_slot(index, sender),
                         f"{what}: {agent.agent}'s inbox slot {k} (from {spec.agents[sender].name}: flag, message)")


def expect_empty_inboxes(spec, response, what):
    empty = [0.0] * (1 + spec.comm.message_size)
    expect_inboxes(spec, response, lambda receiver, sender: empty, what)


def run_episode_checking_delivery(session, rng, delivered, what):
    """Resets (the inboxes must be empty), then steps while checking each inbox against
    delivered(sent_by_step, step, receiver, sender) until delay + a few steps or the episode's end."""
    spec = session.spec
    expect_empty_inboxes(spec, session.reset(seed=SEED), f"{what}: Reset")
    sent_by_step = {}
    for step in range(1, min(spec.max_episode_steps, spec.comm.delay + STEPS_AFTER_DELAY) + 1):
        actions, sent_by_step[step] = send(spec, rng)
        response = session.step(actions)
        expect_inboxes(spec, response, lambda receiver, sender: delivered(sent_by_step, step, sender),
                       f"{what}: step {step} (delay {spec.comm.delay})")
        if response.terminated[0] or response.truncated[0]:
            break


def delivered_after_delay(delay):
    def slot(sent_by_step, step, sender):
        sent_at = step - delay
        if sent_at < 1:
            return [0.0] * (1 + len(sent_by_step[step][sender]))
        return [1.0] + sent_by_step[sent_at][sender]
    return slot


def never_delivered(sent_by_step, step, sender):
    return [0.0] * (1 + len(sent_by_step[step][sender]))


@env_check("messages_reach_exactly_out_neighbours")
def messages_reach_exactly_out_neighbours(server, env):
    """With the environment's default delay; twice, so the second episode shows that a reset drops
    the messages still in flight and restarts the delay."""
    with channel_session(server, env, drop_probability=0.0) as session:
        rng = random.Random(SEED)
        delivered = delivered_after_delay(session.spec.comm.delay)
        run_episode_checking_delivery(session, rng, delivered, "first episode")
        run_episode_checking_delivery(session, rng, delivered, "episode after a Reset")


@env_check("messages_delayed_by_message_delay")
def messages_delayed_by_message_delay(server, env):
    """message_delay 1: nothing arrives in the first step, then each step brings the previous
    step's messages."""
    with channel_session(server, env, drop_probability=0.0, delay=1) as session:
        rng = random.Random(SEED)
        delivered = delivered_after_delay(1)
        run_episode_checking_delivery(session, rng, delivered, "first episode")
        run_episode_checking_delivery(session, rng, delivered, "episode after a Reset")


@env_check("messages_all_lost_with_drop_probability_one")
def messages_all_lost_with_drop_probability_one(server, env):
    with channel_session(server, env, drop_probability=1.0) as session:
        run_episode_checking_delivery(session, random.Random(SEED), never_delivered, "every message dropped")
