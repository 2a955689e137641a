"""The PettingZoo form against a real env server at $MARLOPT_TEST_SERVER: PettingZoo's own
parallel_api_test, with its warnings as errors. Needs `pip install ./python[pettingzoo]`."""
import os
import unittest
import warnings
from importlib.util import find_spec

import marlopt_env
from support import server_target

HAS_PETTINGZOO = bool(find_spec("gymnasium") and find_spec("pettingzoo"))
CASES = [  # the seed environment, and one with a message channel (actions end with a message)
    ("DistributedOptimization-v1", {"max_episode_steps": 12}),
    ("DistributedLeastSquares-v1", {"max_episode_steps": 12, "topology": "complete"}),
]


@unittest.skipUnless(HAS_PETTINGZOO, "gymnasium and pettingzoo are not installed: pip install './python[pettingzoo]'")
class PettingZooFormTest(unittest.TestCase):

    def test_parallel_api_test_passes(self):
        from pettingzoo.test import parallel_api_test
        for env_id, params in CASES:
            with self.subTest(env_id), marlopt_env.RemoteParallelEnv(server_target(), env_id, params) as env:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    parallel_api_test(env, num_cycles=20)

    def test_a_real_parallel_env_with_gymnasium_boxes(self):
        import numpy as np
        from gymnasium import spaces
        from pettingzoo import ParallelEnv
        with marlopt_env.RemoteParallelEnv(server_target(), *CASES[1]) as env:
            self.assertIsInstance(env, ParallelEnv)
            observations, _ = env.reset(seed=5)
            for agent in env.possible_agents:
                space = env.observation_space(agent)
                self.assertIsInstance(space, spaces.Box)
                self.assertIs(space, env.observation_spaces[agent])
                self.assertEqual(space.dtype, np.float32)
                self.assertTrue(space.contains(observations[agent]), agent)
                self.assertIsInstance(env.action_space(agent), spaces.Box)
            self.assertTrue(env.state_space.contains(env.state()))
            observations, rewards, _, _, _ = env.step({a: env.action_space(a).sample() for a in env.agents})
            self.assertTrue(all(env.observation_space(a).contains(o) for a, o in observations.items()))
            self.assertEqual(len(set(rewards.values())), 1, "the shared team reward")

    @unittest.skipUnless(os.environ.get("MARLOPT_TEST_INSTALLED"), "runs from the checkout, not an installed package")
    def test_the_package_under_test_is_the_installed_one(self):
        self.assertIn("site-packages", marlopt_env.__file__)


if __name__ == "__main__":
    unittest.main()
