"""The light form (no optional dependencies) against a real env server at $MARLOPT_TEST_SERVER,
the transports' timeouts against peers that never answer, and the example agent's --param errors."""
import os
import subprocess
import sys
import time
import unittest
from importlib.util import find_spec

import grpc

import marlopt_env
from marlopt_env import EnvServerError, LightParallelEnv, ParameterError
from support import SilentSocket, StallingServer, server_target

SEED_ENV = "DistributedOptimization-v1"
AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "python-agent", "agent.py")
SHORT = {"num_agents": 2, "param_dim": 4, "max_episode_steps": 5}


class LightFormTest(unittest.TestCase):

    def test_the_form_follows_the_installed_dependencies(self):
        with_pettingzoo = bool(find_spec("gymnasium") and find_spec("pettingzoo"))
        self.assertEqual(marlopt_env.FORM, "pettingzoo" if with_pettingzoo else "light")
        if not with_pettingzoo:
            self.assertIs(marlopt_env.RemoteParallelEnv, LightParallelEnv)

    def test_an_episode_keeps_the_parallel_env_api(self):
        with LightParallelEnv(server_target(), SEED_ENV, SHORT) as env:
            self.assertIs(env.unwrapped, env)
            self.assertIsNone(env.render())
            self.assertEqual(env.metadata["name"], "marlopt_remote_parallel_env")
            observations, infos = env.reset(seed=3, options={"options": 1})  # PettingZoo's API test passes that
            self.assertEqual(env.agents, ["agent_0", "agent_1"])
            self.assertEqual(set(observations), set(env.agents))
            self.assertEqual(set(infos), set(env.agents))
            steps = 0
            while env.agents:
                for agent, observation in observations.items():
                    self.assertTrue(env.observation_space(agent).contains(observation), observation)
                actions = {agent: env.action_space(agent).sample() for agent in env.agents}
                observations, rewards, terminations, truncations, infos = env.step(actions)
                steps += 1
                for result in (observations, rewards, terminations, truncations, infos):
                    self.assertEqual(set(result), {"agent_0", "agent_1"})
            self.assertEqual(steps, 5)
            self.assertEqual(truncations, {"agent_0": True, "agent_1": True})
            self.assertEqual(infos["agent_0"]["episode_steps"], 5)
            self.assertTrue(env.state_space.contains(env.state()))

    def test_options_the_environment_does_not_take_change_nothing(self):
        with LightParallelEnv(server_target(), SEED_ENV, SHORT, transport="unary") as env:
            plain, _ = env.reset(seed=7)
            foreign, _ = env.reset(seed=7, options={"options": 1, "render_fps": 30})
            self.assertEqual(foreign, plain)


class ParameterErrorTest(unittest.TestCase):

    def assert_rejected(self, env_id, params, name, example, transport="stream"):
        with self.assertRaises(ParameterError) as raised:
            LightParallelEnv(server_target(), env_id, params, transport=transport)
        self.assertEqual(raised.exception.name, name, raised.exception)
        self.assertEqual(raised.exception.example, example, raised.exception)
        return raised.exception

    def test_a_value_of_the_wrong_type_is_caught_before_make(self):
        error = self.assert_rejected("DistributedLeastSquares-v1", {"rows": "abc"}, "rows", "rows=5")
        self.assertIn("must be an integer, got 'abc'", error.problem)
        self.assert_rejected("DistributedLeastSquares-v1", {"topology": "star"}, "topology", "topology=ring")

    def test_an_unknown_name_lists_the_parameters(self):
        error = self.assert_rejected(SEED_ENV, {"colour": 1}, "colour", "")
        self.assertIn("num_agents, param_dim", error.problem)

    def test_a_value_the_server_rejects_names_the_parameter_over_either_transport(self):
        for transport in ("stream", "unary"):
            error = self.assert_rejected(SEED_ENV, {"num_agents": 0}, "num_agents", "num_agents=4", transport)
            self.assertIn("got 0", error.problem)

    def test_the_agent_prints_one_line_and_exits_2(self):
        run = subprocess.run([sys.executable, AGENT, "--server", server_target(), "--env", "DistributedLeastSquares-v1",
                              "--param", "rows=abc"], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertEqual(run.stdout, "")
        self.assertEqual(run.stderr, "agent.py: error: --param rows: must be an integer, got 'abc'; "
                                     "for example --param rows=5\n")


class TimeoutTest(unittest.TestCase):
    TIMEOUT = 0.5

    def test_a_stream_stalled_after_make_fails_after_the_timeout(self):
        peer = StallingServer()
        self.addCleanup(peer.close)
        env = LightParallelEnv(peer.target, "Stalled-v1", timeout=self.TIMEOUT)
        started = time.monotonic()
        with self.assertRaises(EnvServerError) as raised:
            env.reset(seed=1)
        waited = time.monotonic() - started
        self.assertEqual(raised.exception.code, grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertIn("no answer on the Interact stream within 0.5 s", str(raised.exception))
        self.assertGreaterEqual(waited, self.TIMEOUT)
        self.assertLess(waited, self.TIMEOUT + 2.0)
        with self.assertRaises(EnvServerError) as ended:
            env.reset(seed=1)
        self.assertEqual(ended.exception.code, grpc.StatusCode.FAILED_PRECONDITION)
        self.assertIn("make a new environment", str(ended.exception))
        env.close()  # the stream is already gone: close does not wait again

    def test_a_stalled_unary_make_fails_after_the_timeout(self):
        peer = StallingServer()
        self.addCleanup(peer.close)
        started = time.monotonic()
        with self.assertRaises(EnvServerError) as raised:
            LightParallelEnv(peer.target, "Stalled-v1", transport="unary", timeout=self.TIMEOUT)
        self.assertEqual(raised.exception.code, grpc.StatusCode.DEADLINE_EXCEEDED)
        self.assertLess(time.monotonic() - started, self.TIMEOUT + 2.0)

    def test_a_peer_that_never_speaks_http2_fails_after_the_connect_timeout(self):
        peer = SilentSocket()
        self.addCleanup(peer.close)
        started = time.monotonic()
        with self.assertRaises(ConnectionError) as raised:
            LightParallelEnv(peer.target, SEED_ENV, connect_timeout=self.TIMEOUT)
        self.assertIn(f"no env server answers at {peer.target}", str(raised.exception))
        self.assertLess(time.monotonic() - started, self.TIMEOUT + 2.0)


if __name__ == "__main__":
    unittest.main()
