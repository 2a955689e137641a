#!/usr/bin/env python3
"""Checks that a server honours the marlopt env protocol v2, using nothing but the .proto.

    /usr/bin/python3 conformance/run.py --server 127.0.0.1:50051

In the spirit of dm_env_rpc's compliance tests and Gymnasium's env checker, for every environment
the server lists: the registry's typed parameters and the specs (parts, channel graph, info),
seeding and determinism, spaces, termination and truncation, the message channel, final
observations, reward gradients, batched and streaming paths against unary calls, and every
documented error code. Each check makes its own sessions and closes them. Prints one
PASS/FAIL/SKIP line per check, then `N passed, N failed` (`, N skipped` when any were); exits 1
when any check failed.
"""
import argparse
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from marlopt_conformance import stubs, suite  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ENV_SERVER_TARGET", "127.0.0.1:50051"),
                        help="server host:port (default: $ENV_SERVER_TARGET or %(default)s)")
    parser.add_argument("--env", action="append", default=[], metavar="ENV_ID",
                        help="check only this environment (repeatable; default: every one listed)")
    parser.add_argument("-k", "--select", metavar="REGEX", help="run only checks whose name matches")
    parser.add_argument("--list", action="store_true", help="list the checks and exit")
    parser.add_argument("--timeout", type=float, default=10.0, help="deadline of each unary call, seconds")
    parser.add_argument("--connect-timeout", type=float, default=10.0, help="wait for the server, seconds")
    parser.add_argument("--proto-root", default=stubs.DEFAULT_PROTO_ROOT,
                        help="directory holding marlopt/env/v2/env.proto (default: this repository's)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `run.py | head` ends quietly
    pb, pb_grpc = stubs.load(args.proto_root)

    server = suite.Server(args.server, pb, pb_grpc, args.timeout)
    if not server.wait_until_reachable(args.connect_timeout):
        print(f"FAIL  connect: no server answers at {args.server} (waited {args.connect_timeout:g} s)")
        print(suite.Tally(failed=1).summary())
        return 1
    try:
        listed = [env.id for env in server.environments]
    except suite.CheckFailed as failure:  # no registry, no checks to expand
        print(f"FAIL  list_environments: {failure}")
        print(suite.Tally(failed=1).summary())
        return 1
    unknown = sorted(set(args.env) - set(listed))
    if unknown:
        raise SystemExit(f"--env {', '.join(unknown)}: not offered by {args.server}, which lists {listed}")
    checks = suite.collect(server, args.env)
    if args.select:
        pattern = re.compile(args.select)
        checks = [check for check in checks if pattern.search(check.name)]
    if args.list:
        print("\n".join(check.name for check in checks))
        return 0
    print(f"marlopt conformance: {len(checks)} checks against {args.server}", flush=True)
    tally = suite.run(checks, sys.stdout)
    print(tally.summary())
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
