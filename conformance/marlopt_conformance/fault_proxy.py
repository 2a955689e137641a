"""A gRPC proxy in front of a real server that can break the contract on purpose.

The suite's own test (../selftest.py) routes the checks through it: transparent, every check
must pass; with a fault injected, the checks aimed at that fault must fail (those that apply: a
check the transparent run skips, e.g. a message channel check for an environment without a
channel, is not expected to). A check that cannot fail this way is not checking anything.
"""
import math
import queue
import random
from concurrent import futures
from dataclasses import dataclass
from typing import Callable, Dict

import grpc

_END = object()


def _same(*args):
    return args[-1]


@dataclass(frozen=True)
class Fault:
    """How a faulty server differs from the upstream one, and which checks must notice.

    Hooks receive the proxy (for `specs`, the spec of every session made through it) and return
    what the client gets: `response(proxy, method, request, response)`,
    `error(proxy, method, request, code, details) -> (code, details)` where a None code turns
    the failure into an empty successful response, and `stream_reply(proxy, request, reply)`
    where None ends the stream.
    """
    name: str
    caught_by: str  # regex: every check whose name matches must fail
    response: Callable = _same
    error: Callable = lambda proxy, method, request, code, details: (code, details)
    stream_reply: Callable = _same


TRANSPARENT = Fault("transparent", caught_by="^$")


class FaultProxy:
    def __init__(self, upstream: str, pb, pb_grpc, fault: Fault, timeout: float):
        self.pb = pb
        self.fault = fault
        self.timeout = timeout
        self.specs: Dict[str, object] = {}
        self.sequences: Dict[str, set] = {}  # per session, the Step sequence numbers seen
        self._channel = grpc.insecure_channel(upstream)
        self.upstream = pb_grpc.EnvServiceStub(self._channel)
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        pb_grpc.add_EnvServiceServicer_to_server(_forwarding_servicer(pb_grpc, self), self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")

    def __enter__(self) -> "FaultProxy":
        self._server.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.stop(grace=None)
        self._channel.close()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def forward_unary(self, method: str, request, context):
        try:
            response = getattr(self.upstream, method)(request, timeout=self.timeout)
        except grpc.RpcError as error:
            code, details = self.fault.error(self, method, request, error.code(), error.details())
            if code is None:
                return getattr(self.pb, _RESPONSE_TYPES[method])()
            context.abort(code, details)
        if method == "Make":
            self.specs[response.session_id] = response.spec
        return self.fault.response(self, method, request, response)

    def forward_stream(self, request_iterator, context):
        requests = queue.Queue()
        upstream = self.upstream.Interact(iter(requests.get, _END))
        try:
            for request in request_iterator:
                requests.put(request)
                reply = next(upstream, None)
                if reply is None:
                    return
                reply = self.fault.stream_reply(self, request, reply)
                if reply is None:
                    return
                yield reply
            requests.put(_END)
            for _ in upstream:  # wait for the upstream server to end its side (it frees the session)
                pass
        except grpc.RpcError as error:
            context.abort(error.code(), error.details())
        finally:
            requests.put(_END)
            upstream.cancel()


_RESPONSE_TYPES = {"GetCapabilities": "Capabilities", "ListEnvironments": "ListEnvironmentsResponse",
                   "Make": "MakeResponse", "Reset": "ResetResponse", "Step": "StepResponse", "Close": "CloseResponse"}


def _forwarding_servicer(pb_grpc, proxy: FaultProxy):
    def unary(method):
        return lambda self, request, context: proxy.forward_unary(method, request, context)

    methods = {name: unary(name) for name in _RESPONSE_TYPES}
    methods["Interact"] = lambda self, request_iterator, context: proxy.forward_stream(request_iterator, context)
    return type("ForwardingServicer", (pb_grpc.EnvServiceServicer,), methods)()


# ---------------------------------------------------------------------------------------------
# The faults. Each changes one documented behaviour.
# ---------------------------------------------------------------------------------------------

def _on(method_name, edit):
    """A response hook that edits (a copy of) `method_name`'s responses in place:
    edit(response, spec), spec being the session's (for Make, the one made)."""
    def hook(proxy, method, request, response):
        if method != method_name:
            return response
        edited = type(response)()
        edited.CopyFrom(response)
        spec = edited.spec if method == "Make" else proxy.specs.get(request.session_id)
        edit(edited, spec)
        return edited
    return hook


def _size(box):
    return len(box.low)


def _push_an_observation_out_of_box(response, spec):
    """Moves the first observed value that has a finite bound (state, shared, then each agent's
    own observation, copy 0) one unit beyond that bound."""
    arrays = [(response.state, spec.state_space), (response.shared_observation, spec.shared_observation_space)]
    arrays += [(agent.observation, agent_spec.observation_space)
               for agent_spec, agent in zip(spec.agents, response.agents)]
    for values, box in arrays:
        for i, (low, high) in enumerate(zip(box.low, box.high)):
            if math.isfinite(high):
                values[i] = high + 1.0
                return
            if math.isfinite(low):
                values[i] = low - 1.0
                return


def _clear_truncated(response, spec):
    for i in range(len(response.truncated)):
        response.truncated[i] = False


def _perturb_reset_state(response, spec):
    response.state[0] = random.uniform(-1.0, 1.0)


def _flip_gradients(response, spec):
    for agent in response.agents:
        agent.reward_gradient[:] = [-g for g in agent.reward_gradient]


def _reverse_batched_rewards(response, spec):
    if len(response.terminated) > 1:
        for agent in response.agents:
            agent.reward[:] = list(reversed(agent.reward))


def _final_rows_from_new_episode(response, spec):
    """The final_* fields report the observations after the autoreset instead of before it."""
    if response.final_state:
        response.final_state[:] = response.state
        response.final_shared_observation[:] = response.shared_observation
        for agent in response.agents:
            agent.final_observation[:] = agent.observation


def _final_state_when_nothing_ended(response, spec):
    if not response.final_state:
        response.final_state[:] = response.state


def _clear_autoreset_flags(response, spec):
    for i in range(len(response.autoreset)):
        response.autoreset[i] = False


def _add_undeclared_info(response, spec):
    response.info["undeclared"].values.extend([0.0] * len(response.terminated))


def _lengthen_first_info(response, spec):
    response.info[spec.info[0].name].values.append(0.0)


def _duplicate_agent_name(response, spec):
    spec.agents[1].name = spec.agents[0].name


def _invert_action_bounds(response, spec):
    box = spec.agents[0].action_space
    low, high = list(box.low), list(box.high)
    box.low[:], box.high[:] = high, low


def _shorten_last_action_part(response, spec):
    spec.agents[0].action_parts[-1].size -= 1


def _reverse_edges(response, spec):
    edges = list(spec.comm.edges)
    del spec.comm.edges[:]
    spec.comm.edges.extend(reversed(edges))


def _halve_first_edge_weight(response, spec):
    if spec.comm.edges:
        spec.comm.edges[0].weight /= 2


def _same_score_reference_policies(response, spec):
    """A reference naming one policy twice; beside the score key where there is one."""
    reference = spec.score_reference
    reference.naive_policy = reference.optimum_policy = "zero"
    reference.optimum_kind = reference.optimum_kind or "optimum"


def _flip_reward_gradient_availability(response, spec):
    """Both directions, so that environments with and without reward gradients each notice."""
    spec.reward_gradient_available = not spec.reward_gradient_available


def _integer_defaults_as_numbers(proxy, method, request, response):
    """ListEnvironments reports integer parameters' defaults as numbers (as v1 did)."""
    if method != "ListEnvironments":
        return response
    edited = type(response)()
    edited.CopyFrom(response)
    for env in edited.environments:
        for parameter in env.parameters:
            if parameter.default_value.WhichOneof("kind") == "integer":
                parameter.default_value.number = float(parameter.default_value.integer)
    return edited


def _inbox_slots(spec, agent_index):
    """(offset, slot size, slot count) of an agent's inbox, or None without a channel."""
    inbox = next((p for p in spec.agents[agent_index].observation_parts if p.name == "inbox"), None)
    if inbox is None or inbox.size == 0:
        return None
    slot = 1 + spec.comm.message_size
    return inbox.offset, slot, inbox.size // slot


def _swap_first_two_inbox_slots(response, spec):
    """Each message reaches the wrong slot: the first two in-neighbours' messages trade places."""
    for index, agent in enumerate(response.agents):
        slots = _inbox_slots(spec, index)
        if slots and slots[2] >= 2:
            offset, size, _ = slots
            first, second = agent.observation[offset:offset + size], agent.observation[offset + size:offset + 2 * size]
            agent.observation[offset:offset + 2 * size] = list(second) + list(first)


def _flag_every_inbox_slot(response, spec):
    """Every inbox flagged as holding a message, whether one arrived or not."""
    for index, agent in enumerate(response.agents):
        slots = _inbox_slots(spec, index)
        if slots:
            offset, size, count = slots
            for k in range(count):
                agent.observation[offset + k * size] = 1.0


def _only_for(method_name, code, replacement):
    def hook(proxy, method, request, actual_code, details):
        if method == method_name and actual_code == code:
            return replacement(proxy, request, details)
        return actual_code, details
    return hook


def _step_zero_then_reject(proxy, request, details):
    """The rejected Step still moves the session: as if validation came after the update."""
    spec = proxy.specs.get(request.session_id)
    if spec is not None:
        zero = proxy.pb.StepRequest(session_id=request.session_id, actions=[
            proxy.pb.AgentAction(agent=a.name, values=[0.25] * (_size(a.action_space) * spec.options.num_envs))
            for a in spec.agents])
        proxy.upstream.Step(zero, timeout=proxy.timeout)
    return grpc.StatusCode.INVALID_ARGUMENT, details


def _stream_reward_plus_one(proxy, request, reply):
    if reply.WhichOneof("response") == "step":
        reply.step.agents[0].reward[0] += 1.0
    return reply


def _end_stream_on_error(proxy, request, reply):
    return None if reply.WhichOneof("response") == "error" else reply


INVALID = grpc.StatusCode.INVALID_ARGUMENT
def _step_again_on_repeat(proxy, method, request, response):
    """A server that steps a repeated sequence again: its answer differs from the first one's."""
    if method != "Step" or request.sequence == 0:
        return response
    seen = proxy.sequences.setdefault(request.session_id, set())
    if request.sequence not in seen:
        seen.add(request.sequence)
        return response
    edited = type(response)()
    edited.CopyFrom(response)
    edited.agents[0].reward[0] += 1.0
    return edited


FAULTS = [
    Fault("sequence_repeat_steps_again", r"^step_sequence_repeat_is_answered_from_cache",
          response=_step_again_on_repeat),
    Fault("observation_outside_box", r"^observations_inside_their_box",
          response=_on("Step", _push_an_observation_out_of_box)),
    Fault("never_truncated", r"^(truncated_exactly_at_max_episode_steps|seed_env_truncates_at_max_episode_steps)",
          response=_on("Step", _clear_truncated)),
    Fault("reset_ignores_seed", r"^reset_with_seed_is_deterministic", response=_on("Reset", _perturb_reset_state)),
    Fault("gradient_sign_flipped", r"^seed_env_reward_gradient_(below|above)_target",
          response=_on("Step", _flip_gradients)),
    Fault("batched_copies_mixed_up", r"^batched_step_matches_single_sessions",
          response=_on("Step", _reverse_batched_rewards)),
    Fault("final_rows_from_new_episode", r"^batched_same_step_autoreset",
          response=_on("Step", _final_rows_from_new_episode)),
    Fault("final_state_when_nothing_ended", r"^batched_same_step_autoreset",
          response=_on("Step", _final_state_when_nothing_ended)),
    Fault("next_step_reset_not_flagged", r"^batched_next_step_autoreset",
          response=_on("Step", _clear_autoreset_flags)),
    Fault("undeclared_info_key", r"^step_response_well_formed", response=_on("Step", _add_undeclared_info)),
    Fault("info_longer_than_its_size", r"^step_response_well_formed", response=_on("Step", _lengthen_first_info)),
    Fault("duplicate_agent_names", r"^spec_well_formed", response=_on("Make", _duplicate_agent_name)),
    Fault("action_bounds_inverted", r"^spec_well_formed", response=_on("Make", _invert_action_bounds)),
    Fault("action_parts_short", r"^spec_well_formed", response=_on("Make", _shorten_last_action_part)),
    Fault("score_reference_one_policy_twice", r"^spec_well_formed",
          response=_on("Make", _same_score_reference_policies)),
    Fault("edges_unsorted", r"^comm_spec_well_formed", response=_on("Make", _reverse_edges)),
    Fault("edge_weight_not_metropolis_hastings", r"^comm_spec_well_formed",
          response=_on("Make", _halve_first_edge_weight)),
    Fault("integer_defaults_untyped", r"^registry_well_formed$", response=_integer_defaults_as_numbers),
    Fault("bad_parameter_accepted", r"^make_parameter_(wrong_type|out_of_bounds|unknown_choice)_invalid_argument",
          error=_only_for("Make", INVALID, lambda proxy, request, details: (None, ""))),
    Fault("reward_gradient_availability_misreported", r"^reward_gradient_iff_asked_for",
          response=_on("Make", _flip_reward_gradient_availability)),
    Fault("messages_misrouted", r"^messages_(reach_exactly_out_neighbours|delayed_by_message_delay)",
          response=_on("Step", _swap_first_two_inbox_slots)),
    Fault("reset_leaves_inbox_flagged", r"^messages_", response=_on("Reset", _flag_every_inbox_slot)),
    Fault("messages_flagged_when_none_arrived",
          r"^messages_(delayed_by_message_delay|all_lost_with_drop_probability_one)",
          response=_on("Step", _flag_every_inbox_slot)),
    Fault("nan_action_wrong_code", r"^step_(nan|positive_infinite|negative_infinite)_action_invalid_argument",
          error=_only_for("Step", INVALID, lambda proxy, request, details: (grpc.StatusCode.UNKNOWN, details))),
    Fault("error_without_message", r"^step_(missing_agent|nan_action)_invalid_argument",
          error=_only_for("Step", INVALID, lambda proxy, request, details: (INVALID, ""))),
    Fault("rejected_step_changes_session", r"^step_(nan_action|short_action|missing_agent)_invalid_argument",
          error=_only_for("Step", INVALID, _step_zero_then_reject)),
    Fault("step_after_end_accepted", r"^step_after_episode_end_failed_precondition",
          error=_only_for("Step", grpc.StatusCode.FAILED_PRECONDITION, lambda proxy, request, details: (None, ""))),
    Fault("closed_session_wrong_code", r"^closed_session_not_found",
          error=_only_for("Reset", grpc.StatusCode.NOT_FOUND,
                          lambda proxy, request, details: (grpc.StatusCode.FAILED_PRECONDITION, details))),
    Fault("stream_diverges_from_unary", r"^stream_matches_unary", stream_reply=_stream_reward_plus_one),
    Fault("stream_ends_on_error", r"^stream_errors_keep_stream_open", stream_reply=_end_stream_on_error),
]
