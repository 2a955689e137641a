#!/usr/bin/env python3
"""Runs episodes of a marlopt env server with a random policy and a proportional controller.

    /usr/bin/python3 examples/python-agent/generate_stubs.py      # once, and after proto changes
    /usr/bin/python3 examples/python-agent/agent.py --server 127.0.0.1:50051

Prints one line per episode (return = the sum of the shared team reward, steps, outcome) and a
summary per policy. Exits non-zero when the server cannot be reached or rejects a call.
"""
import argparse
import os
import sys

from marlopt_env import EnvServerError, RemoteParallelEnv
from policies import ProportionalController, RandomPolicy


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ENV_SERVER_TARGET", "127.0.0.1:50051"),
                        help="env server host:port (default: $ENV_SERVER_TARGET or %(default)s)")
    parser.add_argument("--env", default="DistributedOptimization-v1", help="environment id")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="environment parameter, repeatable, e.g. --param target=3")
    parser.add_argument("--policy", choices=["random", "proportional", "both"], default="both")
    parser.add_argument("--episodes", type=int, default=3, help="episodes per policy")
    parser.add_argument("--seed", type=int, default=0, help="episode k is reset with seed + k")
    parser.add_argument("--gain", type=float, default=0.5,
                        help="share of the remaining error the controller closes per step")
    parser.add_argument("--transport", choices=["stream", "unary"], default="stream")
    return parser.parse_args(argv)


def parse_params(pairs):
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--param expects NAME=VALUE, got {pair!r}")
        params[name] = float(value)
    return params


def run_episode(env, policy, seed):
    observations, _ = env.reset(seed=seed)
    episode_return, steps, terminated = 0.0, 0, False
    while env.agents:
        observations, rewards, terminations, _, infos = env.step(policy.act(observations))
        first = env.possible_agents[0]
        episode_return += rewards[first]  # the shared team reward: every agent gets the same
        steps += 1
        terminated = terminations[first]
        distance = infos[first].get("distance", float("nan"))
    return episode_return, steps, terminated, distance


def make_policy(name, env, args):
    return RandomPolicy(env, args.seed) if name == "random" else ProportionalController(env, args.gain)


def main(argv=None):
    args = parse_args(argv)
    policies = ["random", "proportional"] if args.policy == "both" else [args.policy]
    try:
        with RemoteParallelEnv(args.server, args.env, parse_params(args.param),
                               transport=args.transport) as env:
            print(f"session {env.session_id} on {args.server}: {args.env}, agents {env.possible_agents}, "
                  f"max {env.max_episode_steps} steps")
            for name in policies:
                policy = make_policy(name, env, args)
                solved = 0
                for episode in range(args.episodes):
                    ret, steps, terminated, distance = run_episode(env, policy, args.seed + episode)
                    solved += terminated
                    outcome = "solved" if terminated else "truncated"
                    print(f"policy={name} episode={episode} seed={args.seed + episode} return={ret:.4f} "
                          f"steps={steps} {outcome} final_distance={distance:.4f}")
                print(f"policy={name} solved {solved}/{args.episodes} episodes")
    except (EnvServerError, ConnectionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
