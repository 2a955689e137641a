#!/usr/bin/env python3
"""Runs episodes of any environment a marlopt env server offers, with baseline policies.

    /usr/bin/python3 examples/python-agent/agent.py --server 127.0.0.1:50051
    /usr/bin/python3 examples/python-agent/agent.py --env ResourceShare-v1 --param num_agents=4 --param cost=quadratic

Prints one line per episode (return = the sum of the shared team reward, steps, outcome, the
scalar info of the last step) and a summary per policy. Exits 1 when the server cannot be
reached or rejects a call, 2 on a bad flag or --param (one line naming it and the fix).

Uses the marlopt_env package (python/): installed (`pip install ./python`), or else straight from
this checkout.
"""
import argparse
import json
import os
import sys
from importlib.util import find_spec

if find_spec("marlopt_env") is None:  # not installed: use the checkout's package
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))

from marlopt_env import EnvServerError, ParameterError, RemoteParallelEnv  # noqa: E402  (needs the path above)
from policies import SEED_ENV_ID, ProportionalController, RandomPolicy  # noqa: E402

USAGE_ERROR = 2  # argparse's exit code for a bad command line


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ENV_SERVER_TARGET", "127.0.0.1:50051"),
                        help="env server host:port (default: $ENV_SERVER_TARGET or %(default)s)")
    parser.add_argument("--env", default=SEED_ENV_ID, help="environment id (default: %(default)s)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="environment parameter, repeatable; VALUE is JSON when it parses (3, 0.5, true, "
                             "[0.2, 0.4]) and text otherwise (ring), e.g. --param target=3 --param topology=ring")
    parser.add_argument("--policy", choices=["auto", "random", "proportional", "both"], default="auto",
                        help=f"auto: both for {SEED_ENV_ID}, random for any other environment")
    parser.add_argument("--episodes", type=int, default=3, help="episodes per policy")
    parser.add_argument("--seed", type=int, default=0, help="episode k is reset with seed + k")
    parser.add_argument("--gain", type=float, default=0.5,
                        help="share of the remaining error the controller closes per step")
    parser.add_argument("--transport", choices=["stream", "unary"], default="stream")
    return parser.parse_args(argv)


def parse_params(pairs):
    params = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise ParameterError(pair, "expects NAME=VALUE", "target=3")
        try:
            params[name] = json.loads(text)
        except ValueError:
            params[name] = text
    return params


def usage_error(error: ParameterError) -> int:
    """One line naming the parameter and the fix, as argparse reports a bad flag."""
    fix = f"; for example --param {error.example}" if error.example else ""
    print(f"{os.path.basename(sys.argv[0])}: error: --param {error.name}: {error.problem}{fix}", file=sys.stderr)
    return USAGE_ERROR


def run_episode(env, policy, seed):
    """Returns (return, steps, terminated, the first agent's info after the last step)."""
    observations, _ = env.reset(seed=seed)
    episode_return, steps, terminated, info = 0.0, 0, False, {}
    first = env.possible_agents[0]
    while env.agents:
        observations, rewards, terminations, _, infos = env.step(policy.act(observations))
        episode_return += rewards[first]  # the shared team reward: every agent gets the same
        steps += 1
        terminated, info = terminations[first], infos[first]
    return episode_return, steps, terminated, info


def outcome(env, terminated, info):
    """"solved" when the environment's success key says so, else how the episode ended."""
    if env.spec.success_key and info.get(env.spec.success_key) == 1.0:
        return "solved"
    return "terminated" if terminated else "truncated"


def final_info(env, info):
    """The last step's scalar info, without the success key (already in the outcome)."""
    return " ".join(f"{key}={value:.4f}" for key, value in info.items()
                    if isinstance(value, float) and key != env.spec.success_key)


def policy_names(choice, env_id):
    if choice == "auto":
        return ["random", "proportional"] if env_id == SEED_ENV_ID else ["random"]
    return ["random", "proportional"] if choice == "both" else [choice]


def make_policy(name, env, args):
    return RandomPolicy(env, args.seed) if name == "random" else ProportionalController(env, args.gain)


def main(argv=None):
    args = parse_args(argv)
    try:
        params = parse_params(args.param)
        with RemoteParallelEnv(args.server, args.env, params, transport=args.transport) as env:
            print(f"session {env.session_id} on {args.server}: {args.env}, agents {env.possible_agents}, "
                  f"max {env.max_episode_steps} steps, params {env.params}")
            for name in policy_names(args.policy, args.env):
                policy = make_policy(name, env, args)
                solved = 0
                for episode in range(args.episodes):
                    ret, steps, terminated, info = run_episode(env, policy, args.seed + episode)
                    ended = outcome(env, terminated, info)
                    solved += ended == "solved"
                    print(f"policy={name} episode={episode} seed={args.seed + episode} return={ret:.4f} "
                          f"steps={steps} {ended} {final_info(env, info)}")
                if env.spec.success_key:
                    print(f"policy={name} solved {solved}/{args.episodes} episodes")
    except ParameterError as error:
        return usage_error(error)
    except (EnvServerError, ConnectionError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
