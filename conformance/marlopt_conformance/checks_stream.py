"""The Interact stream: same semantics and errors as the unary calls, session ownership."""
import math
import queue
import random
import time
import uuid

import grpc

from .client import random_actions
from .diff import expect_same
from .harness import env_check, expect, expect_equal, fail, server_check
from .shapes import episode_ended

SEED = 9090
STREAM_DEADLINE_SECONDS = 120
NOT_FOUND = grpc.StatusCode.NOT_FOUND


class Stream:
    """One Interact call driven request by request: every request gets exactly one response."""

    _END = object()

    def __init__(self, server):
        self.server = server
        self.pb = server.pb
        self._requests = queue.Queue()
        self._responses = server.stub.Interact(iter(self._requests.get, self._END),
                                               timeout=STREAM_DEADLINE_SECONDS)
        self.session_id = ""
        self.spec = None

    def exchange(self, what: str, **request):
        self._requests.put(self.pb.InteractRequest(**request))
        try:
            return next(self._responses)
        except grpc.RpcError as error:
            fail(f"{what}: the stream failed with {error.code().name}: {error.details()}")
        except StopIteration:
            fail(f"{what}: the server ended the stream instead of answering")

    def expect_reply(self, kind: str, what: str, **request):
        reply = self.exchange(what, **request)
        got = reply.WhichOneof("response")
        if got == "error":
            fail(f"{what}: stream error {reply.error.code} {reply.error.message!r} (field {reply.error.field!r})")
        expect_equal(got, kind, f"{what}: response kind")
        return getattr(reply, kind)

    def expect_error(self, code: grpc.StatusCode, what: str, **request):
        reply = self.exchange(what, **request)
        expect_equal(reply.WhichOneof("response"), "error", f"{what}: response kind")
        expect_equal(reply.error.code, code.value[0], f"{what}: Error.code ({code.name} is {code.value[0]})")
        expect(reply.error.message != "", f"{what}: Error.message is empty")
        return reply.error

    def make(self, env_id: str, what="make on the stream"):
        made = self.expect_reply("make", what, make=self.server.make_request(env_id))
        self.session_id, self.spec = made.session_id, made.spec
        return made

    def reset(self, seed=None, options=None, session_id=""):
        request = self.server.reset_request(session_id, seed, options)
        return self.expect_reply("reset", "reset on the stream", reset=request)

    def step(self, actions, session_id=""):
        request = self.server.step_request(session_id, self.spec, actions)
        return self.expect_reply("step", "step on the stream", step=request)

    def half_close_and_expect_end(self, what: str):
        """Ends the client side; the server must then end the stream with OK."""
        self._requests.put(self._END)
        try:
            extra = next(self._responses)
            fail(f"{what}: an unrequested response arrived: {extra}")
        except StopIteration:
            pass
        except grpc.RpcError as error:
            fail(f"{what}: the stream ended with {error.code().name}: {error.details()} instead of OK")

    def cancel(self):
        self._requests.put(self._END)
        self._responses.cancel()


def stream(server):
    """A context manager that cancels the stream whatever happens in the check."""
    class _Guard:
        def __enter__(self):
            self.stream = Stream(server)
            return self.stream

        def __exit__(self, *exc_info):
            self.stream.cancel()
    return _Guard()


@env_check("stream_matches_unary")
def stream_matches_unary(server, env):
    with server.session(env.id) as unary, stream(server) as interact:
        made = interact.make(env.id)
        expect_same(made.spec, unary.spec, "the spec made on the stream vs the unary Make's")
        expect_same(interact.reset(seed=SEED), unary.reset(seed=SEED), "reset on the stream vs unary Reset")
        rng = random.Random(SEED)
        for step in range(1, unary.spec.max_episode_steps + 1):
            actions = random_actions(unary.spec, rng)
            expected = unary.step(actions)
            expect_same(interact.step(actions), expected, f"step {step} on the stream vs unary Step")
            if episode_ended(expected):
                break
        interact.expect_reply("close", "close on the stream", close=server.pb.CloseRequest())
        interact.half_close_and_expect_end("after close")
        server.expect_status(NOT_FOUND, "Reset", server.reset_request(made.session_id, SEED),
                             "Reset on the session the stream closed")


@env_check("stream_errors_keep_stream_open")
def stream_errors_keep_stream_open(server, env):
    pb = server.pb
    invalid, precondition = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION
    with server.session(env.id) as reference, stream(server) as interact:
        interact.make(env.id)
        rng = random.Random(SEED)
        actions = random_actions(reference.spec, rng)
        step_request = server.step_request("", reference.spec, actions)
        interact.expect_error(precondition, "step before reset on the stream", step=step_request)
        expect_same(interact.reset(seed=SEED), reference.reset(seed=SEED), "reset after an error")

        nan_actions = [list(values) for values in actions]
        nan_actions[0][0] = math.nan
        nan_request = server.step_request("", reference.spec, nan_actions)
        error = interact.expect_error(invalid, "step with a NaN action on the stream", step=nan_request)
        nan_request.session_id = interact.session_id
        unary_message = server.expect_status(invalid, "Step", nan_request, "the same NaN Step as a unary call")
        expect(error.message == unary_message,
               f"the stream's Error (field {error.field!r}, message {error.message!r}) vs the unary call's "
               f"status message {unary_message!r}: the contract asks for the same message")

        missing_agent = server.step_request("", reference.spec, actions)
        del missing_agent.actions[-1]
        interact.expect_error(invalid, "step without the last agent on the stream", step=missing_agent)
        bad_reset = pb.ResetRequest(session_id="not-this-streams-session")
        interact.expect_error(invalid, "reset naming another session on the stream", reset=bad_reset)

        expect_same(interact.step(actions), reference.step(actions),
                    "the first valid step after four rejected requests (the session must be unchanged)")


@env_check("stream_attaches_to_existing_session")
def stream_attaches_to_existing_session(server, env):
    with server.session(env.id) as attached, server.session(env.id) as reference:
        rng = random.Random(SEED)
        for session in (attached, reference):
            session.reset(seed=SEED)
        with stream(server) as interact:
            interact.spec = attached.spec
            actions = random_actions(attached.spec, rng)
            expect_same(interact.step(actions, session_id=attached.id), reference.step(actions),
                        "a stream's first request stepping an existing session")
            actions = random_actions(attached.spec, rng)
            expect_same(interact.step(actions), reference.step(actions),
                        "a later step with an empty session_id (the stream's session)")
            interact.half_close_and_expect_end("half-close of an attached stream")
        actions = random_actions(attached.spec, rng)
        expect_same(attached.step(actions), reference.step(actions),
                    "unary Step after the attached stream ended (the stream does not own the session)")


@env_check("stream_owned_session_closed_when_stream_ends")
def stream_owned_session_closed_when_stream_ends(server, env, wait_seconds=5.0):
    with stream(server) as interact:
        made = interact.make(env.id)
        interact.reset(seed=SEED)
        interact.half_close_and_expect_end("half-close without a close request")
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            server.stub.Reset(server.reset_request(made.session_id, SEED), timeout=server.timeout)
        except grpc.RpcError as error:
            expect_equal(error.code(), NOT_FOUND, f"Reset on the ended stream's session: {error.details()}")
            return
        time.sleep(0.1)  # the server may free the session just after ending the stream
    server.stub.Close(server.pb.CloseRequest(session_id=made.session_id), timeout=server.timeout)
    fail(f"the session made on a stream was still open {wait_seconds:g} s after the stream ended")


@server_check("stream_unknown_session_error")
def stream_unknown_session_error(server):
    with stream(server) as interact:
        unknown = f"no-such-session-{uuid.uuid4()}"
        interact.expect_error(NOT_FOUND, "a stream whose first request resets an unknown session",
                              reset=server.reset_request(unknown, SEED))
        interact.half_close_and_expect_end("half-close after the error")
